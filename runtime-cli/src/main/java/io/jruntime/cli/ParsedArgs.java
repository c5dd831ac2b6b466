package io.jruntime.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The flags and positionals of one command line, keyed by long flag name (no dashes). */
public final class ParsedArgs {
    private final Map<String, List<String>> values = new HashMap<>();
    private final Map<String, Boolean> bools = new HashMap<>();
    private final List<String> positionals = new ArrayList<>();
    private boolean help;
    private int stoppedAt = -1;

    void set(String name, boolean on) {
        bools.put(name, on);
    }

    void add(String name, String value) {
        List<String> v = values.get(name);
        if (v == null) {
            v = new ArrayList<>(2);
            values.put(name, v);
        }
        v.add(value);
    }

    void positional(String arg) {
        positionals.add(arg);
    }

    void help() {
        help = true;
    }

    void stoppedAt(int index) {
        stoppedAt = index;
    }

    /** A switch: true if given (last occurrence wins, {@code --x=false} turns it off). */
    public boolean bool(String name) {
        return bools.getOrDefault(name, Boolean.FALSE);
    }

    /** A single-valued flag: its last value, or null when not given. */
    public String value(String name) {
        List<String> v = values.get(name);
        return v == null ? null : v.get(v.size() - 1);
    }

    /** A single-valued flag with a default. */
    public String value(String name, String dflt) {
        String v = value(name);
        return v == null ? dflt : v;
    }

    /** A repeatable flag: every value in order (empty when not given). */
    public List<String> list(String name) {
        List<String> v = values.get(name);
        return v == null ? List.of() : List.copyOf(v);
    }

    /** True if the flag was given at all. */
    public boolean has(String name) {
        return values.containsKey(name) || bools.containsKey(name);
    }

    public List<String> positionals() {
        return positionals;
    }

    /** -h / --help was given (before the flags stopped). */
    public boolean helpRequested() {
        return help;
    }

    /** Index in the input where the first positional was when parsing stopped there, or -1. */
    public int stoppedAt() {
        return stoppedAt;
    }
}
