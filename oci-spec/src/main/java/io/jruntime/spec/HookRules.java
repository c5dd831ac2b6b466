package io.jruntime.spec;

import java.util.List;
import java.util.Map;

/** hooks: each must name an executable by absolute path and may only time out after a positive delay. */
final class HookRules {

    private HookRules() {
    }

    static void check(Hooks hooks, ViolationCollector out) {
        for (Map.Entry<String, List<Hook>> entry : hooks.byName().entrySet()) {
            List<Hook> list = entry.getValue();
            for (int i = 0; i < list.size(); i++) {
                checkHook(list.get(i), JsonPath.index(JsonPath.field("hooks", entry.getKey()), i), out);
            }
        }
    }

    private static void checkHook(Hook hook, String path, ViolationCollector out) {
        out.absolutePath(JsonPath.field(path, "path"), hook.path(), "/usr/bin/hook");
        out.environment(JsonPath.field(path, "env"), hook.env());
        if (hook.timeout() != null && hook.timeout() <= 0) {
            out.add(JsonPath.field(path, "timeout"), "must be greater than 0 seconds, got " + hook.timeout()
                    + "; remove it to wait for the hook without a limit");
        }
    }
}
