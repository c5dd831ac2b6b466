package io.jruntime.core.lifecycle;

import io.jruntime.core.log.Debug;
import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.RuntimeContext;
import io.jruntime.core.cgroups.Cgroup;
import io.jruntime.core.cgroups.CgroupManager;
import io.jruntime.core.cgroups.CgroupResources;
import io.jruntime.core.cgroups.DeviceCgroupRules;
import io.jruntime.core.cgroups.SpecResources;
import io.jruntime.core.hooks.HookRunner;
import io.jruntime.core.init.InitSession;
import io.jruntime.core.sys.Caller;
import io.jruntime.core.init.LaunchPlan;
import io.jruntime.core.security.seccomp.SeccompProgram;
import io.jruntime.core.state.ContainerId;
import io.jruntime.core.state.ContainerState;
import io.jruntime.core.state.ContainerStatus;
import io.jruntime.core.state.ProcStat;
import io.jruntime.core.state.StateStore;
import io.jruntime.core.sys.Fds;
import io.jruntime.core.sys.Processes;
import io.jruntime.core.terminal.ConsoleSocket;
import io.jruntime.core.userns.IdMapWriter;
import io.jruntime.spec.IdMapping;
import io.jruntime.spec.Linux;
import io.jruntime.spec.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.IntConsumer;
import java.util.logging.Logger;

/**
 * {@code create}: from a bundle to an init process waiting on the exec fifo. On any failure everything made
 * so far is undone (the init is killed, which also drops every mount it made in its own mount namespace;
 * cgroups and the state directory are removed) before the error propagates.
 */
public final class ContainerCreator {
    /**
     * @param consoleSocket  --console-socket, or null
     * @param terminalSink   where the pty master goes when there is no console socket (run in the foreground),
     *                       or null when a terminal then is an error
     * @param caller         whose stdio and preserved fds the container gets, and whose child its init becomes
     */
    public record Request(String id, Path bundle, Path pidFile, String consoleSocket, boolean noPivot,
                          boolean noNewKeyring, int preserveFds, IntConsumer terminalSink, Caller caller) {
    }

    private ContainerCreator() {
    }

    public static ContainerState create(RuntimeContext ctx, Request r) {
        ContainerId.check(r.id());
        BundleConfig bc = BundleConfig.load(ctx, r.bundle());
        Path bundle = bc.bundle();
        Path configPath = bc.configPath();
        Spec spec = bc.spec();
        Path rootfs = bc.rootfs();
        if (Debug.on()) {
            Debug.log(ContainerCreator.class, "create " + r.id() + ": config " + configPath + " loaded (rootfs " + rootfs
                    + ", " + Nulls.list(spec.mounts()).size() + " mounts, namespaces "
                    + (spec.linux() == null ? "[]" : Nulls.list(spec.linux().namespaces()).stream()
                            .map(n -> n.path() == null || n.path().isEmpty() ? n.type() : n.type() + "=" + n.path()).toList())
                    + ", terminal " + bc.terminal() + ")");
        }
        bc.requireTerminalDestination(r.consoleSocket(), r.terminalSink());
        if (!bc.terminal() && r.consoleSocket() != null) {
            throw new InvalidArgumentException("--console-socket given but process.terminal is false in config.json");
        }

        // preflight: validated and compiled before the state directory exists
        SeccompProgram seccomp = SeccompSetup.compile(spec.linux());
        if (Debug.on() && seccomp != null) {
            Debug.log(ContainerCreator.class, "seccomp profile compiled: " + seccomp.instructionCount()
                    + " BPF instructions, flags " + seccomp.flags() + (seccomp.needsListener() ? ", with a notify listener" : ""));
        }
        try (ContainerSetup setup = ContainerSetup.begin(ctx, "create", r.id(), bc, stdioPaths(r.caller().stdio()))) {
            Path fifo = setup.dir().resolve(StateStore.EXEC_FIFO);
            makeExecFifo(fifo, spec);
            if (Debug.on()) {
                Debug.log(ContainerCreator.class, "exec fifo " + fifo + " created");
            }
            if (spec.process() != null) {
                spec = spec.withProcess(ProcessEnv.complete(spec.process(), rootfs));
            }
            Cgroup cgroup = setup.createCgroup();
            LaunchPlan plan = PlanBuilder.forCreate(spec, new PlanBuilder.CreateInputs(r.id(), bundle, rootfs, fifo,
                    r.noPivot(), r.noNewKeyring(), r.preserveFds(), ctx.rootlessEuid(), cgroup, seccomp));
            if (Debug.on()) {
                Debug.log(ContainerCreator.class, "launch plan built: " + plan.records().size() + " records, "
                        + plan.preserveFds() + " preserved fds");
            }
            ContainerState[] current = {setup.record()};
            try (InitSession session = InitSession.start(plan, r.caller())) {
                setup.helperStarted(session.helperPid());
                InitSession.Callbacks cb = callbacks(setup, spec, plan, r, ctx.rootlessEuid(), current);
                int pid = session.awaitChildPid(cb);
                current[0] = setup.initStarted(pid);
                cgroup.join(pid);
                if (Debug.on()) {
                    Debug.log(ContainerCreator.class, "container init pid " + pid + " placed in its cgroups "
                            + Debug.cgroupPaths(cgroup.toPaths()) + "; sending GO");
                }
                session.go(StateJson.of(current[0], ContainerStatus.CREATING));
                session.awaitReady(cb);
                setup.ready();
                ContainerState state = setup.commit(r.pidFile());
                session.release();
                if (Debug.on()) {
                    Debug.log(ContainerCreator.class, "create " + r.id() + ": container created, init pid " + pid
                            + " waits on the exec fifo");
                }
                return state;
            }
        } catch (IOException e) {
            throw new JRuntimeException("create " + r.id() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The exec fifo is created 0600 and given to the host uid the container's process runs as: the init opens
     * it for writing after its user switch (through its own fd, so the 0700 directories above do not stand in
     * the way). Only when that uid cannot be known or given (a joined user namespace, rootless with a mapped
     * range) is it 0622 as runc makes it; it carries one byte and no other user can reach it by path.
     */
    private static void makeExecFifo(Path fifo, Spec spec) throws IOException {
        Fds.mkfifo(fifo.toString(), 0600);
        long euid = Integer.toUnsignedLong(Processes.geteuid());
        OptionalLong owner = processHostUid(spec);
        if (owner.isPresent() && owner.getAsLong() == euid) {
            return;
        }
        if (owner.isPresent() && euid == 0) {
            Files.setAttribute(fifo, "unix:uid", (int) owner.getAsLong(), LinkOption.NOFOLLOW_LINKS);
            return;
        }
        Files.setPosixFilePermissions(fifo, java.nio.file.attribute.PosixFilePermissions.fromString("rw--w--w-"));
    }

    /** The host uid of process.user.uid: mapped through linux.uidMappings in a new user namespace. */
    static OptionalLong processHostUid(Spec spec) {
        long uid = spec.process() == null || spec.process().user() == null || spec.process().user().uid() == null
                ? 0 : spec.process().user().uid();
        Linux linux = spec.linux();
        Optional<Linux.Namespace> userns = linux == null ? Optional.empty() : linux.namespace("user");
        if (userns.isEmpty()) {
            return OptionalLong.of(uid);
        }
        if (userns.get().path() != null && !userns.get().path().isEmpty()) {
            return OptionalLong.empty();
        }
        for (IdMapping m : Nulls.list(linux.uidMappings())) {
            long c = m.containerID() == null ? 0 : m.containerID();
            long size = m.size() == null ? 0 : m.size();
            if (uid >= c && uid - c < size) {
                return OptionalLong.of((m.hostID() == null ? 0 : m.hostID()) + uid - c);
            }
        }
        return OptionalLong.empty();
    }

    private static InitSession.Callbacks callbacks(ContainerSetup setup, Spec spec, LaunchPlan plan, Request r,
                                                   boolean rootlessEuid, ContainerState[] state) {
        return new InitSession.Callbacks() {
            @Override
            public void writeIdMaps(int pid) {
                if (Debug.on()) {
                    Debug.log(ContainerCreator.class, "writing uid_map/gid_map of pid " + pid);
                }
                IdMapWriter.write(pid, plan.uidMap(), plan.gidMap(), rootlessEuid,
                        Integer.toUnsignedLong(Processes.geteuid()), Integer.toUnsignedLong(Processes.getegid()));
            }

            @Override
            public void runtimeHooks() {
                setup.runCreateHooks(state[0]);
            }

            @Override
            public void seccompListener(int notifyFd, int pid) {
                SeccompSetup.handOver(spec.linux(), notifyFd, pid, StateJson.of(state[0], ContainerStatus.CREATING));
            }

            @Override
            public void console(int masterFd) {
                if (Debug.on()) {
                    Debug.log(ContainerCreator.class, "terminal master received; delivering it to "
                            + (r.consoleSocket() != null ? "--console-socket " + r.consoleSocket() : "our own stdio"));
                }
                ConsoleSocket.deliver(r.consoleSocket(), r.terminalSink(), masterFd);
            }
        };
    }

    /** Where each namespace of the container can be joined later (exec, checkpoint), by config type. */
    public static Map<String, String> namespacePaths(Linux linux, int pid) {
        Map<String, String> m = new LinkedHashMap<>();
        if (linux != null) {
            for (Linux.Namespace ns : Nulls.list(linux.namespaces())) {
                m.put(ns.type(), ns.path() != null && !ns.path().isEmpty() ? ns.path()
                        : "/proc/" + pid + "/ns/" + Namespaces.procName(ns.type()));
            }
        }
        return m;
    }

    public static void writePidFile(Path pidFile, int pid) {
        writePidFile(pidFile, pid, io.jruntime.core.sys.Caller.SELF.context());
    }

    /**
     * Writes the pid file with the mode the caller's umask gives a new file (0666 masked, as runc's
     * os.OpenFile(..., 0666)): set explicitly, since the daemon's process umask is not the caller's.
     */
    public static void writePidFile(Path pidFile, int pid, io.jruntime.core.sys.CallerContext caller) {
        Path abs = caller.cwd().resolve(pidFile); // the CLI already made it absolute against the caller's cwd
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, Integer.toString(pid));
            Files.setPosixFilePermissions(tmp, caller.newFilePermissions());
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new JRuntimeException("--pid-file " + pidFile + ": cannot write: " + e.getMessage(), e);
        }
    }

    public static List<String> stdioPaths(int[] stdio) {
        return java.util.Arrays.stream(stdio).mapToObj(fd -> {
            try {
                return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            } catch (IOException e) {
                return "";
            }
        }).toList();
    }
}
