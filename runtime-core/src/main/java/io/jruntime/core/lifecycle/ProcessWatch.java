package io.jruntime.core.lifecycle;

import io.jruntime.core.state.ProcStat;

import java.time.Duration;

/** Waiting for processes that are not our children (the container init is adopted by a subreaper or pid 1). */
public final class ProcessWatch {
    private ProcessWatch() {
    }

    /** Polls until pid (with that start time) is gone or a zombie; returns false on timeout. */
    public static boolean awaitExit(int pid, long startTime, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long sleepMs = 1;
        while (ProcStat.alive(pid, startTime)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(sleepMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            sleepMs = Math.min(20, sleepMs * 2);
        }
        return true;
    }
}
