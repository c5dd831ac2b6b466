package io.jruntime.core.lifecycle;

import io.jruntime.core.log.Debug;
import io.jruntime.core.FaultInjection;
import io.jruntime.core.ExecFailedException;
import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.RuntimeContext;
import io.jruntime.core.cgroups.Cgroup;
import io.jruntime.core.cgroups.SubCgroups;
import io.jruntime.core.init.InitSession;
import io.jruntime.core.sys.Caller;
import io.jruntime.core.init.LaunchPlan;
import io.jruntime.core.security.SecurityModules;
import io.jruntime.core.state.ContainerState;
import io.jruntime.core.state.ContainerStatus;
import io.jruntime.core.state.StatusResolver;
import io.jruntime.core.terminal.ConsoleSocket;
import io.jruntime.core.terminal.TerminalProxy;
import io.jruntime.spec.Process;
import io.jruntime.spec.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * {@code exec}: start one more process inside a running container. The helper joins every namespace the
 * container has (user first), Java puts the new process into the container's cgroups before it runs, and
 * the process gets the container's confinement with the exec's own overrides.
 */
public final class ProcessExecutor {
    /** @param config the container's saved config.json (its linux section confines the process), or null */
    /** @param subCgroups {@code exec --cgroup} values ("[controller:]path"), see {@link SubCgroups} */
    public record Request(String id, Process process, Spec config, Path pidFile, String consoleSocket, boolean detach,
                          int preserveFds, boolean ignorePaused, IntConsumer terminalSink, Caller caller,
                          List<String> subCgroups) {
        public Request {
            subCgroups = List.copyOf(subCgroups);
        }

        public Request(String id, Process process, Spec config, Path pidFile, String consoleSocket, boolean detach,
                       int preserveFds, boolean ignorePaused, IntConsumer terminalSink, Caller caller) {
            this(id, process, config, pidFile, consoleSocket, detach, preserveFds, ignorePaused, terminalSink, caller,
                    List.of());
        }
    }

    private ProcessExecutor() {
    }

    /** Returns the host pid of the started process (not yet waited for). */
    public static int start(RuntimeContext ctx, Request r) {
        ContainerState s = ctx.store().load(r.id());
        // No lock, as runc: an exec may run as long as the container, and must not keep delete or checkpoint out.
        Transitions.require(StatusResolver.status(ctx.store(), s),
                r.ignorePaused() ? Transitions.Command.EXEC_IGNORE_PAUSED : Transitions.Command.EXEC, r.id());
        SecurityModules.check("process.apparmorProfile (exec --apparmor)", r.process().apparmorProfile(),
                "process.selinuxLabel (exec --process-label)", r.process().selinuxLabel());
        boolean terminal = Boolean.TRUE.equals(r.process().terminal());
        if (terminal && r.consoleSocket() == null && r.terminalSink() == null) {
            throw new InvalidArgumentException("cannot allocate tty if jruntime will detach without setting console "
                    + "socket (--tty or process.terminal without --console-socket)");
        }
        if (terminal && r.consoleSocket() == null) {
            TerminalProxy.requireHostConsole();
        }
        Spec spec = r.config();
        // Checked before anything starts, as runc refuses a bad --cgroup before its parent process exists.
        Map<String, String> cgroups;
        try {
            cgroups = SubCgroups.apply(s.cgroupPaths(), r.subCgroups());
        } catch (JRuntimeException e) {
            throw new ExecFailedException(e);
        }
        Process process = ProcessEnv.complete(r.process(), Path.of("/proc/" + s.initPid() + "/root"));
        LaunchPlan plan = PlanBuilder.forExec(s.namespacePaths(), process, spec == null ? null : spec.linux(),
                r.preserveFds(), ctx.rootlessEuid() && setgroupsDenied(s.initPid()),
                SeccompSetup.compile(spec == null ? null : spec.linux()), s.rootfs());
        if (Debug.on()) {
            Debug.log(ProcessExecutor.class, "exec in " + r.id() + ": " + process.args() + ", joining namespaces "
                    + s.namespacePaths() + ", launch plan of " + plan.records().size() + " records");
        }
        try (InitSession session = InitSession.start(plan, r.caller())) {
            FaultInjection.point("exec.after-helper-spawned");
            InitSession.Callbacks cb = new InitSession.Callbacks() {
                @Override
                public void writeIdMaps(int pid) {
                    throw new JRuntimeException("exec must not create a user namespace");
                }

                @Override
                public void runtimeHooks() {
                }

                @Override
                public void seccompListener(int notifyFd, int pid) {
                    SeccompSetup.handOver(spec.linux(), notifyFd, pid, StateJson.of(s, ContainerStatus.RUNNING));
                }

                @Override
                public void console(int masterFd) {
                    ConsoleSocket.deliver(r.consoleSocket(), r.terminalSink(), masterFd);
                }
            };
            int pid = session.awaitChildPid(cb);
            joinCgroups(cgroups, pid);
            if (Debug.on()) {
                Debug.log(ProcessExecutor.class, "exec process pid " + pid + " placed in cgroups "
                        + Debug.cgroupPaths(cgroups) + "; sending GO");
            }
            session.go(StateJson.of(s, ContainerStatus.RUNNING));
            session.awaitReady(cb);
            FaultInjection.point("exec.after-ready");
            if (r.pidFile() != null) {
                ContainerCreator.writePidFile(r.pidFile(), pid, ctx.caller().context());
            }
            session.release();
            if (Debug.on()) {
                Debug.log(ProcessExecutor.class, "exec process pid " + pid + " released to exec");
            }
            return pid;
        } catch (ExecFailedException e) {
            throw e;
        } catch (JRuntimeException e) {
            throw new ExecFailedException(e);
        }
    }

    /** Whether the container's user namespace denies setgroups (what its creator wrote to /proc/PID/setgroups). */
    private static boolean setgroupsDenied(int initPid) {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/" + initPid + "/setgroups")).trim().equals("deny");
        } catch (java.io.IOException e) {
            return true;
        }
    }

    private static void joinCgroups(Map<String, String> cgroupPaths, int pid) {
        if (!cgroupPaths.isEmpty()) {
            Cgroup.fromPaths(cgroupPaths).join(pid);
        }
    }
}
