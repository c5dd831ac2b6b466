package io.jruntime.core.cgroups;

import io.jruntime.core.InvalidArgumentException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code exec --cgroup}: runs the new process in an existing sub-cgroup of the container's, as runc 1.1.5 does.
 * Forms: one {@code path} (the same sub-path in every hierarchy, the only form for cgroup v2) or any number of
 * {@code controller[,controller...]:path}. A path that leaves the container's cgroup ({@code ..}) and a
 * controller the container has no cgroup for are refused with runc's messages, before any process starts.
 */
public final class SubCgroups {
    private SubCgroups() {
    }

    /** Parses the flag values into controller -> sub-path ("" = every hierarchy); runc's getSubCgroupPaths. */
    public static Map<String, String> parse(List<String> args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String c : args) {
            String[] cs = c.split(":", 3);
            if (cs.length > 2) {
                throw new InvalidArgumentException("invalid --cgroup argument: " + c);
            }
            if (cs.length == 1) {
                if (args.size() != 1) {
                    throw new InvalidArgumentException("invalid --cgroup argument: " + c + " (missing <controller>: prefix)");
                }
                out.put("", c);
            } else {
                for (String ctrl : cs[0].split(",", -1)) {
                    out.put(ctrl, cs[1]);
                }
            }
        }
        if (out.containsKey("") && out.size() > 1) {
            // runc silently drops the per-controller paths then; jruntime never ignores an option it accepted.
            throw new InvalidArgumentException("invalid --cgroup argument(s): a path for every controller (\":"
                    + out.get("") + "\") cannot be combined with per-controller paths");
        }
        return out;
    }

    /**
     * The container's cgroup state map with the sub-paths applied: every key sharing a directory with a named
     * controller moves with it (co-mounted controllers such as cpu,cpuacct are one hierarchy); bookkeeping keys
     * stay as they are.
     */
    public static Map<String, String> apply(Map<String, String> state, List<String> args) {
        if (args.isEmpty()) {
            return state;
        }
        Map<String, String> subs = parse(args);
        Map<String, String> out = new LinkedHashMap<>(state);
        String all = subs.get("");
        Map<String, String> byDir = new LinkedHashMap<>();
        if (all != null) {
            state.forEach((k, v) -> {
                if (!k.startsWith("jruntime.")) {
                    byDir.put(v, all);
                }
            });
        } else {
            subs.forEach((ctrl, sub) -> {
                String dir = ctrl.startsWith("jruntime.") ? null : state.get(ctrl);
                if (dir == null) {
                    throw new InvalidArgumentException("unknown controller " + ctrl + " in SubCgroupPaths");
                }
                byDir.put(dir, sub);
            });
        }
        state.forEach((k, v) -> {
            String sub = k.startsWith("jruntime.") ? null : byDir.get(v);
            if (sub != null) {
                out.put(k, below(v, sub));
            }
        });
        return out;
    }

    /** base joined with sub, refused unless it is base itself or below it (runc checks only a string prefix). */
    static String below(String base, String sub) {
        Path b = Path.of(base).normalize();
        Path p = Path.of(base, sub).normalize();
        if (!p.startsWith(b)) {
            throw new InvalidArgumentException(sub + " is not a sub cgroup path");
        }
        return p.toString();
    }
}
