package io.jruntime.cli.daemon;

import io.jruntime.core.sys.Fds;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.sys.Caller;
import io.jruntime.core.sys.CallerContext;
import io.jruntime.core.sys.Processes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The daemon's client as the {@link Caller}: its fds arrived over the socket (our copy of its fd n is
 * {@link #fd}), and processes that must be its children are started by it on request (SPAWN/WAIT), so the
 * container's init lands in the engine's process tree exactly as when jruntime runs in its own JVM.
 */
final class ClientCaller implements Caller, AutoCloseable {
    private final int sock;
    /** The client's fd number to our copy. */
    private final Map<Integer, Integer> fds;
    private final CallerContext context;

    ClientCaller(int sock, Map<Integer, Integer> fds, CallerContext context) {
        this.sock = sock;
        this.fds = new TreeMap<>(fds);
        this.context = context;
    }

    @Override
    public CallerContext context() {
        return context;
    }

    @Override
    public int[] stdio() {
        int[] s = new int[3];
        for (int i = 0; i < 3; i++) {
            Integer fd = fds.get(i);
            if (fd == null) {
                // a closed stdio fd of the client: the container gets /dev/null, as a process started with
                // that fd closed would read EOF and write nowhere
                fd = Fds.open("/dev/null", Fds.O_RDWR | Fds.O_CLOEXEC, 0);
                fds.put(i, fd); // closed with the others
            }
            s[i] = fd;
        }
        return s;
    }

    @Override
    public int fd(int n) {
        Integer fd = fds.get(n);
        if (fd == null) {
            throw new JRuntimeException("fd " + n + " is not open in the calling process (--preserve-fds)");
        }
        return fd;
    }

    @Override
    public int spawn(String path, List<String> argv, List<String> env, Map<Integer, Integer> childFds) {
        for (Map.Entry<Integer, Integer> e : new TreeMap<>(childFds).entrySet()) {
            DaemonProtocol.send(sock, DaemonProtocol.SPAWN_FD, e.getValue(), Integer.toString(e.getKey()));
        }
        List<String> f = new ArrayList<>();
        f.add(path); // SPAWN_PATH
        f.add(Integer.toString(argv.size())); // SPAWN_ARGC
        f.addAll(argv); // from SPAWN_ARGV
        f.addAll(env);
        DaemonProtocol.send(sock, DaemonProtocol.SPAWN, -1, f);
        int v = Integer.parseInt(expect(DaemonProtocol.SPAWNED).field(DaemonProtocol.SPAWNED_RESULT));
        if (v < 0) {
            throw new io.jruntime.core.sys.SyscallException("spawn " + path + " (in the calling process)", -v);
        }
        return v;
    }

    /** A hook in the caller's process tree: SPAWN_HOOK (its own session, its directory), then the SPAWN. */
    @Override
    public int spawnHook(String path, List<String> argv, List<String> env, Map<Integer, Integer> childFds,
            java.nio.file.Path cwd) {
        DaemonProtocol.send(sock, DaemonProtocol.SPAWN_HOOK, -1, cwd == null ? "" : cwd.toString()); // SPAWN_HOOK_CWD
        return spawn(path, argv, env, childFds);
    }

    @Override
    public Processes.WaitStatus waitpid(int pid, int options) {
        DaemonProtocol.send(sock, DaemonProtocol.WAIT, -1, Integer.toString(pid), Integer.toString(options));
        String v = expect(DaemonProtocol.WAITED).field(DaemonProtocol.WAITED_RESULT);
        if (v.equals("none")) {
            return null;
        }
        int n = Integer.parseInt(v);
        if (v.startsWith("-")) {
            throw new io.jruntime.core.sys.SyscallException("waitpid " + pid + " (in the calling process)", -n);
        }
        return new Processes.WaitStatus(pid, n);
    }

    /** The client waits (its child) and forwards its signals to it; we only learn the status. */
    @Override
    public int waitInForeground(int pid) {
        DaemonProtocol.send(sock, DaemonProtocol.FOREGROUND, -1, Integer.toString(pid));
        String v = expect(DaemonProtocol.WAITED).field(DaemonProtocol.WAITED_RESULT);
        int n = Integer.parseInt(v);
        if (v.startsWith("-")) {
            throw new io.jruntime.core.sys.SyscallException("waitpid " + pid + " (in the calling process)", -n);
        }
        return new Processes.WaitStatus(pid, n).shellCode();
    }

    private DaemonProtocol.Packet expect(int tag) {
        DaemonProtocol.Packet p = DaemonProtocol.receive(sock);
        if (p == null) {
            throw new JRuntimeException("the calling process went away (daemon client closed the connection)");
        }
        if (p.fd() >= 0) {
            Fds.close(p.fd());
        }
        if (p.tag() != tag) {
            throw new JRuntimeException("daemon protocol: expected packet " + tag + ", got " + p.tag());
        }
        return p;
    }

    @Override
    public void close() {
        for (int fd : fds.values()) {
            Fds.close(fd);
        }
        fds.clear();
    }
}
