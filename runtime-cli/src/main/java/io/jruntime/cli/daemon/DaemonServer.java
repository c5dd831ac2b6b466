package io.jruntime.cli.daemon;

import io.jruntime.cli.Cli;
import io.jruntime.cli.log.Logging;
import io.jruntime.core.FaultInjection;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.cgroups.CgroupHost;
import io.jruntime.core.sys.Syscalls;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code jruntime daemon run}: a resident JVM that runs the short lifecycle commands for bin/jruntime, so an
 * engine's create/start/delete costs a socket round trip instead of a JVM start (see docs/PERFORMANCE.md).
 *
 * <p>One command at a time (jruntime's logging, working directory and umask are per process), each on a virtual
 * thread of its own that first takes {@link #oneAtATime}. A client that arrives while a command runs waits for it
 * at most {@link #WAIT_FOR_TURN_MILLIS} (a served command takes a few ms, a JVM of its own ~300 ms) and is then
 * declined and runs the command in its own JVM, so a hook that calls {@code jruntime state} during a create
 * never deadlocks. The daemon only serves a client that
 * {@link PeerCheck} finds identical to itself in uid, namespaces, root, capabilities and seccomp (pinned by a
 * pidfd at accept, checked again before ACCEPT and before the command runs), that runs the same jruntime.jar
 * (else it declines, and exits when the jar changed and the client passed the check), only the commands in
 * {@link #SERVED}, and only when every path argument means the same in the daemon ({@link CallerPaths}).
 * Each connection's first packet is read on a thread of its own, at most {@link #MAX_PENDING} at a
 * time, so silent connections delay nobody. An Error in a request stops the daemon (callers then run their own
 * JVM) rather than leaving it serving in an unknown state. The container's processes are started by the client ({@link ClientCaller}), so they land in
 * the engine's process tree exactly as without the daemon.
 *
 * <p>The same class is the per-user daemon of rootless engines (docs/ROOTLESS.md): started by bin/jruntime in
 * the caller's user namespace with {@code --lock-fd} (the lock that makes it the only one) and an idle timeout;
 * there it also declines a client whose USER differs from its own, since USER picks the state directory.
 */
public final class DaemonServer {
    /**
     * Quick commands without a foreground wait or terminal proxy; run, exec and restore only with --detach,
     * checkpoint only when it is not a lazy one (that serves pages until the restore is done) and writes no
     * status fd (a number in the client's fd table), restore not lazily. All else (a foreground run, exec or
     * restore, events, spec, features, ...) runs in the client's own JVM.
     */
    static final Set<String> SERVED = Set.of("create", "start", "delete", "kill", "state", "list", "pause", "resume", "ps",
            "update");

    /** Null when the daemon serves this command line, else why not. */
    static String unserved(Cli.CommandLine c) {
        if (c == null) {
            return "no command, or its flags do not parse (the client's own JVM reports that)";
        }
        boolean served = switch (c.name()) {
            case "run", "exec" -> c.flags().bool("detach");
            case "checkpoint" -> !c.flags().bool("lazy-pages") && !c.flags().has("page-server") && !c.flags().has("status-fd");
            case "restore" -> c.flags().bool("detach") && !c.flags().bool("lazy-pages");
            default -> SERVED.contains(c.name());
        };
        return served ? null : "command " + c.name() + " runs in its own JVM";
    }

    private final Path socket;
    private final long idleMillis;
    private final String buildId;
    private final PeerCheck peers;
    private final PrintStream log;
    /** The per-user daemon's lock (held for the daemon's life; launcher.c's start_user_daemon), or -1. */
    private final int lockFd;
    /** In a user namespace other than the initial one, $USER decides the state directory (StateDirRule). */
    private final boolean userNamespace = !PeerCheck.inInitialUserNamespace();
    /** How long a client waits for the command before it; then it runs in its own JVM. */
    static final long WAIT_FOR_TURN_MILLIS = 100;
    /** How long a connection may stay silent before its first packet (bin/jruntime sends it right away). */
    static final int HELLO_TIMEOUT_MILLIS = 2000;
    /** Connections waiting for their first packet at most; more are closed at once (their clients run a JVM). */
    static final int MAX_PENDING = 64;
    /** How long an accepted client may take to send its fds while it holds the turn. */
    static final long FDS_TIMEOUT_MILLIS = 5000;

    /** Held while a command runs; fair, so clients are served in the order they came. */
    private final ReentrantLock oneAtATime = new ReentrantLock(true);
    /** Accepted requests not finished yet (waiting for their turn or running): the daemon exits only at 0. */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    /** Accepted connections whose first packet has not been read yet. */
    private final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong declined = new AtomicLong();
    private final long started = System.currentTimeMillis();
    private volatile long lastActivity = started;
    private volatile boolean stopping;
    private volatile String stopReason = "stopped";

    /**
     * @param idleSeconds exit after this long without a command (0: never)
     * @param log         where the daemon notes what it declined and why (its stderr)
     */
    public DaemonServer(Path socket, long idleSeconds, int lockFd, PrintStream log) {
        this.socket = socket;
        this.lockFd = lockFd;
        this.idleMillis = idleSeconds * 1000;
        this.buildId = buildId(jar());
        this.peers = PeerCheck.ofThisProcess(Syscalls.geteuid());
        this.log = log;
    }

    /** The jar this JVM runs (bin/jruntime compares it with the one it would start). */
    static Path jar() {
        String libdir = System.getProperty("jruntime.libdir");
        if (libdir == null) {
            throw new JRuntimeException("jruntime daemon must be started through bin/jruntime (no -Djruntime.libdir)");
        }
        return Path.of(libdir, "jruntime.jar");
    }

    /** "path:size:seconds.nanoseconds" of the jar's stat: what launcher.c computes for the jar it would run. */
    static String buildId(Path jar) {
        try {
            long size = Files.size(jar);
            Instant m = Files.getLastModifiedTime(jar).toInstant();
            return jar + ":" + size + ":" + m.getEpochSecond() + "." + String.format("%09d", m.getNano());
        } catch (IOException e) {
            throw new JRuntimeException("cannot stat " + jar + ": " + e.getMessage());
        }
    }

    /** Listens until stopped, idle for too long, or the jar is replaced. */
    public void run() {
        holdLock();
        int listener = listen();
        Thread cleanup = new Thread(this::removeSocket, "jruntime-daemon-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        note("listening on " + socket + " (pid " + ProcessHandle.current().pid() + ", jar " + buildId + ")");
        try {
            while (!stopping || inFlight.get() > 0) {
                if (Syscalls.poll(listener, Syscalls.POLLIN, 500) <= 0) {
                    if (idleMillis > 0 && inFlight.get() == 0 && pending.get() == 0
                            && System.currentTimeMillis() - lastActivity > idleMillis) {
                        stopping = true;
                        stopReason = "idle for " + idleMillis / 1000 + " s";
                    }
                    continue;
                }
                int conn = Syscalls.accept(listener);
                if (pending.get() >= MAX_PENDING) {
                    Syscalls.close(conn); // the client sees the connection closed and runs its own JVM
                    continue;
                }
                PeerCheck.Peer peer;
                try {
                    peer = PeerCheck.Peer.pin(conn); // now, before the client can exit and its pid be reused
                } catch (RuntimeException e) {
                    Syscalls.close(conn);
                    note("connection dropped: cannot pin its peer: " + e.getMessage());
                    continue;
                }
                pending.incrementAndGet();
                // a platform thread: the wait for the first packet is a native poll(2), which would pin a virtual
                // thread's carrier (two on two cores), so 30 silent clients would again queue everyone behind them
                Thread.ofPlatform().daemon().stackSize(256 * 1024).name("jruntime-daemon-hello-" + peer.pid())
                        .start(() -> greet(conn, peer));
            }
        } finally {
            Syscalls.close(listener);
            removeSocket();
            note("exiting: " + stopReason + "; served " + served + ", declined " + declined);
        }
    }

    /** Reads a connection's first packet (on its own thread, so a silent client delays nobody) and answers it. */
    private void greet(int conn, PeerCheck.Peer peer) {
        boolean handedOn = false;
        boolean waiting = true;
        try {
            DaemonProtocol.Packet first = null;
            if (Syscalls.poll(conn, Syscalls.POLLIN, HELLO_TIMEOUT_MILLIS) > 0) {
                first = DaemonProtocol.receive(conn);
            }
            pending.decrementAndGet();
            waiting = false;
            if (first != null) {
                handedOn = dispatch(conn, peer, first);
            }
        } catch (RuntimeException e) {
            note("connection of pid " + peer.pid() + " dropped: " + e.getMessage());
        } catch (Error e) {
            fatal(peer.pid(), e);
        } finally {
            if (waiting) {
                pending.decrementAndGet();
            }
            if (!handedOn) {
                peer.close();
                Syscalls.close(conn);
            }
        }
    }

    /** An Error (OutOfMemoryError, a linkage error...) may have left any state half-updated: stop serving. */
    private void fatal(int pid, Error e) {
        stopping = true;
        stopReason = "an Error in the request of pid " + pid + " (" + e + "); callers now run in their own JVM";
        note(stopReason);
    }

    /**
     * Keeps the lock bin/jruntime handed over (fd {@link #lockFd}): it must already be ours (flock on the same
     * open file succeeds again), and close-on-exec, so no hook or helper this daemon runs outlives it holding it.
     */
    private void holdLock() {
        if (lockFd < 0) {
            return;
        }
        if (!Syscalls.flock(lockFd, Syscalls.LOCK_EX | Syscalls.LOCK_NB, "the daemon lock")) {
            throw new JRuntimeException("--lock-fd " + lockFd + ": the lock is held by another process (another daemon)");
        }
        Syscalls.fcntl(lockFd, Syscalls.F_SETFD, 1 /* FD_CLOEXEC */);
    }

    private int listen() {
        try {
            DaemonClient.createSocketDir(socket);
            if (Files.exists(socket)) {
                if (DaemonClient.info(socket, DaemonProtocol.STATUS) != null) {
                    throw new JRuntimeException("a jruntime daemon already listens on " + socket);
                }
                Files.delete(socket); // left behind by a daemon that was killed
            }
        } catch (IOException e) {
            throw new JRuntimeException("cannot prepare " + socket + ": " + e.getMessage());
        }
        int old = Syscalls.umask(077); // the socket file is created 0600: only root may connect
        try {
            return Syscalls.listenUnix(socket.toString(), Syscalls.SOCK_SEQPACKET, 64);
        } finally {
            Syscalls.umask(old);
        }
    }

    private void removeSocket() {
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // nothing left to do about it on the way out
        }
    }

    /** Answers a connection's first packet; true when the connection went to a command thread. */
    private boolean dispatch(int conn, PeerCheck.Peer peer, DaemonProtocol.Packet first) {
        if (first.fd() >= 0) {
            Syscalls.close(first.fd());
        }
        switch (first.tag()) {
            case DaemonProtocol.STATUS -> {
                // details (pid, counters, jar) only for a client the daemon would serve
                String refused = peers.refusal(peer);
                DaemonProtocol.send(conn, DaemonProtocol.INFO, -1, refused == null ? status()
                        : "a jruntime daemon (no details for this client: " + refused + ")");
                return false;
            }
            case DaemonProtocol.STOP -> {
                String refused = peers.refusal(peer);
                if (refused != null) {
                    note("refused STOP from pid " + peer.pid() + ": " + refused);
                    DaemonProtocol.send(conn, DaemonProtocol.INFO, -1, "refused: " + refused);
                    return false;
                }
                stopping = true;
                stopReason = "stopped by pid " + peer.pid();
                DaemonProtocol.send(conn, DaemonProtocol.INFO, -1, "stopping (pid " + ProcessHandle.current().pid() + ")");
                return false;
            }
            case DaemonProtocol.HELLO -> {
                lastActivity = System.currentTimeMillis();
                Request r;
                try {
                    r = Request.parse(first);
                } catch (RuntimeException e) {
                    decline(conn, peer.pid(), null, "malformed HELLO: " + e.getMessage());
                    return false;
                }
                String refusal = refusal(r, peer);
                if (refusal != null) {
                    decline(conn, peer.pid(), r, refusal);
                    return false;
                }
                inFlight.incrementAndGet();
                Thread.ofVirtual().name("jruntime-daemon-" + peer.pid()).start(() -> {
                    try (peer) {
                        serveInTurn(conn, peer, r);
                    } catch (Error e) {
                        fatal(peer.pid(), e);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                });
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /**
     * Null when the daemon serves this request, else why not. The peer check comes first: only a client the
     * daemon would serve may make it exit by naming a newer build of its jar.
     */
    private String refusal(Request r, PeerCheck.Peer peer) {
        if (stopping) {
            return "the daemon is stopping";
        }
        String refused = peers.refusal(peer);
        if (refused != null) {
            return refused;
        }
        if (!r.buildId().equals(buildId)) {
            if (r.buildId().startsWith(jar() + ":")) {
                // our own jar was rebuilt or reinstalled: this JVM runs old code, make way for a new daemon
                stopping = true;
                stopReason = "jruntime.jar changed (" + r.buildId() + ")";
                return "the daemon runs an older build of " + jar() + " (it exits now)";
            }
            return "the daemon runs " + jar() + ", the client " + r.buildId();
        }
        if (userNamespace && !java.util.Objects.equals(r.env().get("USER"), System.getenv("USER"))) {
            // GlobalFlags reads the daemon's own $USER: in a user namespace it picks the state directory
            return "the client's USER differs from the daemon's (in a user namespace it decides the state directory)";
        }
        String unserved = unserved(Cli.parseCommand(r.args()));
        if (unserved != null) {
            return unserved;
        }
        String cwd = CallerPaths.cwd(peer.pid());
        if (!r.cwd().equals(cwd)) {
            return "the client's working directory " + r.cwd() + " is not what the kernel reports (" + cwd + ")";
        }
        return CallerPaths.refusal(r.args(), Path.of(cwd));
    }

    private void decline(int conn, int pid, Request r, String why) {
        declined.incrementAndGet();
        note("declined pid " + pid + " (" + (r == null ? "?" : r.args()) + "): " + why);
        DaemonProtocol.send(conn, DaemonProtocol.DECLINE, -1, why);
    }

    /**
     * Serves the request once the command before it is done, or declines it after a short wait. The peer is
     * checked again with the turn taken, right before ACCEPT, and once more when its fds have arrived.
     */
    private void serveInTurn(int conn, PeerCheck.Peer peer, Request r) {
        boolean turn;
        try {
            turn = oneAtATime.tryLock(WAIT_FOR_TURN_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            turn = false;
        }
        String why = turn ? peers.refusal(peer) : "busy with another command";
        if (why != null) {
            try {
                decline(conn, peer.pid(), r, why);
            } catch (RuntimeException e) {
                note("could not decline pid " + peer.pid() + ": " + e.getMessage());
            } finally {
                Syscalls.close(conn);
                if (turn) {
                    oneAtATime.unlock();
                }
            }
            return;
        }
        try {
            serve(conn, peer, r);
        } finally {
            oneAtATime.unlock();
        }
    }

    private void serve(int conn, PeerCheck.Peer peer, Request r) {
        int pid = peer.pid();
        int code = 1;
        Map<Integer, Integer> fds = new HashMap<>();
        int oldUmask = -1;
        try {
            DaemonProtocol.send(conn, DaemonProtocol.ACCEPT, -1);
            long deadline = System.currentTimeMillis() + FDS_TIMEOUT_MILLIS;
            while (true) {
                // the turn is held: a client that stops sending its fds is given up on, not waited for
                long left = deadline - System.currentTimeMillis();
                if (left <= 0 || Syscalls.poll(conn, Syscalls.POLLIN, (int) left) <= 0) {
                    throw new JRuntimeException("client sent no fds within " + FDS_TIMEOUT_MILLIS + " ms");
                }
                DaemonProtocol.Packet p = DaemonProtocol.receive(conn);
                if (p == null) {
                    throw new JRuntimeException("client closed the connection before sending its fds");
                }
                if (p.tag() == DaemonProtocol.FDS_DONE) {
                    break;
                }
                if (p.tag() != DaemonProtocol.FD || p.fd() < 0) {
                    throw new JRuntimeException("daemon protocol: expected an fd, got packet " + p.tag());
                }
                fds.put(Integer.parseInt(p.field(DaemonProtocol.FD_NUMBER)), p.fd());
            }
            String gone = peer.gone();
            if (gone != null) {
                throw new JRuntimeException(gone);
            }
            FaultInjection.point("daemon.after-fds");
            try (ClientCaller caller = new ClientCaller(conn, fds)) {
                fds.clear();
                int[] stdio = caller.stdio();
                PrintStream out = new PrintStream(FdStreams.output(stdio[1]), false, StandardCharsets.UTF_8);
                PrintStream err = new PrintStream(FdStreams.output(stdio[2]), true, StandardCharsets.UTF_8);
                Syscalls.chdir(r.cwd());
                oldUmask = Syscalls.umask(r.umask());
                CgroupHost.actFor(pid);
                Cli cli = Cli.forCaller(out, err, FdStreams.input(stdio[0]), Path.of(r.cwd()), r.env().get("XDG_RUNTIME_DIR"),
                        caller);
                try {
                    code = cli.run(r.args().toArray(new String[0]));
                } finally {
                    out.flush();
                    err.flush();
                    Logging.close();
                }
                if (cli.fatalError() != null) {
                    fatal(pid, cli.fatalError()); // reported to the client like in its own JVM; then stop serving
                }
                FaultInjection.point("daemon.before-exit-status");
            }
            served.incrementAndGet();
        } catch (RuntimeException e) {
            note("command of pid " + pid + " failed in the daemon: " + e);
        } catch (Error e) {
            fatal(pid, e);
        } finally {
            for (int fd : fds.values()) {
                Syscalls.close(fd);
            }
            CgroupHost.actFor(0);
            if (oldUmask >= 0) {
                Syscalls.umask(oldUmask);
            }
            try {
                Syscalls.chdir("/");
            } catch (RuntimeException e) {
                // "/" is always there
            }
            try {
                DaemonProtocol.send(conn, DaemonProtocol.EXIT, -1, Integer.toString(code));
            } catch (RuntimeException e) {
                note("could not tell pid " + pid + " its exit status: " + e.getMessage());
            }
            Syscalls.close(conn);
            lastActivity = System.currentTimeMillis();
        }
    }

    private String status() {
        return "pid " + ProcessHandle.current().pid() + ", socket " + socket + ", up "
                + (System.currentTimeMillis() - started) / 1000 + " s, served " + served + ", declined " + declined
                + (oneAtATime.isLocked() ? ", busy" : ", idle") + ", jar " + buildId;
    }

    private void note(String s) {
        log.println(Instant.now() + " jruntime daemon: " + s);
        log.flush();
    }

    /** A HELLO: what the client wants run, and its process context. */
    record Request(String buildId, String cwd, int umask, List<String> args, Map<String, String> env) {
        static Request parse(DaemonProtocol.Packet p) {
            int argc = Integer.parseInt(p.field(DaemonProtocol.HELLO_ARGC));
            int argv = DaemonProtocol.HELLO_ARGV;
            if (argc < 0 || argv + argc > p.fields().size()) {
                throw new JRuntimeException("argc " + argc + " does not match the " + p.fields().size() + " fields");
            }
            List<String> args = new ArrayList<>(p.fields().subList(argv, argv + argc));
            Map<String, String> env = new HashMap<>();
            for (String kv : p.fields().subList(argv + argc, p.fields().size())) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    env.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            return new Request(p.field(DaemonProtocol.HELLO_BUILD_ID), p.field(DaemonProtocol.HELLO_CWD),
                    Integer.parseInt(p.field(DaemonProtocol.HELLO_UMASK)), args, env);
        }
    }
}
