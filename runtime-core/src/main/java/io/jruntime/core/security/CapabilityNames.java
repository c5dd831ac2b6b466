package io.jruntime.core.security;


import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

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

    /**
     * Bit mask of the named capabilities this host has. Unknown names and capabilities above the host's
     * cap_last_cap are left out: runtime-spec 1.1+ says they are logged and do not fail the container (see
     * {@link #ignored}, which names them for the warning). field names the config field, for messages.
     */
    public static long mask(List<String> names, String field) {
        long m = 0;
        if (names == null) {
            return 0;
        }
        int last = hostLastCap();
        for (String n : names) {
            Integer bit = BITS.get(n);
            if (bit != null && bit <= last) {
                m |= 1L << bit;
            }
        }
        return m;
    }

    /**
     * The names in any of the sets that are unknown or unavailable on this host, sorted and without repeats, for
     * runc's warning {@code ignoring unknown or unavailable capabilities: [A B]}.
     */
    public static SortedSet<String> ignored(List<List<String>> sets) {
        SortedSet<String> out = new TreeSet<>();
        int last = hostLastCap();
        for (List<String> set : sets) {
            for (String n : set == null ? List.<String>of() : set) {
                Integer bit = BITS.get(n);
                if (bit == null || bit > last) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    private static volatile Integer lastCap;

    /** The host's highest capability number (read on the host, before any container namespace is joined). */
    static int hostLastCap() {
        Integer v = lastCap;
        if (v == null) {
            try {
                v = Integer.parseInt(io.jruntime.core.sys.ProcFiles.firstLine(java.nio.file.Path.of("/proc/sys/kernel/cap_last_cap")));
            } catch (java.io.IOException | NumberFormatException e) {
                v = NAMES.size() - 1;
            }
            lastCap = v;
        }
        return v;
    }

    public static boolean known(String name) {
        return BITS.containsKey(name);
    }
}
