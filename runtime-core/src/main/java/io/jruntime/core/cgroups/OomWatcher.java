package io.jruntime.core.cgroups;

import java.nio.file.Files;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.logging.Level;

/**
 * Reports OOM events of a cgroup by polling its counters (v1 memory.oom_control oom_kill/under_oom, v2 memory.events
 * oom/oom_kill). Polling keeps it pure file I/O and works for both versions; the delay is at most one interval.
 */
public final class OomWatcher implements AutoCloseable {
    /**
     * One OOM event.
     *
     * @param oomKills total OOM kills in the cgroup so far
     * @param underOom v1 only: the cgroup is stuck at its limit with the OOM killer disabled
     */
    public record OomEvent(long oomKills, boolean underOom) {
    }

    private final Thread thread;
    private volatile boolean closed;

    private OomWatcher(Cgroup cg, Duration interval, Consumer<OomEvent> listener) {
        long ms = Math.max(1, interval.toMillis());
        this.thread = Thread.ofPlatform().daemon().name("jruntime-oom-watch").unstarted(() -> {
            long lastKills = cg.oomKillCount();
            long lastOom = cg.oomCount();
            boolean lastUnder = cg.underOom();
            while (!closed) {
                try {
                    Thread.sleep(ms);
                } catch (InterruptedException e) {
                    return;
                }
                var dir = cg.path("memory") != null ? cg.path("memory") : cg.path("");
                if (dir == null || !Files.isDirectory(dir)) {
                    return;
                }
                try {
                    long kills = cg.oomKillCount();
                    long ooms = cg.oomCount();
                    boolean under = cg.underOom();
                    if (kills != lastKills || ooms != lastOom || (under && !lastUnder)) {
                        listener.accept(new OomEvent(kills, under));
                    }
                    lastKills = kills;
                    lastOom = ooms;
                    lastUnder = under;
                } catch (RuntimeException e) {
                    Cgroup.log().log(Level.FINE, "OOM watcher stopped", e);
                    return;
                }
            }
        });
    }

    static OomWatcher start(Cgroup cg, Duration interval, Consumer<OomEvent> listener) {
        OomWatcher w = new OomWatcher(cg, interval, listener);
        w.thread.start();
        return w;
    }

    /** True while the watcher runs (false once closed or once the cgroup is gone). */
    public boolean isRunning() {
        return thread.isAlive();
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
