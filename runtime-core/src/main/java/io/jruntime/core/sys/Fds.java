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
 * Native calls on files and file descriptors: open, close, read/write, fcntl, flock, pipes, fifos, memfds, xattrs, poll.
 * Each method binds its libc symbol on first use (one holder class per call: one seam per side effect),
 * converts Java values, and turns a -1 return into a {@link SyscallException} that names the call and the object
 * it was about. Nothing outside this package touches MemorySegments for syscalls.
 */
public final class Fds {
    private Fds() {
    }

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
                throw NativeCalls.fail("open " + path, st);
            }
            return fd;
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
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
                throw NativeCalls.fail("getxattr " + path + " " + name, st);
            }
            return buf.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
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
                throw NativeCalls.fail("close fd " + fd, st);
            }
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
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
            throw NativeCalls.rethrow(t);
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
                throw NativeCalls.fail("fcntl fd " + fd + " cmd " + cmd, st);
            }
            return rc;
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
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
                    throw NativeCalls.fail("write " + what, st);
                }
                off += n;
            }
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
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
            throw NativeCalls.rethrow(t);
        }
    }

    private static final class Mkfifo {
        static final MethodHandle H = Libc.errnoHandle("mkfifo", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    }

    public static void mkfifo(String path, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            if ((int) Mkfifo.H.invokeExact(st, a.allocateFrom(path), mode) < 0) {
                throw NativeCalls.fail("mkfifo " + path, st);
            }
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
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
                throw NativeCalls.fail("pipe2", st);
            }
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
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
                throw NativeCalls.fail("memfd_create " + name, st);
            }
            return fd;
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
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
                throw NativeCalls.fail("poll fd " + fd, st);
            }
            return rc == 0 ? 0 : pfd.get(ValueLayout.JAVA_SHORT, 6) & 0xffff;
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }
}
