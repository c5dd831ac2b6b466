package io.jruntime.criu.container;

import io.jruntime.core.log.Debug;
import io.jruntime.core.FaultInjection;
import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.RuntimeContext;
import io.jruntime.core.cgroups.Cgroup;
import io.jruntime.core.lifecycle.ContainerDeleter;
import io.jruntime.core.lifecycle.ContainerStarter;
import io.jruntime.core.ops.CheckpointOptions;
import io.jruntime.core.ops.ManageCgroupsMode;
import io.jruntime.core.state.ContainerState;
import io.jruntime.core.state.ContainerStatus;
import io.jruntime.core.state.StateStore;
import io.jruntime.core.state.StatusResolver;
import io.jruntime.core.lifecycle.Container;
import io.jruntime.core.lifecycle.Transitions;
import io.jruntime.criu.CriuException;
import io.jruntime.criu.CriuCgroupMode;
import io.jruntime.criu.CriuClient;
import io.jruntime.criu.DumpRequest;
import io.jruntime.criu.NotifyHandler;
import io.jruntime.criu.PageServerAddress;
import io.jruntime.spec.Linux;
import io.jruntime.spec.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * {@code checkpoint}: dump a running container with CRIU. External mounts are declared by destination; the network
 * namespace is left empty (--empty-ns network) unless it was joined from outside, in which case it is external. With
 * --leave-running (or --pre-dump) the container goes on; otherwise CRIU stops it and, as runc 1.1 does after a
 * successful dump, the container is destroyed (cgroups, poststop hooks, state), so {@code restore} can reuse its id.
 */
public final class ContainerCheckpoint {
    private ContainerCheckpoint() {
    }

    public static void checkpoint(RuntimeContext ctx, CheckpointOptions o, String criuPath) {
        dump(ctx, o, criuPath);
        if (!o.leaveRunning() && !o.preDump()) {
            if (Debug.on()) {
                Debug.log(ContainerCheckpoint.class, "checkpoint " + o.id() + ": dumped; destroying the container as runc does");
            }
            // CRIU has killed the tasks; what is left (state, cgroups) goes as `delete` would remove it.
            ContainerDeleter.delete(ctx, o.id(), true);
        }
    }

    private static void dump(RuntimeContext ctx, CheckpointOptions o, String criuPath) {
        StateStore store = ctx.store();
        try (Container c = Container.lock(store, o.id()).require(Transitions.Command.CHECKPOINT)) {
            ContainerState s = c.state();
            ContainerStatus st = c.status();
            Spec spec = ContainerStarter.savedConfig(store, o.id());
            if (spec == null) {
                throw new JRuntimeException("container " + o.id() + " has no saved config.json in its state directory "
                        + "(was it created by another runtime?): cannot work out its mounts for CRIU");
            }
            Path images = o.imagePath();
            Path work = o.workPath() != null ? o.workPath() : images;
            checkParentPath(images, o.parentPath());
            try {
                Files.createDirectories(images);
                Files.createDirectories(work);
            } catch (IOException e) {
                throw new JRuntimeException("cannot create " + images + " or " + work + ": " + e.getMessage(), e);
            }
            CriuClient client = CriuClient.open(criuPath);
            Cgroup cgroup = c.cgroup();
            List<String> masked = ContainerMounts.maskedFiles(spec, s.initPid());
            Map<String, String> externals = ContainerMounts.of(spec, s.id(), Path.of(s.bundle()), Path.of(s.rootfs()),
                    cgroup, s.rootlessEuid()).externals(masked);

            DumpRequest.Builder b = DumpRequest.builder(s.initPid(), images).workDir(work)
                    .leaveRunning(o.leaveRunning()).tcpEstablished(o.tcpEstablished()).extUnixSk(o.extUnixSk())
                    .shellJob(o.shellJob()).fileLocks(o.fileLocks()).autoDedup(o.autoDedup())
                    .manageCgroups(cgroupMode(o.manageCgroupsMode()))
                    // A terminal container's pty master lives outside the tree; restore hands out a new one.
                    .orphanPtsMaster(spec.process() != null && Boolean.TRUE.equals(spec.process().terminal()));
            if (o.parentPath() != null && !o.parentPath().isEmpty()) {
                b.parentImg(o.parentPath());
            }
            Path config = CriuConfigFile.of(spec.annotations());
            if (config != null) {
                b.configFile(config.toString());
            }
            Path freezer = st == ContainerStatus.PAUSED ? freezerOf(cgroup) : null;
            if (freezer != null) {
                // Paused (containerd pauses before every checkpoint): the tasks sit frozen in D state and cannot be
                // seized with ptrace ("Unseizable non-zombie ... state D"); CRIU must go through the freezer cgroup,
                // and leaves it frozen as it found it (runc passes it likewise).
                b.freezeCgroup(freezer.toString());
            }
            for (String dest : externals.keySet()) {
                b.extMount(dest, dest);
            }
            String netnsPath = netnsJoinedFromOutside(spec);
            boolean emptyNet = netnsPath == null && hasNewNetns(spec) || o.emptyNs().contains("network");
            for (String ns : o.emptyNs()) {
                if (!ns.equals("network")) {
                    throw new InvalidArgumentException("--empty-ns " + ns + ": only the network namespace can be left empty");
                }
            }
            String externalNet = null;
            if (netnsPath != null) {
                externalNet = "net[" + nsInode(netnsPath) + "]:extRootNetNS";
                b.external(externalNet);
            } else if (emptyNet) {
                b.emptyNs(DumpRequest.CLONE_NEWNET);
            }
            if (o.pageServer() != null && !o.pageServer().isEmpty()) {
                b.pageServer(pageServer(o.pageServer()));
            }
            if (o.lazyPages()) {
                b.lazyPages(true).statusFd(o.statusFd());
            }
            CheckpointManifest.writeDescriptors(images, s.initPid());
            new CheckpointManifest(List.copyOf(externals.keySet()), masked, emptyNet, externalNet).write(images);
            if (Debug.on()) {
                Debug.log(ContainerCheckpoint.class, "checkpoint " + o.id() + ": CRIU " + (o.preDump() ? "pre-dump" : "dump")
                        + " of init pid " + s.initPid() + " (status " + st.name().toLowerCase(java.util.Locale.ROOT)
                        + "), images " + images + ", work dir " + work + ", leave running " + o.leaveRunning()
                        + ", external mounts " + externals.keySet() + (config != null ? ", config file " + config : "")
                        + (freezer != null ? ", freezer " + freezer : "") + (emptyNet ? ", network namespace left empty" : ""));
            }
            FaultInjection.point("checkpoint.before-criu");
            try {
                if (o.preDump()) {
                    client.preDump(b.build(), NotifyHandler.ACCEPT_ALL);
                } else {
                    client.dump(b.build(), NotifyHandler.ACCEPT_ALL);
                }
            } catch (RuntimeException e) {
                throw afterFailedDump(store, s, st, cgroup, e);
            }
            FaultInjection.point("checkpoint.after-criu");
            if (!o.preDump()) {
                copyToWorkDir(images, work, "stats-dump");
            }
        }
    }

    /**
     * --parent-path is relative to the image directory and must name an existing directory there; checked here, as
     * runc does, so the message names the option rather than being CRIU's.
     */
    static void checkParentPath(Path images, String parent) {
        if (parent == null || parent.isEmpty()) {
            return;
        }
        if (parent.startsWith("/")) {
            throw new InvalidArgumentException("--parent-path must be relative");
        }
        Path real = images.resolve(parent).normalize();
        if (!Files.exists(real)) {
            throw new InvalidArgumentException("invalid --parent-path: stat " + real + ": no such file or directory");
        }
        if (!Files.isDirectory(real)) {
            throw new InvalidArgumentException("invalid --parent-path: stat " + real + ": not a directory");
        }
    }

    /**
     * A failed dump leaves the container as it found it where it can: a container that was running and is now
     * frozen (criu died holding the freezer) is thawed. The error then says which state the container is in, so
     * nobody has to guess whether it still runs.
     */
    private static RuntimeException afterFailedDump(StateStore store, ContainerState s, ContainerStatus before,
                                                    Cgroup cgroup, RuntimeException e) {
        String note;
        try {
            if (before != ContainerStatus.PAUSED && cgroup != null && cgroup.isFrozen()) {
                cgroup.thaw();
            }
            ContainerStatus now = StatusResolver.statusLocked(store, s);
            note = now == before ? "container " + s.id() + " is still " + now.json()
                    : "container " + s.id() + " was " + before.json() + " and is now " + now.json();
        } catch (RuntimeException inspect) {
            e.addSuppressed(inspect);
            note = "the state of container " + s.id() + " could not be determined: " + inspect.getMessage();
        }
        if (e instanceof CriuException ce) {
            return new CriuException(ce.kind(), ce.operation(), ce.getMessage() + "\n  " + note, ce.crErrno(),
                    ce.logFile(), ce.logErrors(), ce);
        }
        return new JRuntimeException(e.getMessage() + "; " + note, e);
    }

    static CriuCgroupMode cgroupMode(ManageCgroupsMode m) {
        if (m == null) {
            return CriuCgroupMode.SOFT;
        }
        return switch (m) {
            case SOFT -> CriuCgroupMode.SOFT;
            case FULL -> CriuCgroupMode.FULL;
            case STRICT -> CriuCgroupMode.STRICT;
        };
    }

    /** CRIU writes its statistics next to the images; engines (Podman) read them from the work directory. */
    static void copyToWorkDir(Path images, Path work, String name) {
        Path src = images.resolve(name);
        if (!images.equals(work) && Files.exists(src)) {
            try {
                Files.copy(src, work.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new JRuntimeException("cannot copy " + src + " to " + work + ": " + e.getMessage(), e);
            }
        }
    }

    static String netnsJoinedFromOutside(Spec spec) {
        Linux l = spec.linux();
        return l == null ? null : l.namespace("network").map(Linux.Namespace::path).filter(p -> !p.isEmpty()).orElse(null);
    }

    /** The container's freezer directory: the v1 freezer hierarchy, else its cgroup2 directory; null without one. */
    static Path freezerOf(Cgroup cgroup) {
        if (cgroup == null) {
            return null;
        }
        Path v1 = cgroup.path("freezer");
        if (v1 != null) {
            return v1;
        }
        Path v2 = cgroup.path("");
        return v2 != null && Files.exists(v2.resolve("cgroup.freeze")) ? v2 : null;
    }

    static boolean hasNewNetns(Spec spec) {
        return spec.linux() != null && spec.linux().namespace("network").isPresent();
    }

    static long nsInode(String path) {
        try {
            return (Long) Files.getAttribute(Path.of(path), "unix:ino");
        } catch (IOException e) {
            throw new JRuntimeException("cannot stat network namespace " + path + ": " + e.getMessage(), e);
        }
    }

    static PageServerAddress pageServer(String spec) {
        int colon = spec.lastIndexOf(':');
        if (colon <= 0) {
            throw new InvalidArgumentException("--page-server " + spec + ": expected ADDRESS:PORT");
        }
        try {
            return new PageServerAddress(spec.substring(0, colon), Integer.parseInt(spec.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("--page-server " + spec + ": port is not a number");
        }
    }
}
