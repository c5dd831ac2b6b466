package io.jruntime.criu;

import io.jruntime.core.log.Debug;
import com.google.protobuf.InvalidProtocolBufferException;
import io.jruntime.core.sys.Errno;
import io.jruntime.core.sys.SyscallException;
import io.jruntime.core.sys.Fds;
import io.jruntime.core.sys.Processes;
import io.jruntime.core.sys.Sockets;
import io.jruntime.criu.rpc.CriuRpc.criu_notify;
import io.jruntime.criu.rpc.CriuRpc.criu_opts;
import io.jruntime.criu.rpc.CriuRpc.criu_req;
import io.jruntime.criu.rpc.CriuRpc.criu_req_type;
import io.jruntime.criu.rpc.CriuRpc.criu_resp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One request/response exchange with a fresh {@code criu swrk} process.
 *
 * <p>The protocol: we create an AF_UNIX SOCK_SEQPACKET socketpair, start {@code criu swrk 3} with one end as its fd 3
 * and keep the other. Every message is one packet holding one serialised protobuf message: we send one
 * {@code criu_req}; CRIU answers with zero or more {@code criu_resp} of type NOTIFY (one per action-script stage when
 * {@code opts.notify_scripts} is set; the "orphan-pts-master" one carries an fd as SCM_RIGHTS), each of which we answer
 * with {@code criu_req{type: NOTIFY, notify_success}}, and finally one {@code criu_resp} of the request's type with
 * {@code success}, {@code cr_errno} and {@code cr_errmsg}. Then criu exits and we reap it.
 *
 * <p>How CRIU finds the fds named in a request (checked in CRIU's cr-service.c): {@code images_dir_fd},
 * {@code work_dir_fd}, {@code status_fd} and {@code pidfd_store_sk} are opened as
 * {@code /proc/<peer>/fd/<n>}, where peer is the SO_PEERCRED pid of the socket; for a socketpair that is the process
 * that created it, i.e. this JVM. So those are <em>our</em> fd numbers and need not exist in criu. The fds of
 * {@code inherit_fd} and {@code ps.fd} ("swrk only") are used by criu directly, so they must be in criu's fd table:
 * callers pass them in {@code childFds} (criu's number to our fd) and name criu's number in the request.
 *
 * <p>criu's stdin is /dev/null; stdout and stderr go to a memfd we read afterwards: CRIU logs to its log file in the
 * work directory, but a few early errors (e.g. an unopenable images directory, before the log exists) only reach
 * stderr. A memfd cannot fill up or block criu, and criu's long-lived children (page server daemons) holding it
 * cannot make us wait.
 *
 * <p>Bounded waits: every wait for a packet polls with the remaining time; when the timeout passes (time spent in
 * the caller's notify handler excluded) criu and its descendants are SIGKILLed and reaped, and a TIMEOUT
 * {@link CriuException} says so. After the final response criu gets {@link #EXIT_GRACE_MILLIS} to exit before it is
 * killed, so a wedged criu can never hang the caller. Interrupting the calling thread does the same within a quarter
 * second (INTERRUPTED). Known case: CRIU 4.2.1 hangs after a failed lazy-pages restore ("Killing processes because of
 * failure on restore") and is ended this way.
 */
final class CriuSession {
    static final int SWRK_FD = 3;
    private static final int ECONNRESET = 104;
    /** Largest packet we accept; CRIU's responses are a few hundred bytes. */
    static final int MAX_PACKET = 1 << 20;
    static final long EXIT_GRACE_MILLIS = 10_000;
    /** The PATH criu runs with: it execs iptables/nft for network locking; engines may give us no PATH at all. */
    static final String CRIU_PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** The final response plus what we learned about the criu process. */
    record Outcome(criu_resp response, String exitStatus, String output, List<String> notified,
                   Throwable callbackFailure) {
    }

    private final CriuBinary binary;
    private final long timeoutMillis;
    private final String operation;
    private final Path logFile;

    private final CriuLauncher launcher;

    CriuSession(CriuBinary binary, long timeoutMillis, String operation, Path logFile) {
        this(binary, timeoutMillis, operation, logFile, CriuLauncher.DIRECT);
    }

    CriuSession(CriuBinary binary, long timeoutMillis, String operation, Path logFile, CriuLauncher launcher) {
        this.launcher = launcher;
        this.binary = binary;
        this.timeoutMillis = timeoutMillis;
        this.operation = operation;
        this.logFile = logFile;
    }

    /**
     * Runs one request to its final response. Throws TIMEOUT/PROTOCOL CriuExceptions; a response with
     * success=false is returned, not thrown, so the caller can phrase the failure.
     *
     * @param childFds extra fds for criu: criu's fd number (> 3) to our fd; we keep ownership
     */
    Outcome call(criu_req request, Map<Integer, Integer> childFds, NotifyHandler handler) {
        int[] pair = Sockets.socketpair(Sockets.SOCK_SEQPACKET);
        int ours = pair[0];
        int theirs = pair[1];
        int devNull = -1;
        int output = -1;
        int pid = -1;
        String exitStatus = null;
        List<String> notified = new ArrayList<>();
        try {
            devNull = Fds.open("/dev/null", Fds.O_RDWR | Fds.O_CLOEXEC, 0);
            output = Fds.memfdCreate("criu-swrk-output", Fds.MFD_CLOEXEC);
            Map<Integer, Integer> fdMap = new HashMap<>(childFds);
            fdMap.put(0, devNull);
            fdMap.put(1, output);
            fdMap.put(2, output);
            fdMap.put(SWRK_FD, theirs);
            String rpcSocket = socketName(theirs);
            pid = launcher.launch(binary.path().toString(), List.of("criu", "swrk", Integer.toString(SWRK_FD)),
                    List.of(CRIU_PATH_ENV), fdMap);
            Fds.close(theirs);
            theirs = -1;

            criu_req_type expected = request.getType();
            if (Debug.on()) {
                // the options as CRIU gets them (images/work dirs are fds; the paths are in the caller's line)
                Debug.log(CriuSession.class, "criu swrk started (pid " + pid + "): sending " + expected + " request {"
                        + com.google.protobuf.TextFormat.printer().emittingSingleLine(true).printToString(request.getOpts()).strip()
                        + "}");
            }
            boolean sent = send(ours, request);
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            Throwable callbackFailure = null;
            while (true) {
                Sockets.Received packet = sent ? receive(ours, deadline, pid) : null;
                if (packet == CRIU_DIED) {
                    // criu itself is gone, but something it started still holds its end of the socket (so no EOF
                    // came): end that too now, instead of waiting out the time limit.
                    int dead = pid;
                    pid = -1;
                    List<Integer> killed = killLeftovers(lastTree, rpcSocket);
                    throw protocol("criu exited without answering (" + describe(diedStatus) + ")"
                            + (killed.isEmpty() ? "" : "; its remaining processes " + killed
                            + " (holding the RPC socket or left from its tree) were killed with SIGKILL")
                            + " [criu pid " + dead + "]", output);
                }
                if (packet == TIMED_OUT) {
                    int dead = pid;
                    killTree(pid);
                    pid = -1;
                    throw timedOut(dead, reapBlocking(dead), output);
                }
                if (packet == INTERRUPTED) {
                    int dead = pid;
                    killTree(pid);
                    pid = -1;
                    String st = reapBlocking(dead);
                    throw new CriuException(CriuException.Kind.INTERRUPTED, operation, "CRIU " + operation
                            + " was interrupted and criu was killed with its child processes (criu pid " + dead + ", "
                            + st + ")" + details(logFile, readOutput(output)), 0, logFile,
                            CriuLog.errorLines(logFile, CriuLog.MAX_ERROR_LINES), null);
                }
                if (packet == null) {
                    exitStatus = reap(pid);
                    pid = -1;
                    throw protocol("criu exited without answering (" + exitStatus + ")", output);
                }
                criu_resp resp;
                try {
                    resp = criu_resp.parseFrom(packet.data());
                } catch (InvalidProtocolBufferException e) {
                    closeQuietly(packet.fd());
                    throw protocol("criu sent a message that is not a criu_resp: " + e.getMessage(), output);
                }
                if (resp.getType() == criu_req_type.NOTIFY) {
                    long started = System.nanoTime();
                    criu_notify n = resp.getNotify();
                    notified.add(n.getScript());
                    if (Debug.on()) {
                        Debug.log(CriuSession.class, "criu notification " + n.getScript() + " (pid " + n.getPid() + ")");
                    }
                    Throwable failure = notify(handler, n, packet.fd());
                    if (failure != null && callbackFailure == null) {
                        callbackFailure = failure;
                    }
                    sent = send(ours, notifyAnswer(failure == null, handler, n.getScript()));
                    deadline += System.nanoTime() - started;
                    continue;
                }
                closeQuietly(packet.fd());
                if (resp.getType() != expected && resp.getType() != criu_req_type.EMPTY) {
                    throw protocol("criu answered a " + expected + " request with " + resp.getType(), output);
                }
                Fds.close(ours);
                ours = -1;
                exitStatus = reap(pid);
                pid = -1;
                if (Debug.on()) {
                    Debug.log(CriuSession.class, "criu answered " + resp.getType() + ": success " + resp.getSuccess()
                            + (resp.getSuccess() ? "" : ", errno " + resp.getCrErrno()) + "; criu " + exitStatus);
                }
                return new Outcome(resp, exitStatus, readOutput(output), List.copyOf(notified), callbackFailure);
            }
        } finally {
            if (ours >= 0) {
                closeQuietly(ours);
            }
            if (theirs >= 0) {
                closeQuietly(theirs);
            }
            if (pid > 0) {
                killTree(pid);
                reapBlocking(pid);
            }
            if (devNull >= 0) {
                closeQuietly(devNull);
            }
            if (output >= 0) {
                closeQuietly(output);
            }
        }
    }

    private Throwable notify(NotifyHandler handler, criu_notify n, int fd) {
        if (handler == null) {
            closeQuietly(fd);
            return null;
        }
        try {
            handler.onNotify(new CriuNotification(n.getScript(), n.hasPid() ? n.getPid() : 0, fd));
            return null;
        } catch (Exception e) {
            return e;
        } finally {
            closeQuietly(fd);
        }
    }

    private static criu_req notifyAnswer(boolean ok, NotifyHandler handler, String script) {
        criu_req.Builder b = criu_req.newBuilder().setType(criu_req_type.NOTIFY).setNotifySuccess(ok);
        if (ok && handler != null && CriuNotification.QUERY_EXT_FILES.equals(script)) {
            List<String> more = handler.queryExternalFiles();
            if (more != null && !more.isEmpty()) {
                // images_dir_fd is a required field of criu_opts; CRIU only reads `external` here.
                b.setOpts(criu_opts.newBuilder().setImagesDirFd(-1).addAllExternal(more));
            }
        }
        return b.build();
    }

    /** Sends one message; false when criu is gone (EPIPE/ECONNRESET), which callers treat like EOF. */
    private boolean send(int sock, criu_req req) {
        try {
            Sockets.sendmsg(sock, req.toByteArray(), -1, "request to criu");
            return true;
        } catch (SyscallException e) {
            if (e.errno() == Errno.EPIPE || e.errno() == ECONNRESET) {
                return false;
            }
            throw new CriuException(CriuException.Kind.PROTOCOL, operation,
                    "CRIU " + operation + ": cannot send the request to criu: " + e.getMessage(), 0, logFile,
                    CriuLog.errorLines(logFile, CriuLog.MAX_ERROR_LINES), e);
        }
    }

    /** Marks "criu exited, though its socket stays open" from {@link #receive}; see {@link #diedStatus}. */
    private static final Sockets.Received CRIU_DIED = new Sockets.Received(new byte[0], -1, false);
    /** criu's wait status once {@link #receive} found it dead (it is then reaped). */
    private Processes.WaitStatus diedStatus;
    /** criu's descendants with their start times as last seen while it lived, for {@link #killLeftovers}. */
    private Map<Integer, Long> lastTree = Map.of();

    /** Marks "the deadline passed" from {@link #receive}. */
    private static final Sockets.Received TIMED_OUT = new Sockets.Received(new byte[0], -1, false);
    /** Marks "the calling thread was interrupted" from {@link #receive}. */
    private static final Sockets.Received INTERRUPTED = new Sockets.Received(new byte[0], -1, false);

    /**
     * Waits for the next packet until the deadline: the packet, null at EOF (criu closed its end, normally by
     * exiting), or {@link #TIMED_OUT}.
     */
    private Sockets.Received receive(int sock, long deadline, int criuPid) {
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return TIMED_OUT;
            }
            if (Thread.currentThread().isInterrupted()) {
                return INTERRUPTED;
            }
            // Short slices so an interrupt of the calling thread is noticed within a quarter second.
            int rev = Fds.poll(sock, Fds.POLLIN, (int) Math.min(left, 250));
            if (rev == 0) {
                // Nothing yet: is criu still there? A descendant of a killed criu (a stopped page server, a
                // helper) can keep the socket open forever, so EOF alone cannot tell.
                Processes.WaitStatus st = launcher.waitpid(criuPid, Processes.WNOHANG);
                if (st != null) {
                    diedStatus = st;
                    return CRIU_DIED;
                }
                lastTree = tree(criuPid);
                continue;
            }
            Sockets.Received r;
            try {
                r = Sockets.recvmsg(sock, MAX_PACKET, "response from criu");
            } catch (SyscallException e) {
                if (e.errno() == ECONNRESET) {
                    return null; // criu exited with our request unread
                }
                throw e;
            }
            if (r.eof() && r.data().length == 0) {
                closeQuietly(r.fd());
                return null;
            }
            return r;
        }
    }

    private CriuException timedOut(int pid, String status, int output) {
        return new CriuException(CriuException.Kind.TIMEOUT, operation,
                "CRIU " + operation + " did not finish within " + seconds(timeoutMillis)
                        + " and was killed with its child processes (criu pid " + pid + ", " + status + ")."
                        + ("dump".equals(operation) || "pre-dump".equals(operation)
                        ? " The kernel released the tasks being checkpointed when criu died, but they may be left"
                        + " stopped or frozen: check their state and any freezer cgroup." : "")
                        + ("restore".equals(operation)
                        ? " Tasks restored as siblings of criu (rst_sibling) are not killed: check for them." : "")
                        + details(logFile, readOutput(output)),
                0, logFile, CriuLog.errorLines(logFile, CriuLog.MAX_ERROR_LINES), null);
    }

    private CriuException protocol(String what, int output) {
        return new CriuException(CriuException.Kind.PROTOCOL, operation,
                "CRIU " + operation + " failed: " + what + details(logFile, readOutput(output)), 0, logFile,
                CriuLog.errorLines(logFile, CriuLog.MAX_ERROR_LINES), null);
    }

    /** The log's last error lines (or criu's own output when the log has none) for a message. */
    static String details(Path logFile, String output) {
        StringBuilder sb = new StringBuilder();
        List<String> errors = CriuLog.errorLines(logFile, CriuLog.MAX_ERROR_LINES);
        if (!errors.isEmpty()) {
            sb.append("\n  last errors in ").append(logFile).append(':');
            for (String e : errors) {
                sb.append("\n    ").append(e);
            }
        } else if (logFile != null && Files.isRegularFile(logFile)) {
            sb.append("\n  log: ").append(logFile);
        }
        if (output != null && !output.isBlank()) {
            sb.append("\n  criu said:");
            List<String> lines = output.strip().lines().toList();
            for (String l : lines.subList(Math.max(0, lines.size() - 8), lines.size())) {
                sb.append("\n    ").append(l);
            }
        }
        return sb.toString();
    }

    static String readOutput(int memfd) {
        if (memfd < 0) {
            return "";
        }
        // Re-opening through /proc gives a fresh file offset at 0 (criu's writes moved the shared one to the end).
        Path p = Path.of("/proc/self/fd/" + memfd);
        try {
            byte[] all = Files.readAllBytes(p);
            int from = Math.max(0, all.length - 16 * 1024);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits (bounded) for criu to exit after its final response; kills it if it lingers. */
    private String reap(int pid) {
        long deadline = System.nanoTime() + EXIT_GRACE_MILLIS * 1_000_000L;
        long sleep = 1;
        while (System.nanoTime() < deadline) {
            Processes.WaitStatus st = launcher.waitpid(pid, Processes.WNOHANG);
            if (st != null) {
                return describe(st);
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            sleep = Math.min(sleep * 2, 50);
        }
        killTree(pid);
        return reapBlocking(pid) + ", killed after not exiting within " + seconds(EXIT_GRACE_MILLIS);
    }

    private String reapBlocking(int pid) {
        try {
            return describe(launcher.waitpid(pid, 0));
        } catch (SyscallException e) {
            return "not reaped: " + e.getMessage();
        }
    }

    static String describe(Processes.WaitStatus st) {
        return st.exited() ? "exit status " + st.exitCode() : "killed by signal " + st.termSignal();
    }

    /** SIGKILLs pid and every descendant (via /proc/PID/task/TID/children), children first collected. */
    static void killTree(int pid) {
        List<Integer> all = new ArrayList<>();
        collect(pid, all, 0);
        for (int p : all) {
            Processes.kill(p, 9);
        }
    }

    private static void collect(int pid, List<Integer> out, int depth) {
        out.add(pid);
        if (depth > 64) {
            return;
        }
        try (var tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks) {
                String children;
                try {
                    children = Files.readString(t.resolve("children")).strip();
                } catch (IOException e) {
                    continue;
                }
                if (!children.isEmpty()) {
                    for (String c : children.split("\\s+")) {
                        collect(Integer.parseInt(c), out, depth + 1);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone already, or no /proc: the pid itself is still in the list
        }
    }

    /** pid to start time of criuPid's descendants (not criu itself). */
    private static Map<Integer, Long> tree(int criuPid) {
        List<Integer> all = new ArrayList<>();
        collect(criuPid, all, 0);
        Map<Integer, Long> out = new HashMap<>();
        for (int p : all.subList(1, all.size())) {
            out.put(p, io.jruntime.core.state.ProcStat.startTime(p));
        }
        return out;
    }

    /** "socket:[inode]" of fd, as /proc/PID/fd shows it in every process that holds it; null if unreadable. */
    private static String socketName(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * After criu died: SIGKILLs its descendants last seen (still the same processes) and every process that still
     * holds criu's end of the RPC socket (only criu's children can: it was passed to criu alone). They were
     * re-parented to init or the nearest subreaper, which reaps them. Returns the pids killed.
     */
    private static List<Integer> killLeftovers(Map<Integer, Long> tree, String socket) {
        java.util.Set<Integer> victims = new java.util.TreeSet<>();
        tree.forEach((p, start) -> {
            if (io.jruntime.core.state.ProcStat.alive(p, start)) {
                victims.add(p);
            }
        });
        if (socket != null) {
            int self = (int) ProcessHandle.current().pid();
            try (var procs = Files.newDirectoryStream(Path.of("/proc"), e -> e.getFileName().toString().matches("\\d+"))) {
                for (Path proc : procs) {
                    int p = Integer.parseInt(proc.getFileName().toString());
                    if (p != self && holds(proc, socket)) {
                        victims.add(p);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // /proc unreadable: the tree snapshot is all we have
            }
        }
        for (int p : victims) {
            Processes.kill(p, 9);
        }
        return List.copyOf(victims);
    }

    private static boolean holds(Path proc, String socket) {
        try (var fds = Files.newDirectoryStream(proc.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    if (socket.equals(Files.readSymbolicLink(fd).toString())) {
                        return true;
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not ours to read
        }
        return false;
    }

    static String seconds(long millis) {
        return millis % 1000 == 0 ? (millis / 1000) + " s" : String.format("%.1f s", millis / 1000.0);
    }

    private static void closeQuietly(int fd) {
        if (fd >= 0) {
            try {
                Fds.close(fd);
            } catch (RuntimeException ignored) {
                // nothing useful to do
            }
        }
    }
}
