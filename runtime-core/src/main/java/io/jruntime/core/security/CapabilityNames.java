package io.jruntime.core.security;

import io.jruntime.core.InvalidArgumentException;

import java.util.List;
import java.util.Map;

/** Linux capability names (as config.json spells them) and their bit numbers from linux/capability.h. */
public final class CapabilityNames {
    /** The spec model's list, in kernel bit order (position = bit number). */
    private static final List<String> NAMES = io.jruntime.spec.KnownValues.CAPABILITIES;
    private static final Map<String, Integer> BITS;

    static {
        java.util.HashMap<String, Integer> m = new java.util.HashMap<>();
        for (int i = 0; i < NAMES.size(); i++) {
            m.put(NAMES.get(i), i);
        }
        BITS = Map.copyOf(m);
    }

    private CapabilityNames() {
    }

    public static List<String> all() {
        return NAMES;
    }

    /** Bit mask of the named capabilities; an unknown name is an error naming the config field. */
    public static long mask(List<String> names, String field) {
        long m = 0;
        if (names == null) {
            return 0;
        }
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            Integer bit = BITS.get(n);
            if (bit == null) {
                throw new InvalidArgumentException(field + "[" + i + "]: unknown capability \"" + n + "\"");
            }
            m |= 1L << bit;
        }
        return m;
    }

    public static boolean known(String name) {
        return BITS.containsKey(name);
    }
}
