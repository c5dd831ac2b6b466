package io.jruntime.cli.daemon;

import io.jruntime.core.sys.Processes;
import io.jruntime.core.sys.Sockets;
import io.jruntime.cli.Cli;
import io.jruntime.cli.log.Logging;
import io.jruntime.core.FaultInjection;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.sys.CallerContext;
import io.jruntime.core.sys.Fds;

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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code jruntime daemon run}: a resident JVM that runs the short lifecycle commands for bin/jruntime, so an
 * engine's create/start/delete costs a socket round trip instead of a JVM start (see docs/PERFORMANCE.md).
 *
 * <p>Calls are served concurrently, at most {@link #WORKERS} at a time, each on the platform thread that read its
 * HELLO. Nothing of a call is process-wide: the caller's working directory, umask, environment and cgroup travel
 * in its {@link io.jruntime.core.sys.CallerContext} (through {@link ClientCaller#context}), its logging is its
 * own ({@link Logging#perCall}), hooks are started by the caller itself, and commands on one container are
 * serialized by the state store's per-container flock, as between separate processes. Only when all workers are
 * busy for {@link #WAIT_FOR_WORKER_MILLIS} is a client declined (counted apart, logged): it then runs its own JVM,
 * so a hook that calls {@code jruntime state} while every worker waits on such hooks never deadlocks. The daemon
 * only serves a client that
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
 * the caller's user namespace with {@code --lock-fd} (the lock that makes it the only one) and an idle timeout.
 * The caller's USER (which picks the state directory there) is the caller's, from its context.
 */
public final class DaemonServer {
    /**
     * Quick commands without a terminal proxy; run and restore only with --detach, exec also in the foreground
     * without a proxied terminal (the client waits for the process, see {@link ClientCaller#waitInForeground}),
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
            case "run" -> c.flags().bool("detach");
            // in the foreground the client waits for the process (FOREGROUND); a terminal needs a console socket
            // (a proxied pty belongs to the client's JVM) and -p could ask for one: both run in their own JVM
            case "exec" -> c.flags().bool("detach")
                    || !c.flags().has("process") && (!c.flags().bool("tty") || c.flags().has("console-socket"));
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
    /** Calls served at once at most (each holds a platform thread; the machine's cores are not the limit: calls
     *  mostly wait for the kernel, the client and hooks). */
    static final int WORKERS = Math.max(16, 4 * Runtime.getRuntime().availableProcessors());
    /** How long a client waits for a free worker when all {@link #WORKERS} are busy; then it runs its own JVM. */
    static final long WAIT_FOR_WORKER_MILLIS = 300;
    /** How long a connection may stay silent before its first packet (bin/jruntime sends it right away). */
    static final int HELLO_TIMEOUT_MILLIS = 2000;
    /** Connections waiting for their first packet at most; more are closed at once (their clients run a JVM). */
    static final int MAX_PENDING = 64;
    /** How long an accepted client may take to send its fds while it holds a worker. */
    static final long FDS_TIMEOUT_MILLIS = 5000;

    /** A permit per call being served; fair, so clients are served in the order they came. */
    private final Semaphore workers = new Semaphore(WORKERS, true);
    /** Accepted requests not finished yet (waiting for their turn or running): the daemon exits only at 0. */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    /** Accepted connections whose first packet has not been read yet. */
    private final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong declined = new AtomicLong();
    /** Of {@link #declined}: those declined only because every worker was busy. */
    private final AtomicLong declinedBusy = new AtomicLong();
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
        this.peers = PeerCheck.ofThisProcess(Processes.geteuid());
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
        Logging.perCall(); // calls are served concurrently: each has its own log destination and --debug
        int listener = listen();
        Thread cleanup = new Thread(this::removeSocket, "jruntime-daemon-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        note("listening on " + socket + " (pid " + ProcessHandle.current().pid() + ", jar " + buildId + ")");
        try {
            while (!stopping || inFlight.get() > 0) {
                if (Fds.poll(listener, Fds.POLLIN, 500) <= 0) {
                    if (idleMillis > 0 && inFlight.get() == 0 && pending.get() == 0
                            && System.currentTimeMillis() - lastActivity > idleMillis) {
                        stopping = true;
                        stopReason = "idle for " + idleMillis / 1000 + " s";
                    }
                    continue;
                }
                int conn = Sockets.accept(listener);
                if (pending.get() >= MAX_PENDING) {
                    Fds.close(conn); // the client sees the connection closed and runs its own JVM
                    continue;
                }
                PeerCheck.Peer peer;
                try {
                    peer = PeerCheck.Peer.pin(conn); // now, before the client can exit and its pid be reused
                } catch (RuntimeException e) {
                    Fds.close(conn);
                    note("connection dropped: cannot pin its peer: " + e.getMessage());
                    continue;
                }
                pending.incrementAndGet();
                // a platform thread: the wait for the first packet is a native poll(2), which would pin a virtual
                // thread's carrier (two on two cores), so 30 silent clients would again queue everyone behind them
                // the same thread serves the call if the daemon accepts it: a stack of ordinary size
                Thread.ofPlatform().daemon().stackSize(1024 * 1024).name("jruntime-daemon-" + peer.pid())
                        .start(() -> greet(conn, peer));
            }
        } finally {
            Fds.close(listener);
            removeSocket();
            note("exiting: " + stopReason + "; served " + served + ", declined " + declined + " (" + declinedBusy
                    + " with all workers busy)");
        }
    }

    /** Reads a connection's first packet (on its own thread, so a silent client delays nobody) and answers it. */
    private void greet(int conn, PeerCheck.Peer peer) {
        boolean handedOn = false;
        boolean waiting = true;
        try {
            DaemonProtocol.Packet first = null;
            if (Fds.poll(conn, Fds.POLLIN, HELLO_TIMEOUT_MILLIS) > 0) {
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
                Fds.close(conn);
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
        if (!Fds.flock(lockFd, Fds.LOCK_EX | Fds.LOCK_NB, "the daemon lock")) {
            throw new JRuntimeException("--lock-fd " + lockFd + ": the lock is held by another process (another daemon)");
        }
        Fds.fcntl(lockFd, Fds.F_SETFD, 1 /* FD_CLOEXEC */);
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
        int old = Processes.umask(077); // the socket file is created 0600: only root may connect
        try {
            return Sockets.listenUnix(socket.toString(), Sockets.SOCK_SEQPACKET, 64);
        } finally {
            Processes.umask(old);
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
            Fds.close(first.fd());
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
                try (peer) {
                    serveWithWorker(conn, peer, r); // closes conn, whatever happens
                } catch (Error e) {
                    fatal(peer.pid(), e);
                } finally {
                    inFlight.decrementAndGet();
                }
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
        Cli.CommandLine command = Cli.parseCommand(r.args());
        String unserved = unserved(command);
        if (unserved != null) {
            return unserved;
        }
        String global = processGlobal(r);
        if (global != null) {
            return global;
        }
        String cwd = CallerPaths.cwd(peer.pid());
        if (!r.cwd().equals(cwd)) {
            return "the client's working directory " + r.cwd() + " is not what the kernel reports (" + cwd + ")";
        }
        return CallerPaths.refusal(r.args(), Path.of(cwd));
    }

    /**
     * The piece of caller environment that still reaches this process's own setting, not the caller's: log
     * timestamps use the daemon's time zone (read once per process). A client whose TZ differs runs its own JVM.
     */
    private static String processGlobal(Request r) {
        if (!java.util.Objects.equals(r.env().get("TZ"), System.getenv("TZ"))) {
            return "the client's TZ differs from the daemon's (log timestamps use the daemon's zone)";
        }
        return null;
    }

    private void decline(int conn, int pid, Request r, String why) {
        declined.incrementAndGet();
        note("declined pid " + pid + " (" + (r == null ? "?" : r.args()) + "): " + why);
        DaemonProtocol.send(conn, DaemonProtocol.DECLINE, -1, why);
    }

    /**
     * Serves the request with a worker permit, or declines it when all {@link #WORKERS} stay busy for
     * {@link #WAIT_FOR_WORKER_MILLIS}. The peer is checked again right before ACCEPT, and once more when its fds
     * have arrived.
     */
    private void serveWithWorker(int conn, PeerCheck.Peer peer, Request r) {
        boolean permit;
        try {
            permit = workers.tryAcquire(WAIT_FOR_WORKER_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            permit = false;
        }
        String why = permit ? peers.refusal(peer) : "all " + WORKERS + " workers busy";
        if (why != null) {
            try {
                if (!permit) {
                    declinedBusy.incrementAndGet();
                }
                decline(conn, peer.pid(), r, why);
            } catch (RuntimeException e) {
                note("could not decline pid " + peer.pid() + ": " + e.getMessage());
            } finally {
                Fds.close(conn);
                if (permit) {
                    workers.release();
                }
            }
            return;
        }
        try {
            serve(conn, peer, r);
        } finally {
            workers.release();
        }
    }

    private void serve(int conn, PeerCheck.Peer peer, Request r) {
        int pid = peer.pid();
        int code = 1;
        Map<Integer, Integer> fds = new HashMap<>();
        try {
            DaemonProtocol.send(conn, DaemonProtocol.ACCEPT, -1);
            long deadline = System.currentTimeMillis() + FDS_TIMEOUT_MILLIS;
            while (true) {
                // a worker is held: a client that stops sending its fds is given up on, not waited for
                long left = deadline - System.currentTimeMillis();
                if (left <= 0 || Fds.poll(conn, Fds.POLLIN, (int) left) <= 0) {
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
            // the caller's context, explicitly: this process's cwd, umask, environment and cgroup stay the daemon's
            CallerContext context = new CallerContext(pid, Path.of(r.cwd()), r.umask(), r.env());
            FaultInjection.point("daemon.after-fds");
            try (ClientCaller caller = new ClientCaller(conn, fds, context)) {
                fds.clear();
                int[] stdio = caller.stdio();
                PrintStream out = new PrintStream(FdStreams.output(stdio[1]), false, StandardCharsets.UTF_8);
                PrintStream err = new PrintStream(FdStreams.output(stdio[2]), true, StandardCharsets.UTF_8);
                Cli cli = Cli.forCaller(out, err, FdStreams.input(stdio[0]), caller);
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
                Fds.close(fd);
            }
            try {
                DaemonProtocol.send(conn, DaemonProtocol.EXIT, -1, Integer.toString(code));
            } catch (RuntimeException e) {
                note("could not tell pid " + pid + " its exit status: " + e.getMessage());
            }
            Fds.close(conn);
            lastActivity = System.currentTimeMillis();
        }
    }

    private String status() {
        return "pid " + ProcessHandle.current().pid() + ", socket " + socket + ", up "
                + (System.currentTimeMillis() - started) / 1000 + " s, served " + served + ", declined " + declined
                + " (" + declinedBusy + " with all workers busy), serving " + (WORKERS - workers.availablePermits())
                + " of " + WORKERS + ", jar " + buildId;
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
