package io.jruntime.core.hooks;

import io.jruntime.core.state.ProcStat;
import io.jruntime.core.sys.Processes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The session a hook leads: {@link HookRunner} starts every hook with setsid, so its session id is its pid and
 * whatever it starts (that does not make a session of its own) carries that id. Killing the session is how a hook
 * that timed out, or that a dead create left behind (its pid is in the record), goes with everything it started.
 *
 * <p>A session id cannot be taken by another process while any member of the session lives (the kernel keeps the
 * number in use), so the members found are the hook's, unless the whole session ended and the number was reused
 * by a new session leader: that leader is alive with another start time, and then nothing is killed.
 */
public final class HookSession {
    private HookSession() {
    }

    /**
     * SIGKILLs every live process in the session led by {@code sid} and waits (up to {@code wait}) until none is
     * left; true when none is.
     *
     * @param leaderStartTime the leader's start time as recorded (-1: the leader is known to be ours)
     */
    public static boolean kill(int sid, long leaderStartTime, Duration wait) {
        if (sid <= 1) {
            return true;
        }
        long now = ProcStat.startTime(sid);
        if (leaderStartTime > 0 && now >= 0 && now != leaderStartTime) {
            return true; // the number leads another session now: nothing of ours can be in it
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            List<Integer> members = members(sid);
            if (members.isEmpty()) {
                return true;
            }
            for (int pid : members) {
                Processes.kill(pid, 9);
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return members(sid).isEmpty();
            }
        }
    }

    /** As {@link #kill(int, long, Duration)} without waiting for the members to be gone. */
    static void kill(int sid, long leaderStartTime) {
        kill(sid, leaderStartTime, Duration.ZERO);
    }

    /** Live (not zombie) processes whose session id is sid. */
    static List<Integer> members(int sid) {
        List<Integer> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                int pid = Integer.parseInt(name);
                if (ProcStat.session(pid) == sid && ProcStat.alive(pid, -1)) {
                    out.add(pid);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("list /proc", e);
        }
        return out;
    }
}
