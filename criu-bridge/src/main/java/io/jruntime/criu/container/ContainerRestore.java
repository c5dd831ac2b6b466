package io.jruntime.criu.container;

import io.jruntime.core.log.Debug;
import io.jruntime.core.FaultInjection;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.RuntimeContext;
import io.jruntime.core.cgroups.Cgroup;
import io.jruntime.core.cgroups.CgroupHost;
import io.jruntime.core.init.InitSession;
import io.jruntime.core.lifecycle.BundleConfig;
import io.jruntime.core.lifecycle.ContainerCreator;
import io.jruntime.core.lifecycle.ContainerSetup;
import io.jruntime.core.ops.RestoreOptions;
import io.jruntime.core.state.ContainerId;
import io.jruntime.core.state.ContainerState;
import io.jruntime.core.sys.Caller;
import io.jruntime.core.sys.Fds;
import io.jruntime.core.sys.Processes;
import io.jruntime.core.terminal.ConsoleSocket;
import io.jruntime.criu.CgroupRoot;
import io.jruntime.criu.CriuClient;
import io.jruntime.criu.CriuLauncher;
import io.jruntime.criu.CriuNotification;
import io.jruntime.criu.NotifyHandler;
import io.jruntime.criu.RestoreRequest;
import io.jruntime.criu.RestoreResult;
import io.jruntime.spec.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * {@code restore}: bring a checkpointed container back, possibly under another id, bundle and rootfs (that is
 * what migration is). The new config.json decides everything host-specific: the cgroups (created with its
 * resources, CRIU's tasks mapped into them with cgroup roots), the source of every external mount (looked up by
 * the destination recorded at checkpoint), the console socket. Before CRIU runs, the mountpoints create made
 * are made again — including those inside bind mounts, with the bind source mounted temporarily — in a private
 * mount namespace in which CRIU then runs, so no temporary mount can leak to the host.
 */
public final class ContainerRestore {
    private ContainerRestore() {
    }

    /**
     * Returns the restored container's state. Its init is the caller's child (CRIU runs as the caller's child and
     * restores with rst_sibling), and its stdio pipes and sockets are replaced by the caller's stdio.
     */
    public static ContainerState restore(RuntimeContext ctx, RestoreOptions o, String criuPath,
                                         IntConsumer terminalSink, Caller caller) {
        ContainerId.check(o.id());
        return restore(ctx, o, BundleConfig.load(ctx, o.bundle()), criuPath, terminalSink, caller);
    }

    /**
     * As {@link #restore(RuntimeContext, RestoreOptions, String, IntConsumer, Caller)} with the bundle's config
     * already loaded, possibly adjusted (migration and {@code restore --mount} replace bind sources).
     */
    public static ContainerState restore(RuntimeContext ctx, RestoreOptions o, BundleConfig bc, String criuPath,
                                         IntConsumer terminalSink, Caller caller) {
        ContainerId.check(o.id());
        Path bundle = bc.bundle();
        Path configPath = bc.configPath();
        Spec spec = bc.spec();
        Path rootfs = bc.rootfs();
        Path images = o.imagePath().toAbsolutePath();
        Path work = o.workPath() != null ? o.workPath().toAbsolutePath() : images;
        if (!Files.isDirectory(images)) {
            throw new InvalidArgumentException("--image-path " + images + ": no checkpoint images there (not a directory)");
        }
        boolean terminal = bc.terminal();
        bc.requireTerminalDestination(o.consoleSocket() == null ? null : o.consoleSocket().toString(), terminalSink);
        CheckpointManifest manifest = CheckpointManifest.read(images);
        CriuClient client = CriuClient.open(criuPath);

        int netnsFd = -1;
        boolean[] emptyNetwork = {false};
        int[] callerStdio = caller.stdio();
        try (ContainerSetup setup = ContainerSetup.begin(ctx, "restore", o.id(), bc, ContainerCreator.stdioPaths(callerStdio))) {
            Cgroup cgroup = setup.createCgroup();
            // Preflight: PlanBuilder checks every bind source and names the mount of any that is missing.
            ContainerMounts mounts = ContainerMounts.of(spec, o.id(), bundle, rootfs, cgroup, ctx.rootlessEuid());
            List<String> masked = manifest == null ? List.of() : manifest.maskedFiles();
            Map<String, String> provided = mounts.externals(masked);

            RestoreRequest.Builder b = RestoreRequest.builder(images).workDir(work).root(rootfs.toString())
                    .rstSibling(true).manageCgroups(ContainerCheckpoint.cgroupMode(o.manageCgroupsMode()))
                    .tcpEstablished(o.tcpEstablished()).extUnixSk(o.extUnixSk()).shellJob(o.shellJob())
                    .fileLocks(o.fileLocks()).lazyPages(o.lazyPages()).orphanPtsMaster(terminal);
            List<String> keys = manifest == null ? List.copyOf(provided.keySet()) : manifest.externals();
            List<String> missing = new ArrayList<>();
            for (String key : keys) {
                String source = provided.get(key);
                if (source == null) {
                    missing.add(key);
                } else {
                    b.extMount(key, source);
                }
            }
            if (!missing.isEmpty()) {
                throw new InvalidArgumentException("the checkpoint has external mounts the new config.json does not provide: "
                        + missing + " (add mounts with these destinations to " + configPath + ")");
            }
            if (manifest != null && manifest.externalNetns() != null) {
                String path = ContainerCheckpoint.netnsJoinedFromOutside(spec);
                if (path == null) {
                    throw new InvalidArgumentException("linux.namespaces: the checkpoint joined an outside network namespace; "
                            + "the new config.json must name one with a path");
                }
                netnsFd = openNs(path);
                b.inheritFd("extRootNetNS", netnsFd);
            } else if (manifest == null || manifest.emptyNetwork()) {
                if (ContainerCheckpoint.hasNewNetns(spec)) {
                    b.emptyNs(io.jruntime.criu.DumpRequest.CLONE_NEWNET);
                    emptyNetwork[0] = true;
                }
            }
            if (o.lsmProfile() != null) {
                b.lsmProfile(o.lsmProfile());
            }
            if (o.lsmMountContext() != null) {
                b.lsmMountContext(o.lsmMountContext());
            }
            List<String> stdio = CheckpointManifest.readDescriptors(images);
            for (int fd = 0; fd < stdio.size() && fd < 3; fd++) {
                String target = stdio.get(fd);
                if (!target.isEmpty() && !target.startsWith("/")) {
                    // pipes and sockets of the old container are replaced by the caller's (engines pass theirs as stdio)
                    b.inheritFd(target, callerStdio[fd]);
                }
            }
            for (CgroupRoot root : cgroupRoots(cgroup)) {
                b.cgroupRoot(root);
            }
            b.configFile(cgroupYardConfig(work, CriuConfigFile.of(spec.annotations())).toString());

            List<io.jruntime.core.init.PlanRecord> prepare = mounts.restoreMountpoints();
            if (Debug.on()) {
                Debug.log(ContainerRestore.class, "restore " + o.id() + ": CRIU restore from images " + images
                        + ", work dir " + work + ", root " + rootfs + ", external mounts " + keys + ", "
                        + prepare.size() + " mountpoint records for the helper" + (emptyNetwork[0] ? ", new empty network namespace" : "")
                        + (manifest == null ? ", no jruntime manifest in the images" : ""));
            }
            String rootfsPath = rootfs.toString();
            CriuLauncher launcher = new CriuLauncher() {
                @Override
                public int launch(String criu, List<String> argv, List<String> env, Map<Integer, Integer> fds) {
                    FaultInjection.point("restore.before-criu");
                    int criuPid = InitSession.spawnCriu(caller, criu, argv, env, fds, rootfsPath, prepare);
                    // CRIU's own tasks start in the container's cgroups, as runc does before a restore; the record
                    // names criu before it restores anything, so a crash from here on leaves nothing delete misses.
                    cgroup.join(criuPid);
                    if (Debug.on()) {
                        Debug.log(ContainerRestore.class, "criu pid " + criuPid + " placed in cgroups " + Debug.cgroupPaths(cgroup.toPaths()));
                    }
                    setup.helperStarted(criuPid);
                    return criuPid;
                }

                @Override
                public Processes.WaitStatus waitpid(int pid, int options) {
                    return caller.waitpid(pid, options);
                }
            };
            NotifyHandler handler = n -> {
                switch (n.script()) {
                    case CriuNotification.SETUP_NAMESPACES -> {
                        if (emptyNetwork[0]) {
                            InitSession.loopbackUp(n.pid());
                        }
                        setup.runCreateHooks(setup.record().withInit(n.pid(), 0));
                    }
                    case CriuNotification.POST_RESTORE -> setup.initStarted(n.pid());
                    case CriuNotification.ORPHAN_PTS_MASTER -> ConsoleSocket.deliver(
                            o.consoleSocket() == null ? null : o.consoleSocket().toString(), terminalSink,
                            Fds.fcntl(n.fd(), Fds.F_DUPFD_CLOEXEC, 3));
                    default -> { }
                }
            };
            RestoreResult result = client.restore(b.build(), handler, launcher);
            FaultInjection.point("restore.after-criu");
            setup.initStarted(result.pid());
            if (Debug.on()) {
                Debug.log(ContainerRestore.class, "restore " + o.id() + ": restored, init pid " + result.pid());
            }
            setup.ready();
            ContainerState state = setup.commit(o.pidFile());
            ContainerCheckpoint.copyToWorkDir(images, work, "stats-restore");
            return state;
        } finally {
            if (netnsFd >= 0) {
                Fds.close(netnsFd);
            }
        }
    }

    /**
     * CRIU mounts its own "cgroup yard" (a tmpfs with every hierarchy) relative to its working directory, which the
     * RPC sets to the work directory through our /proc fd link; on this kind of host that mount fails with EINVAL
     * once CRIU is inside its restore mount namespace. The host's cgroup tree already is such a yard, so CRIU is
     * told to use it. The RPC field for this is not honoured by CRIU 4.2.1's swrk, the configuration file is; the
     * container's own CRIU configuration (org.criu.config) follows in the same file.
     */
    private static Path cgroupYardConfig(Path work, Path containerConfig) {
        Path yard = CgroupHost.detect().all().get(0).mountPoint().getParent();
        return CriuConfigFile.merged(work.resolve("jruntime-criu-restore.conf"), List.of("cgroup-yard " + yard), containerConfig);
    }

    /**
     * Per v1 controller (and name=systemd) the container's cgroup path relative to its hierarchy's root, plus, for
     * the cgroup2 tree (which has no controller name to key it by), a default root that applies to every
     * hierarchy without its own: otherwise CRIU would re-create the old container's cgroup2 directory.
     */
    private static List<CgroupRoot> cgroupRoots(Cgroup cg) {
        List<CgroupRoot> out = new ArrayList<>();
        for (CgroupHost.Hierarchy h : CgroupHost.detect().all()) {
            for (String key : h.keys()) {
                Path p = cg.paths().get(key);
                if (p != null) {
                    String rel = "/" + h.mountPoint().relativize(p);
                    out.add(h.v2() ? CgroupRoot.all(rel) : new CgroupRoot(key, rel));
                }
            }
        }
        return out;
    }

    private static int openNs(String path) {
        return Fds.open(path, Fds.O_RDONLY | Fds.O_CLOEXEC, 0);
    }
}
