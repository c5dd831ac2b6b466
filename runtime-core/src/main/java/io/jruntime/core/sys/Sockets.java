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
 * Native calls on AF_UNIX sockets: socketpair, connect/listen/accept, peer credentials, fd passing (SCM_RIGHTS).
 * Each method binds its libc symbol on first use (one holder class per call: one seam per side effect),
 * converts Java values, and turns a -1 return into a {@link SyscallException} that names the call and the object
 * it was about. Nothing outside this package touches MemorySegments for syscalls.
 */
public final class Sockets {
    private Sockets() {
    }

    // ---- sockets ----------------------------------------------------------------------------------------

    public static final int AF_UNIX = 1;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_SEQPACKET = 5;
    public static final int SOCK_CLOEXEC = Fds.O_CLOEXEC;

    private static final class Socketpair {
        static final MethodHandle H = Libc.errnoHandle("socketpair",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    }

    public static int[] socketpair(int type) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            MemorySegment fds = a.allocate(JAVA_INT, 2);
            if ((int) Socketpair.H.invokeExact(st, AF_UNIX, type | SOCK_CLOEXEC, 0, fds) < 0) {
                throw NativeCalls.fail("socketpair", st);
            }
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
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
                throw NativeCalls.fail("socket", st);
            }
            MemorySegment addr = a.allocate(110);
            addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(p, 0, addr, JAVA_BYTE, 2, p.length);
            boolean ok = listen
                    ? (int) Bind.H.invokeExact(st, fd, addr, 2 + p.length + 1) >= 0 && (int) Listen.H.invokeExact(st, fd, backlog) >= 0
                    : (int) Connect.H.invokeExact(st, fd, addr, 2 + p.length + 1) >= 0;
            if (!ok) {
                SyscallException e = NativeCalls.fail((listen ? "listen on " : "connect to ") + path, st);
                Fds.close(fd);
                throw e;
            }
            return fd;
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
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
                    throw NativeCalls.fail("accept", st);
                }
            }
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
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
                throw NativeCalls.fail("getsockopt SO_PEERCRED", st);
            }
            return new int[] {cred.getAtIndex(JAVA_INT, 0), cred.getAtIndex(JAVA_INT, 1), cred.getAtIndex(JAVA_INT, 2)};
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
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
                    throw NativeCalls.fail("sendmsg " + what, st);
                }
            }
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
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
                    throw NativeCalls.fail("recvmsg " + what, st);
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
            throw NativeCalls.rethrow(t);
        }
    }
}
