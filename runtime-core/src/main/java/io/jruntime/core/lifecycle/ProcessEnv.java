package io.jruntime.core.lifecycle;

import io.jruntime.spec.Process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment a container process gets, made as runc makes it: a later NAME=value replaces an earlier one
 * (config.json's entries, then {@code exec --env}), keeping the first one's position, so no name appears twice;
 * and HOME, when missing or empty, comes from the container's /etc/passwd for the process's uid (else "/").
 */
public final class ProcessEnv {
    private ProcessEnv() {
    }

    /** The process with its final environment; root is the container's root (rootfs, or /proc/PID/root). */
    public static Process complete(Process p, Path root) {
        Map<String, String> byName = merge(Nulls.list(p.env()));
        String home = byName.get("HOME");
        if (home == null || home.equals("HOME=")) {
            long uid = p.user() == null || p.user().uid() == null ? 0 : p.user().uid();
            byName.put("HOME", "HOME=" + ContainerPasswd.home(root, uid));
        }
        return p.withEnv(new ArrayList<>(byName.values()));
    }

    /** Name -> whole entry, last value wins at the first position; an entry without '=' is its own name. */
    static Map<String, String> merge(List<String> env) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (String e : env) {
            int eq = e.indexOf('=');
            byName.put(eq < 0 ? e : e.substring(0, eq), e);
        }
        return byName;
    }
}
