package io.jruntime.core.init;

import io.jruntime.core.JRuntimeException;
import io.jruntime.core.sys.Caller;
import io.jruntime.core.sys.Fds;
import io.jruntime.core.sys.Processes;
import io.jruntime.core.sys.Sockets;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of jruntime-init, driven step by step over the sync socket. The order of calls mirrors the
 * helper's stages: {@link #start}, {@link #awaitChildPid}, {@link #go}, {@link #awaitReady}, {@link #release}
 * (COMMIT); closing without release aborts the helper.
 * Any ERROR packet becomes a {@link JRuntimeException} carrying the helper's own description of what failed.
 */
public final class InitSession implements AutoCloseable {
    /** Host-side work the helper asks for during its run. */
    public interface Callbacks {
        /** A new user namespace exists in process pid: write its id maps now. */
        void writeIdMaps(int pid);

        /** Mounts are done, before pivot_root: run prestart and createRuntime hooks (pid = container init). */
        void runtimeHooks();

        /** The container's terminal master; the callback owns the fd. */
        void console(int masterFd);

        /**
         * The seccomp notify fd of a filter with SCMP_ACT_NOTIFY rules (pid = the process that loaded it); the
         * callback owns the fd and hands it to linux.seccomp.listenerPath.
         */
        default void seccompListener(int notifyFd, int pid) {
            Fds.close(notifyFd);
            throw new JRuntimeException("jruntime-init sent a seccomp notify fd nobody asked for");
        }
    }

    private final int sock;
    private final int stage0Pid;
    /** Parent of the helper (stage0): only it can reap it. */
    private final Caller parent;
    private int childPid = -1;
    private boolean stage0Reaped;

    /** The helper's debug log channel, null without --debug. */
    private final HelperLog log;

    private InitSession(int sock, int stage0Pid, Caller parent, HelperLog log) {
        this.sock = sock;
        this.stage0Pid = stage0Pid;
        this.parent = parent;
        this.log = log;
    }

    /**
     * Spawns the helper as a child of the caller, with the caller's stdio and preserved fds, sends the plan, and
     * returns. The container's process (cloned with CLONE_PARENT) is then the caller's child too.
     */
    public static InitSession start(LaunchPlan plan, Caller caller) {
        int[] stdio = caller.stdio();
        Map<Integer, Integer> fds = new HashMap<>();
        List<String> devNull = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            fds.put(i, stdio[i]);
            if (isDevNull(stdio[i])) {
                devNull.add(Integer.toString(i));
            }
        }
        if (!devNull.isEmpty()) {
            List<PlanRecord> records = new java.util.ArrayList<>(plan.records());
            records.add(PlanRecord.text(InitProtocol.DEVNULL_FDS, devNull));
            plan = new LaunchPlan(records, plan.uidMap(), plan.gidMap(), plan.denySetgroups(), plan.preserveFds());
        }
        for (int i = 0; i < plan.preserveFds(); i++) {
            fds.put(3 + i, caller.fd(3 + i));
        }
        return spawn(plan.records(), fds, caller);
    }

    private static boolean isDevNull(int fd) {
        try {
            return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/" + fd)).toString().equals("/dev/null");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * Spawns the helper with exactly the given fds (child fd to our fd); its sync socket and image copy go right
     * after the highest of them.
     */
    static InitSession spawn(List<PlanRecord> records, Map<Integer, Integer> childFds, Caller parent) {
        for (PlanRecord r : records) {
            InitProtocol.checkSize(r);
        }
        int[] pair = Sockets.socketpair(Sockets.SOCK_SEQPACKET);
        int image = -1;
        HelperLog log = null;
        try {
            image = HelperBinary.sealedCopy();
            Map<Integer, Integer> fds = new HashMap<>(childFds);
            int next = Math.max(3, fds.keySet().stream().mapToInt(Integer::intValue).max().orElse(2) + 1);
            log = HelperLog.openIfDebug();
            if (log != null) {
                // below the sync socket: the helper closes everything above it first thing
                fds.put(next, log.writeEnd());
                records = new java.util.ArrayList<>(records);
                records.add(PlanRecord.number(InitProtocol.LOG_FD, next));
                next++;
            }
            int syncTarget = next;
            int imageTarget = syncTarget + 1;
            fds.put(syncTarget, pair[1]);
            fds.put(imageTarget, image);
            int pid = parent.spawn("/proc/self/fd/" + imageTarget,
                    List.of(HelperBinary.NAME, Integer.toString(syncTarget)), List.of(), fds);
            InitSession s = new InitSession(pair[0], pid, parent, log);
            Fds.close(pair[1]);
            pair[1] = -1;
            if (log != null) {
                log.spawned();
                io.jruntime.core.log.Debug.log(InitSession.class, "spawned " + HelperBinary.NAME + " (pid " + pid
                        + ") with a plan of " + records.size() + " records, sync fd " + syncTarget);
            }
            for (PlanRecord r : records) {
                s.send(r);
            }
            s.send(PlanRecord.flag(InitProtocol.END));
            return s;
        } catch (RuntimeException e) {
            Fds.close(pair[0]);
            if (pair[1] >= 0) {
                Fds.close(pair[1]);
            }
            if (log != null) {
                log.spawned();
            }
            throw e;
        } finally {
            if (image >= 0) {
                Fds.close(image);
            }
        }
    }

    /**
     * Brings up the loopback interface in the network namespace of pid, as create does for a new network
     * namespace; restore needs it because CRIU recreates that namespace empty (--empty-ns network).
     */
    public static void loopbackUp(int pid) {
        List<PlanRecord> records = List.of(PlanRecord.text(InitProtocol.MODE, "network"),
                PlanRecord.text(InitProtocol.JOIN_NS, "net", "/proc/" + pid + "/ns/net"),
                PlanRecord.number(InitProtocol.UNSHARE, 0), PlanRecord.flag(InitProtocol.LOOPBACK_UP));
        try (InitSession s = spawn(records, Map.of(), Caller.SELF)) {
            s.next("bringing up lo");
            if (s.lastTag != InitProtocol.READY) {
                throw new JRuntimeException("unexpected message " + s.lastTag + " from jruntime-init");
            }
            s.parent.waitpid(s.stage0Pid, 0);
            s.stage0Reaped = true;
        }
    }

    /**
     * Starts CRIU through the helper in a private mount namespace where the restore's mountpoints are prepared
     * first (mount records in config order, bind sources temporarily mounted) and the rootfs is bound onto
     * itself. The helper, and so CRIU, is a child of parent: CRIU restores the tree as its sibling (rst_sibling),
     * which makes the container's init parent's child. Returns the pid, which is CRIU's once this returns;
     * parent reaps it. A preparation failure throws with the helper's message, which names the mount.
     */
    public static int spawnCriu(Caller parent, String criu, List<String> argv, List<String> env,
                                Map<Integer, Integer> fds, String rootfs, List<PlanRecord> mountRecords) {
        List<PlanRecord> records = new java.util.ArrayList<>();
        records.add(PlanRecord.text(InitProtocol.MODE, "restore"));
        records.add(PlanRecord.text(InitProtocol.ROOTFS, rootfs));
        records.addAll(mountRecords);
        List<String> args = new java.util.ArrayList<>(argv);
        args.set(0, criu);
        records.add(PlanRecord.text(InitProtocol.ARGS, args));
        records.add(PlanRecord.text(InitProtocol.ENV, env));
        InitSession s = spawn(records, fds, parent);
        try {
            s.next("preparing the restore");
            if (s.lastTag != InitProtocol.READY) {
                throw new JRuntimeException("unexpected message " + s.lastTag + " from jruntime-init");
            }
            s.stage0Reaped = true; // it is CRIU now; the CRIU session reaps it
            return s.stage0Pid;
        } finally {
            s.close();
        }
    }

    private void send(PlanRecord r) {
        Sockets.sendmsg(sock, r.encode(), -1, "to jruntime-init");
    }

    private int lastTag;

    /** Next packet from the helper; ERROR and EOF become exceptions. */
    private Sockets.Received next(String waitingFor) {
        Sockets.Received r = Sockets.recvmsg(sock, InitProtocol.MAX_PACKET, "from jruntime-init");
        lastTag = r.eof() ? -1 : tag(r);
        if (log != null && (lastTag == InitProtocol.READY || lastTag == InitProtocol.ERROR || lastTag == -1)) {
            log.finish(); // the helper closed its log end before READY: its lines come before ours that follow
            if (lastTag == InitProtocol.READY && r.data().length > 4) {
                io.jruntime.core.log.Debug.helper("warning", "init-1: " + payload(r)
                        + " debug log line(s) dropped: the log channel was full (the helper never waits for it)");
            }
        }
        if (r.eof()) {
            throw new JRuntimeException("container init exited while " + waitingFor + stage0Status());
        }
        if (tag(r) == InitProtocol.ERROR) {
            throw new JRuntimeException(payload(r));
        }
        return r;
    }

    private String stage0Status() {
        if (stage0Reaped) {
            return "";
        }
        Processes.WaitStatus ws = parent.waitpid(stage0Pid, Processes.WNOHANG);
        if (ws == null) {
            return "";
        }
        stage0Reaped = true;
        return ws.exited() ? " (helper exit status " + ws.exitCode() + ")" : " (helper killed by signal " + ws.termSignal() + ")";
    }

    private static int tag(Sockets.Received r) {
        byte[] d = r.data();
        return (d[0] & 0xff) | (d[1] & 0xff) << 8 | (d[2] & 0xff) << 16 | (d[3] & 0xff) << 24;
    }

    private static String payload(Sockets.Received r) {
        return new String(r.data(), 4, r.data().length - 4, StandardCharsets.UTF_8);
    }

    /** Handles the user-namespace handshake if any, and returns the host pid of the container process. */
    public int awaitChildPid(Callbacks cb) {
        while (true) {
            Sockets.Received r = next("setting up namespaces");
            switch (tag(r)) {
                case InitProtocol.USERNS_READY -> {
                    cb.writeIdMaps(Integer.parseInt(payload(r)));
                    send(PlanRecord.flag(InitProtocol.ACK));
                }
                case InitProtocol.CHILD_PID -> {
                    childPid = Integer.parseInt(payload(r));
                    // stage0 exits right after this message; reaping it also guarantees the child has been
                    // re-parented (to us if we are a subreaper) before anyone waits for it.
                    parent.waitpid(stage0Pid, 0);
                    stage0Reaped = true;
                    return childPid;
                }
                default -> throw new JRuntimeException("unexpected message " + tag(r) + " from jruntime-init");
            }
        }
    }

    /** The process is in its cgroups: let it continue. stateJson is stdin of in-container hooks. */
    public void go(String stateJson) {
        Sockets.sendmsg(sock, PlanRecord.text(InitProtocol.GO, stateJson).encode(), -1, "to jruntime-init");
    }

    /** Serves hook and console requests until the helper reports READY. */
    public void awaitReady(Callbacks cb) {
        while (true) {
            Sockets.Received r = next("setting up the container");
            switch (tag(r)) {
                case InitProtocol.RUNTIME_HOOKS_REQUEST -> {
                    cb.runtimeHooks();
                    send(PlanRecord.flag(InitProtocol.HOOKS_DONE));
                }
                case InitProtocol.CONSOLE -> {
                    if (r.fd() < 0) {
                        throw new JRuntimeException("jruntime-init sent no terminal fd");
                    }
                    cb.console(r.fd());
                }
                case InitProtocol.SECCOMP_NOTIFY -> {
                    if (r.fd() < 0) {
                        throw new JRuntimeException("jruntime-init sent no seccomp notify fd");
                    }
                    cb.seccompListener(r.fd(), childPid);
                    send(PlanRecord.flag(InitProtocol.ACK));
                }
                case InitProtocol.READY -> {
                    return;
                }
                default -> throw new JRuntimeException("unexpected message " + tag(r) + " from jruntime-init");
            }
        }
    }

    public int childPid() {
        return childPid;
    }

    /** The helper's first stage (jruntime-init as spawned): it makes the container's process and then exits. */
    public int helperPid() {
        return stage0Pid;
    }

    /**
     * Tells the helper the state is saved; it goes on to the exec fifo (or exec). Without this, closing the
     * session (an abort, or jruntime dying) makes the helper exit quietly instead of running the container.
     */
    public void release() {
        if (!closed) {
            Sockets.sendmsg(sock, PlanRecord.flag(InitProtocol.COMMIT).encode(), -1, "to jruntime-init");
        }
        close();
    }

    private boolean closed;

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Fds.close(sock);
            if (log != null) {
                log.spawned(); // no wait here: on an abort the caller may still have to kill the init
            }
            if (!stage0Reaped) {
                Processes.kill(stage0Pid, 9);
                parent.waitpid(stage0Pid, 0);
                stage0Reaped = true;
            }
        }
    }
}
