package io.jruntime.core.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import java.lang.foreign.ValueLayout;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The one typed facade over native calls. Each method binds its libc symbol on first use (holder classes),
 * converts Java values, and turns a -1 return into a {@link SyscallException} that names the call and
 * the object it was about. Nothing outside this package touches MemorySegments for syscalls.
 */
public final class Syscalls {
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_NONBLOCK = 04000;
    public static final int O_DIRECTORY = 0200000;
    public static final int O_NOFOLLOW = 0400000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_PATH = 010000000;

    public static final int LOCK_SH = 1;
    public static final int LOCK_EX = 2;
    public static final int LOCK_NB = 4;
    public static final int LOCK_UN = 8;

    private Syscalls() {
    }

    private static SyscallException fail(String what, MemorySegment state) {
        return new SyscallException(what, Libc.errno(state));
    }

    /** A downcall's Throwable as something to throw: Errors as they are, checked ones wrapped. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    // ---- identity -------------------------------------------------------------------------------------

    private static final class Geteuid {
        static final MethodHandle H = Libc.handle("geteuid", FunctionDescriptor.of(JAVA_INT));
    }

    public static int geteuid() {
        try {
            return (int) Geteuid.H.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static final class Getegid {
        static final MethodHandle H = Libc.handle("getegid", FunctionDescriptor.of(JAVA_INT));
    }

    public static int getegid() {
        try {
            return (int) Getegid.H.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- files ----------------------------------------------------------------------------------------

    private static final class Open {
        static final MethodHandle H = Libc.errnoHandle("open",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    }

    /** open(2); the path is named in the error. */
    public static int open(String path, int flags, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            int fd = (int) Open.H.invokeExact(st, a.allocateFrom(path), flags, mode);
            if (fd < 0) {
                throw fail("open " + path, st);
            }
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static final class Getxattr {
        static final MethodHandle H = Libc.errnoHandle("getxattr",
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
    }

    /** getxattr(2): the attribute's bytes, or null when the file has no such attribute (ENODATA). */
    public static byte[] getxattr(String path, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            MemorySegment buf = a.allocate(256);
            long n = (long) Getxattr.H.invokeExact(st, a.allocateFrom(path), a.allocateFrom(name), buf, 256L);
            if (n < 0) {
                if (Libc.errno(st) == 61) { // ENODATA
                    return null;
                }
                throw fail("getxattr " + path + " " + name, st);
            }
            return buf.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static final class Close {
        static final MethodHandle H = Libc.errnoHandle("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    public static void close(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            int rc = (int) Close.H.invokeExact(st, fd);
            if (rc < 0 && Libc.errno(st) != Errno.EINTR) {
                throw fail("close fd " + fd, st);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static final class Flock {
        static final MethodHandle H = Libc.errnoHandle("flock", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    /** flock(2), retried on EINTR. Returns false only for LOCK_NB when the lock is held elsewhere. */
    public static boolean flock(int fd, int op, String what) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            while (true) {
                int rc = (int) Flock.H.invokeExact(st, fd, op);
                if (rc == 0) {
                    return true;
                }
                int e = Libc.errno(st);
                if (e == Errno.EINTR) {
                    continue;
                }
                if (e == Errno.EWOULDBLOCK && (op & LOCK_NB) != 0) {
                    return false;
                }
                throw new SyscallException("flock " + what, e);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- processes ------------------------------------------------------------------------------------

    private static final class Kill {
        static final MethodHandle H = Libc.errnoHandle("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    /** kill(2). Returns the errno (0 on success) so callers can treat ESRCH as "already gone". */
    public static int kill(int pid, int signal) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            int rc = (int) Kill.H.invokeExact(st, pid, signal);
            return rc == 0 ? 0 : Libc.errno(st);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- more files and pipes ----------------------------------------------------------------------------

    private static final class Fcntl {
        static final MethodHandle H = Libc.errnoHandle("fcntl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), 2);
    }

    public static final int F_DUPFD_CLOEXEC = 1030;
    public static final int F_GETFD = 1;
    public static final int F_SETFD = 2;
    public static final int F_ADD_SEALS = 1033;
    public static final int F_SEAL_SEAL = 1;
    public static final int F_SEAL_SHRINK = 2;
    public static final int F_SEAL_GROW = 4;
    public static final int F_SEAL_WRITE = 8;

    public static int fcntl(int fd, int cmd, int arg) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            int rc = (int) Fcntl.H.invokeExact(st, fd, cmd, arg);
            if (rc < 0) {
                throw fail("fcntl fd " + fd + " cmd " + cmd, st);
            }
            return rc;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static final class Write {
        static final MethodHandle H = Libc.errnoHandle("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    }

    /** Writes all bytes (retrying short writes and EINTR). */
    public static void writeFully(int fd, byte[] data, String what) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            MemorySegment buf = a.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, buf, JAVA_BYTE, 0, data.length);
            long off = 0;
            while (off < data.length) {
                long n = (long) Write.H.invokeExact(st, fd, buf.asSlice(off), (long) data.length - off);
                if (n < 0) {
                    if (Libc.errno(st) == Errno.EINTR) {
                        continue;
                    }
                    throw fail("write " + what, st);
                }
                off += n;
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static final class Read {
        static final MethodHandle H = Libc.errnoHandle("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    }

    /**
     * One read(2). Returns the bytes read (empty array at EOF), or null when the fd is non-blocking and has no
     * data (EAGAIN).
     */
    public static byte[] read(int fd, int max, String what) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            MemorySegment buf = a.allocate(max);
            while (true) {
                long n = (long) Read.H.invokeExact(st, fd, buf, (long) max);
                if (n >= 0) {
                    return buf.asSlice(0, n).toArray(JAVA_BYTE);
                }
                int e = Libc.errno(st);
                if (e == Errno.EINTR) {
                    continue;
                }
                if (e == Errno.EAGAIN) {
                    return null;
                }
                throw new SyscallException("read " + what, e);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static final class Mkfifo {
        static final MethodHandle H = Libc.errnoHandle("mkfifo", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    }

    public static void mkfifo(String path, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            if ((int) Mkfifo.H.invokeExact(st, a.allocateFrom(path), mode) < 0) {
                throw fail("mkfifo " + path, st);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static final class Pipe2 {
        static final MethodHandle H = Libc.errnoHandle("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    }

    /** pipe2(O_CLOEXEC): [read end, write end]. */
    public static int[] pipe() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            MemorySegment fds = a.allocate(JAVA_INT, 2);
            if ((int) Pipe2.H.invokeExact(st, fds, O_CLOEXEC) < 0) {
                throw fail("pipe2", st);
            }
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static final class MemfdCreate {
        static final MethodHandle H = Libc.errnoHandle("memfd_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    }

    public static final int MFD_CLOEXEC = 1;
    public static final int MFD_ALLOW_SEALING = 2;

    public static int memfdCreate(String name, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            int fd = (int) MemfdCreate.H.invokeExact(st, a.allocateFrom(name), flags);
            if (fd < 0) {
                throw fail("memfd_create " + name, st);
            }
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- sockets ----------------------------------------------------------------------------------------

    public static final int AF_UNIX = 1;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_SEQPACKET = 5;
    public static final int SOCK_CLOEXEC = O_CLOEXEC;

    private static final class Socketpair {
        static final MethodHandle H = Libc.errnoHandle("socketpair",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    }

    public static int[] socketpair(int type) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            MemorySegment fds = a.allocate(JAVA_INT, 2);
            if ((int) Socketpair.H.invokeExact(st, AF_UNIX, type | SOCK_CLOEXEC, 0, fds) < 0) {
                throw fail("socketpair", st);
            }
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static final class Socket {
        static final MethodHandle H = Libc.errnoHandle("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class Connect {
        static final MethodHandle H = Libc.errnoHandle("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    /** Connects a new AF_UNIX stream socket to path (the engine's --console-socket). */
    public static int connectUnix(String path) {
        return connectUnix(path, SOCK_STREAM);
    }

    /** Connects a new AF_UNIX socket of the given type (SOCK_STREAM, SOCK_SEQPACKET) to path. */
    public static int connectUnix(String path, int type) {
        return unixSocket(path, type, false, 0);
    }

    /** A new AF_UNIX socket of the given type (SOCK_SEQPACKET, ...) bound to path and listening. */
    public static int listenUnix(String path, int type, int backlog) {
        return unixSocket(path, type, true, backlog);
    }

    /** socket(2), then connect(2) to path, or bind(2) to it and listen(2); the fd is closed on failure. */
    private static int unixSocket(String path, int type, boolean listen, int backlog) {
        byte[] p = path.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (p.length >= 108) {
            throw new io.jruntime.core.InvalidArgumentException("socket path too long (max 107 bytes): " + path);
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            int fd = (int) Socket.H.invokeExact(st, AF_UNIX, type | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw fail("socket", st);
            }
            MemorySegment addr = a.allocate(110);
            addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(p, 0, addr, JAVA_BYTE, 2, p.length);
            boolean ok = listen
                    ? (int) Bind.H.invokeExact(st, fd, addr, 2 + p.length + 1) >= 0 && (int) Listen.H.invokeExact(st, fd, backlog) >= 0
                    : (int) Connect.H.invokeExact(st, fd, addr, 2 + p.length + 1) >= 0;
            if (!ok) {
                SyscallException e = fail((listen ? "listen on " : "connect to ") + path, st);
                close(fd);
                throw e;
            }
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static final class Bind {
        static final MethodHandle H = Libc.errnoHandle("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class Listen {
        static final MethodHandle H = Libc.errnoHandle("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class Accept4 {
        static final MethodHandle H = Libc.errnoHandle("accept4", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    }

    private static final class Getsockopt {
        static final MethodHandle H = Libc.errnoHandle("getsockopt",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }

    /** accept4(2) with SOCK_CLOEXEC, retried on EINTR. */
    public static int accept(int listener) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            while (true) {
                int fd = (int) Accept4.H.invokeExact(st, listener, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC);
                if (fd >= 0) {
                    return fd;
                }
                if (Libc.errno(st) != Errno.EINTR) {
                    throw fail("accept", st);
                }
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The peer's credentials of a connected AF_UNIX socket (SO_PEERCRED): pid, uid, gid. */
    public static int[] peerCredentials(int sock) {
        final int soPeercred = 17;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            MemorySegment cred = a.allocate(JAVA_INT, 3);
            MemorySegment len = a.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, 12);
            if ((int) Getsockopt.H.invokeExact(st, sock, SOL_SOCKET, soPeercred, cred, len) < 0) {
                throw fail("getsockopt SO_PEERCRED", st);
            }
            return new int[] {cred.getAtIndex(JAVA_INT, 0), cred.getAtIndex(JAVA_INT, 1), cred.getAtIndex(JAVA_INT, 2)};
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static final class Sendmsg {
        static final MethodHandle H = Libc.errnoHandle("sendmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class Recvmsg {
        static final MethodHandle H = Libc.errnoHandle("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    private static final int MSG_TRUNC = 0x20;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    // struct msghdr on LP64: name(8) namelen(4)+pad(4) iov(8) iovlen(8) control(8) controllen(8) flags(4)+pad(4)
    private static final long MSGHDR_SIZE = 56;
    private static final long CMSG_SPACE_ONE_FD = 24;
    private static final int CMSG_LEN_ONE_FD = 20;

    /** sendmsg(2) of one buffer, optionally passing one fd with SCM_RIGHTS. */
    public static void sendmsg(int sock, byte[] data, int fdToPass, String what) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            MemorySegment buf = a.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, buf, JAVA_BYTE, 0, data.length);
            MemorySegment iov = a.allocate(16, 8);
            iov.set(ADDRESS, 0, buf);
            iov.set(JAVA_LONG, 8, data.length);
            MemorySegment msg = a.allocate(MSGHDR_SIZE, 8);
            msg.set(ADDRESS, 16, iov);
            msg.set(JAVA_LONG, 24, 1);
            if (fdToPass >= 0) {
                MemorySegment cmsg = a.allocate(CMSG_SPACE_ONE_FD, 8);
                cmsg.set(JAVA_LONG, 0, CMSG_LEN_ONE_FD);
                cmsg.set(JAVA_INT, 8, SOL_SOCKET);
                cmsg.set(JAVA_INT, 12, SCM_RIGHTS);
                cmsg.set(JAVA_INT, 16, fdToPass);
                msg.set(ADDRESS, 32, cmsg);
                msg.set(JAVA_LONG, 40, CMSG_SPACE_ONE_FD);
            }
            while (true) {
                long n = (long) Sendmsg.H.invokeExact(st, sock, msg, MSG_NOSIGNAL);
                if (n >= 0) {
                    return;
                }
                if (Libc.errno(st) != Errno.EINTR) {
                    throw fail("sendmsg " + what, st);
                }
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A received datagram/packet and the fd that came with it (-1 if none). Empty data and fd -1 at EOF. */
    public record Received(byte[] data, int fd, boolean eof) {
    }

    public static Received recvmsg(int sock, int max, String what) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            MemorySegment buf = a.allocate(max);
            MemorySegment iov = a.allocate(16, 8);
            iov.set(ADDRESS, 0, buf);
            iov.set(JAVA_LONG, 8, max);
            MemorySegment cmsg = a.allocate(CMSG_SPACE_ONE_FD, 8);
            MemorySegment msg = a.allocate(MSGHDR_SIZE, 8);
            msg.set(ADDRESS, 16, iov);
            msg.set(JAVA_LONG, 24, 1);
            msg.set(ADDRESS, 32, cmsg);
            msg.set(JAVA_LONG, 40, CMSG_SPACE_ONE_FD);
            long n;
            while (true) {
                n = (long) Recvmsg.H.invokeExact(st, sock, msg, MSG_CMSG_CLOEXEC);
                if (n >= 0) {
                    break;
                }
                if (Libc.errno(st) != Errno.EINTR) {
                    throw fail("recvmsg " + what, st);
                }
            }
            if ((msg.get(JAVA_INT, 48) & MSG_TRUNC) != 0) {
                throw new io.jruntime.core.JRuntimeException("recvmsg " + what + ": message larger than " + max + " bytes");
            }
            int fd = -1;
            long controllen = msg.get(JAVA_LONG, 40);
            if (controllen >= CMSG_LEN_ONE_FD && cmsg.get(JAVA_INT, 8) == SOL_SOCKET && cmsg.get(JAVA_INT, 12) == SCM_RIGHTS) {
                fd = cmsg.get(JAVA_INT, 16);
            }
            return new Received(buf.asSlice(0, n).toArray(JAVA_BYTE), fd, n == 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- process control --------------------------------------------------------------------------------

    private static final class Umask {
        static final MethodHandle H = Libc.handle("umask", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class Chdir {
        static final MethodHandle H = Libc.errnoHandle("chdir", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    /** umask(2): sets the process's file mode creation mask, returns the previous one. */
    public static int umask(int mask) {
        try {
            return (int) Umask.H.invokeExact(mask);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** chdir(2) of the whole process (native relative paths resolve against it; Java's user.dir does not follow). */
    public static void chdir(String path) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            if ((int) Chdir.H.invokeExact(st, a.allocateFrom(path)) < 0) {
                throw fail("chdir " + path, st);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static final class Waitpid {
        static final MethodHandle H = Libc.errnoHandle("waitpid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    public static final int WNOHANG = 1;

    /** Result of waitpid: the raw wait status decoded. */
    public record WaitStatus(int pid, int raw) {
        public boolean exited() {
            return (raw & 0x7f) == 0;
        }

        public int exitCode() {
            return (raw >> 8) & 0xff;
        }

        public boolean signaled() {
            return ((raw & 0x7f) + 1) >> 1 > 0 && !exited() && (raw & 0xff) != 0x7f;
        }

        public int termSignal() {
            return raw & 0x7f;
        }

        /** Shell convention used by runc: the exit code, or 128 + signal. */
        public int shellCode() {
            return exited() ? exitCode() : 128 + termSignal();
        }
    }

    /**
     * waitpid(2), retried on EINTR. Returns null with WNOHANG when the child has not changed state, and throws
     * for ECHILD so callers notice a pid that is not theirs.
     */
    public static WaitStatus waitpid(int pid, int options) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            MemorySegment status = a.allocate(JAVA_INT);
            while (true) {
                int rc = (int) Waitpid.H.invokeExact(st, pid, status, options);
                if (rc > 0) {
                    return new WaitStatus(rc, status.get(JAVA_INT, 0));
                }
                if (rc == 0) {
                    return null;
                }
                if (Libc.errno(st) != Errno.EINTR) {
                    throw fail("waitpid " + pid, st);
                }
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static final class Prctl {
        static final MethodHandle H = Libc.errnoHandle("prctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), 1);
    }

    public static final int PR_SET_CHILD_SUBREAPER = 36;

    public static void prctl(int option, long arg2, String what) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            if ((int) Prctl.H.invokeExact(st, option, arg2, 0L, 0L, 0L) < 0) {
                throw fail("prctl " + what, st);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- terminals --------------------------------------------------------------------------------------

    private static final class Isatty {
        static final MethodHandle H = Libc.handle("isatty", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    public static boolean isatty(int fd) {
        try {
            return (int) Isatty.H.invokeExact(fd) == 1;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static final class Termios {
        static final MethodHandle GET = Libc.errnoHandle("tcgetattr", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        static final MethodHandle SET = Libc.errnoHandle("tcsetattr", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        static final MethodHandle RAW = Libc.handle("cfmakeraw", FunctionDescriptor.ofVoid(ADDRESS));
        static final MethodHandle IOCTL = Libc.errnoHandle("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), 2);
    }

    /** struct termios is 60 bytes on x86_64 glibc; kept opaque. */
    private static final int TERMIOS_SIZE = 64;
    private static final long TIOCGWINSZ = 0x5413;
    private static final long TIOCSWINSZ = 0x5414;

    /** Puts fd's terminal in raw mode and returns the previous settings, for {@link #restoreTerminal}. */
    public static byte[] makeRaw(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            MemorySegment t = a.allocate(TERMIOS_SIZE, 8);
            if ((int) Termios.GET.invokeExact(st, fd, t) < 0) {
                throw fail("tcgetattr", st);
            }
            byte[] saved = t.toArray(JAVA_BYTE);
            Termios.RAW.invokeExact(t);
            if ((int) Termios.SET.invokeExact(st, fd, 0, t) < 0) {
                throw fail("tcsetattr", st);
            }
            return saved;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void restoreTerminal(int fd, byte[] saved) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            MemorySegment t = a.allocate(TERMIOS_SIZE, 8);
            MemorySegment.copy(saved, 0, t, JAVA_BYTE, 0, saved.length);
            int ignored = (int) Termios.SET.invokeExact(st, fd, 0, t);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Copies the window size of terminal fd "from" to terminal fd "to" (best effort). */
    public static void copyWindowSize(int from, int to) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            MemorySegment ws = a.allocate(8, 8);
            if ((int) Termios.IOCTL.invokeExact(st, from, TIOCGWINSZ, ws) == 0) {
                int ignored = (int) Termios.IOCTL.invokeExact(st, to, TIOCSWINSZ, ws);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- added for criu-bridge ------------------------------------------------------------------------------

    private static final class Poll {
        static final MethodHandle H = Libc.errnoHandle("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    }

    public static final short POLLIN = 0x001;
    public static final short POLLERR = 0x008;
    public static final short POLLHUP = 0x010;
    public static final short POLLNVAL = 0x020;

    /**
     * poll(2) on one fd for up to timeoutMillis (-1 = forever). Returns the revents bits, or 0 when the time ran out
     * or a signal interrupted the wait (callers loop against their own deadline).
     */
    public static int poll(int fd, int events, int timeoutMillis) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            // struct pollfd { int fd; short events; short revents; }
            MemorySegment pfd = a.allocate(8, 4);
            pfd.set(JAVA_INT, 0, fd);
            pfd.set(ValueLayout.JAVA_SHORT, 4, (short) events);
            pfd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
            int rc = (int) Poll.H.invokeExact(st, pfd, 1L, timeoutMillis);
            if (rc < 0) {
                if (Libc.errno(st) == Errno.EINTR) {
                    return 0;
                }
                throw fail("poll fd " + fd, st);
            }
            return rc == 0 ? 0 : pfd.get(ValueLayout.JAVA_SHORT, 6) & 0xffff;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- bpf(2) ---------------------------------------------------------------------------------------

    public static final int BPF_PROG_TYPE_CGROUP_DEVICE = 15;
    public static final int BPF_CGROUP_DEVICE = 6;
    public static final int BPF_F_ALLOW_MULTI = 2;
    private static final int BPF_PROG_LOAD = 5;
    private static final int BPF_PROG_ATTACH = 8;
    private static final int BPF_PROG_DETACH = 9;
    private static final int BPF_PROG_GET_FD_BY_ID = 13;
    private static final int BPF_PROG_QUERY = 16;
    /** sizeof(union bpf_attr) we pass: large enough for every command used, zero-filled. */
    private static final int BPF_ATTR_SIZE = 128;
    private static final int BPF_LOG_SIZE = 1 << 16;

    private static final class Bpf {
        static final MethodHandle H = Libc.errnoHandle("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), 1);
        static final long NR = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> 321;
            case "aarch64", "arm64" -> 280;
            default -> -1;
        };
    }

    /** bpf(cmd, attr, size); returns the result or throws with errno. */
    private static long bpf(int cmd, MemorySegment attr, Arena a, String what) throws Throwable {
        if (Bpf.NR < 0) {
            throw new SyscallException(what + " (bpf syscall number unknown for " + System.getProperty("os.arch") + ")",
                    Errno.ENOSYS);
        }
        MemorySegment st = Libc.newCallState(a);
        long rc = (long) Bpf.H.invokeExact(st, Bpf.NR, cmd, attr, BPF_ATTR_SIZE);
        if (rc < 0) {
            throw fail(what, st);
        }
        return rc;
    }

    /**
     * BPF_PROG_LOAD of a program of the given type (license "GPL" or as given). On failure the verifier's log, if
     * any, is put into {@code verifierLog} and a SyscallException is thrown. Returns the program fd (close-on-exec).
     */
    public static int bpfProgLoad(int progType, byte[] insns, String license, StringBuilder verifierLog) {
        if (insns.length % 8 != 0) {
            throw new IllegalArgumentException("BPF program length " + insns.length + " is not a multiple of 8");
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment code = a.allocate(insns.length, 8);
            MemorySegment.copy(insns, 0, code, JAVA_BYTE, 0, insns.length);
            MemorySegment lic = a.allocateFrom(license);
            MemorySegment log = a.allocate(BPF_LOG_SIZE);
            MemorySegment attr = a.allocate(BPF_ATTR_SIZE, 8);
            attr.set(JAVA_INT, 0, progType);
            attr.set(JAVA_INT, 4, insns.length / 8);
            attr.set(JAVA_LONG, 8, code.address());
            attr.set(JAVA_LONG, 16, lic.address());
            attr.set(JAVA_INT, 24, 1);
            attr.set(JAVA_INT, 28, BPF_LOG_SIZE);
            attr.set(JAVA_LONG, 32, log.address());
            try {
                return (int) bpf(BPF_PROG_LOAD, attr, a, "bpf BPF_PROG_LOAD");
            } catch (SyscallException e) {
                if (verifierLog != null) {
                    verifierLog.append(log.getString(0).trim());
                }
                throw e;
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** BPF_PROG_ATTACH of progFd to the target (a cgroup directory fd) for the attach type. */
    public static void bpfProgAttach(int targetFd, int progFd, int attachType, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment attr = a.allocate(BPF_ATTR_SIZE, 8);
            attr.set(JAVA_INT, 0, targetFd);
            attr.set(JAVA_INT, 4, progFd);
            attr.set(JAVA_INT, 8, attachType);
            attr.set(JAVA_INT, 12, flags);
            bpf(BPF_PROG_ATTACH, attr, a, "bpf BPF_PROG_ATTACH");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** BPF_PROG_DETACH of progFd from the target for the attach type. */
    public static void bpfProgDetach(int targetFd, int progFd, int attachType) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment attr = a.allocate(BPF_ATTR_SIZE, 8);
            attr.set(JAVA_INT, 0, targetFd);
            attr.set(JAVA_INT, 4, progFd);
            attr.set(JAVA_INT, 8, attachType);
            bpf(BPF_PROG_DETACH, attr, a, "bpf BPF_PROG_DETACH");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** BPF_PROG_GET_FD_BY_ID: an fd (close-on-exec) for a loaded program. */
    public static int bpfProgGetFdById(int id) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment attr = a.allocate(BPF_ATTR_SIZE, 8);
            attr.set(JAVA_INT, 0, id);
            return (int) bpf(BPF_PROG_GET_FD_BY_ID, attr, a, "bpf BPF_PROG_GET_FD_BY_ID " + id);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** BPF_PROG_QUERY: ids of the programs attached to the target itself for the attach type (at most max). */
    public static int[] bpfProgQuery(int targetFd, int attachType, int max) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ids = a.allocate(JAVA_INT, max);
            MemorySegment attr = a.allocate(BPF_ATTR_SIZE, 8);
            attr.set(JAVA_INT, 0, targetFd);
            attr.set(JAVA_INT, 4, attachType);
            attr.set(JAVA_LONG, 16, ids.address());
            attr.set(JAVA_INT, 24, max);
            bpf(BPF_PROG_QUERY, attr, a, "bpf BPF_PROG_QUERY");
            int[] out = new int[Math.min(attr.get(JAVA_INT, 24), max)];
            for (int i = 0; i < out.length; i++) {
                out[i] = ids.getAtIndex(JAVA_INT, i);
            }
            return out;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
