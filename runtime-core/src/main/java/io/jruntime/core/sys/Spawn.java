package io.jruntime.core.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * posix_spawn(3) with an explicit fd map: the child gets exactly the fds listed (target number to our fd) and
 * nothing else, with all signals at their defaults and none blocked, whatever the JVM's threads had. glibc's
 * posix_spawn uses clone(CLONE_VM|CLONE_VFORK), so it is safe from a multi-threaded JVM, unlike fork.
 */
public final class Spawn {
    private static final int POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final int POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final int POSIX_SPAWN_SETSID = 0x80;
    /** Room for glibc's posix_spawn_file_actions_t (80 bytes) and posix_spawnattr_t (336 bytes), with slack. */
    private static final long OPAQUE_SIZE = 1024;
    private static final long SIGSET_SIZE = 128;
    /** Temporary copies live above every target so dup2 into targets can never clobber a source. */
    private static final int TEMP_FD_FLOOR = 1000;

    private Spawn() {
    }

    private static final class H {
        static final MethodHandle SPAWN = Libc.handle("posix_spawn",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        static final MethodHandle FA_INIT = Libc.handle("posix_spawn_file_actions_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle FA_DESTROY = Libc.handle("posix_spawn_file_actions_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle FA_DUP2 = Libc.handle("posix_spawn_file_actions_adddup2",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        static final MethodHandle FA_CLOSEFROM = Libc.handle("posix_spawn_file_actions_addclosefrom_np",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle FA_CHDIR = Libc.handle("posix_spawn_file_actions_addchdir_np",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        static final MethodHandle ATTR_INIT = Libc.handle("posix_spawnattr_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle ATTR_DESTROY = Libc.handle("posix_spawnattr_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle ATTR_SETFLAGS = Libc.handle("posix_spawnattr_setflags",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
        static final MethodHandle ATTR_SETSIGMASK = Libc.handle("posix_spawnattr_setsigmask",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        static final MethodHandle ATTR_SETSIGDEFAULT = Libc.handle("posix_spawnattr_setsigdefault",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        static final MethodHandle SIGEMPTYSET = Libc.handle("sigemptyset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle SIGFILLSET = Libc.handle("sigfillset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    /**
     * Starts path with argv and envp; the child's fd {@code k} is our fd {@code fdMap.get(k)}, all others closed.
     *
     * @param newSession make the child a session leader (detaches it from our controlling terminal)
     * @return the child's pid
     */
    public static int spawn(String path, List<String> argv, List<String> envp, Map<Integer, Integer> fdMap, boolean newSession) {
        return spawn(path, argv, envp, fdMap, newSession, null);
    }

    /** As {@link #spawn(String, List, List, Map, boolean)}, the child starting in directory {@code cwd} (null: ours). */
    public static int spawn(String path, List<String> argv, List<String> envp, Map<Integer, Integer> fdMap, boolean newSession,
            String cwd) {
        TreeMap<Integer, Integer> map = new TreeMap<>(fdMap);
        List<Integer> temps = new ArrayList<>();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fa = a.allocate(OPAQUE_SIZE, 16);
            MemorySegment attr = a.allocate(OPAQUE_SIZE, 16);
            check((int) H.FA_INIT.invokeExact(fa), "posix_spawn_file_actions_init");
            check((int) H.ATTR_INIT.invokeExact(attr), "posix_spawnattr_init");
            try {
                for (Map.Entry<Integer, Integer> e : map.entrySet()) {
                    int temp = Fds.fcntl(e.getValue(), Fds.F_DUPFD_CLOEXEC, TEMP_FD_FLOOR);
                    temps.add(temp);
                    check((int) H.FA_DUP2.invokeExact(fa, temp, (int) e.getKey()), "posix_spawn_file_actions_adddup2");
                }
                int closeFrom = map.isEmpty() ? 0 : map.lastKey() + 1;
                check((int) H.FA_CLOSEFROM.invokeExact(fa, closeFrom), "posix_spawn_file_actions_addclosefrom_np");
                if (cwd != null) {
                    check((int) H.FA_CHDIR.invokeExact(fa, a.allocateFrom(cwd)), "posix_spawn_file_actions_addchdir_np");
                }
                MemorySegment empty = a.allocate(SIGSET_SIZE, 8);
                MemorySegment all = a.allocate(SIGSET_SIZE, 8);
                check((int) H.SIGEMPTYSET.invokeExact(empty), "sigemptyset");
                check((int) H.SIGFILLSET.invokeExact(all), "sigfillset");
                check((int) H.ATTR_SETSIGMASK.invokeExact(attr, empty), "posix_spawnattr_setsigmask");
                check((int) H.ATTR_SETSIGDEFAULT.invokeExact(attr, all), "posix_spawnattr_setsigdefault");
                short flags = (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | (newSession ? POSIX_SPAWN_SETSID : 0));
                check((int) H.ATTR_SETFLAGS.invokeExact(attr, flags), "posix_spawnattr_setflags");

                MemorySegment pid = a.allocate(JAVA_INT);
                int rc = (int) H.SPAWN.invokeExact(pid, a.allocateFrom(path), fa, attr, strings(a, argv), strings(a, envp));
                if (rc != 0) {
                    throw new SyscallException("spawn " + path, rc);
                }
                return pid.get(JAVA_INT, 0);
            } finally {
                for (int t : temps) {
                    Fds.close(t);
                }
                int ignored1 = (int) H.FA_DESTROY.invokeExact(fa);
                int ignored2 = (int) H.ATTR_DESTROY.invokeExact(attr);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void check(int rc, String what) {
        if (rc != 0) {
            throw new SyscallException(what, rc);
        }
    }

    private static MemorySegment strings(Arena a, List<String> list) {
        MemorySegment arr = a.allocate(ADDRESS, list.size() + 1L);
        for (int i = 0; i < list.size(); i++) {
            arr.setAtIndex(ADDRESS, i, a.allocateFrom(list.get(i)));
        }
        arr.setAtIndex(ADDRESS, list.size(), MemorySegment.NULL);
        return arr;
    }
}
