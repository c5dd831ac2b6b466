package io.jruntime.core.lifecycle;

import io.jruntime.core.ContainerStateException;
import io.jruntime.core.RuntimeContext;
import io.jruntime.core.cgroups.Cgroup;
import io.jruntime.core.cgroups.OomWatcher;
import io.jruntime.core.state.ContainerState;
import io.jruntime.core.state.ContainerStatus;
import io.jruntime.core.state.StatusResolver;
import io.jruntime.spec.JsonString;

import java.io.PrintStream;
import java.time.Duration;

/**
 * {@code events}: one stats event with --stats, else a stream of stats events every interval plus an
 * {@code oom} event whenever the kernel OOM-kills in the container, until the container stops. Lines are
 * runc's JSON shape: {"type":"stats","id":...,"data":{...}} and {"type":"oom","id":...}.
 */
public final class ContainerEvents {
    private ContainerEvents() {
    }

    public static void stream(RuntimeContext ctx, String id, boolean once, Duration interval, PrintStream out) {
        ContainerState s = ctx.store().load(id);
        if (StatusResolver.status(ctx.store(), s) == ContainerStatus.STOPPED) {
            throw new ContainerStateException("container " + id + " is not running");
        }
        if (s.cgroupPaths().isEmpty()) {
            throw new ContainerStateException("container " + id + " has no cgroups to report on");
        }
        Cgroup cg = Cgroup.fromPaths(s.cgroupPaths());
        if (once) {
            out.println(cg.stats().toRuncEventJson(id));
            return;
        }
        Duration every = interval == null || interval.isZero() ? Duration.ofSeconds(5) : interval;
        try (OomWatcher oom = cg.watchOom(Duration.ofMillis(Math.min(every.toMillis(), 200)), ev -> {
            synchronized (out) {
                out.println("{\"type\":\"oom\",\"id\":" + JsonString.quote(id) + "}");
                out.flush();
            }
        })) {
            while (StatusResolver.status(ctx.store(), s) != ContainerStatus.STOPPED) {
                synchronized (out) {
                    out.println(cg.stats().toRuncEventJson(id));
                    out.flush();
                }
                try {
                    Thread.sleep(every.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
