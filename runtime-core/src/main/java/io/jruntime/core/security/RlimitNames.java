package io.jruntime.core.security;

import java.util.List;

/** RLIMIT_* names and their resource numbers (asm-generic/resource.h, also x86_64). */
public final class RlimitNames {
    /** The spec model's list, in resource-number order. */
    private static final List<String> NAMES = io.jruntime.spec.KnownValues.RLIMITS;

    private RlimitNames() {
    }

    /** The resource number, or -1 for an unknown name. */
    public static int resource(String name) {
        return NAMES.indexOf(name);
    }
}
