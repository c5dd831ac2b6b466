package io.jruntime.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The flags of one command (or the global flags), declared once: {@link GoArgs} parses argv against it with Go's
 * rules and {@link Help} renders it through picocli. A declarative table rather than picocli annotations because
 * annotation processing costs ~100 ms per start on JDK 25 (each annotation type becomes a dynamic proxy class,
 * which the AOT cache cannot archive) and even picocli's programmatic model costs ~20 ms in the interpreter;
 * engines start the runtime for every operation. picocli is only loaded when help is printed.
 */
public final class FlagSpec {
    /** BOOL: a switch; VALUE: one value, the last occurrence wins; LIST: a value per occurrence, all kept. */
    public enum Kind { BOOL, VALUE, LIST }

    /**
     * @param name   long name without dashes ("bundle")
     * @param alias  one-letter alias without dash ("b") or null
     * @param kind   how it takes values
     * @param help   one line for the help
     * @param hidden accepted but not shown in the help
     */
    public record Flag(String name, String alias, Kind kind, String help, boolean hidden) {
    }

    private final String command;
    private final String[] synopsis;
    private final String[] description;
    private final List<Flag> flags;
    private final Map<String, Flag> byName;

    private FlagSpec(String command, String[] synopsis, String[] description, List<Flag> flags) {
        this.command = command;
        this.synopsis = synopsis;
        this.description = description;
        this.flags = List.copyOf(flags);
        this.byName = new HashMap<>(flags.size() * 3);
        for (Flag f : flags) {
            byName.put(f.name(), f);
            if (f.alias() != null) {
                byName.put(f.alias(), f);
            }
        }
    }

    public static Builder command(String name) {
        return new Builder(name);
    }

    /** Command name ("create"), or "jruntime" for the global flags. */
    public String command() {
        return command;
    }

    public String[] synopsis() {
        return synopsis.clone();
    }

    public String[] description() {
        return description.clone();
    }

    public List<Flag> flags() {
        return flags;
    }

    /** The flag named n (long name or alias, without dashes), or null. */
    public Flag find(String n) {
        return byName.get(n);
    }

    /** Builds a FlagSpec; flags appear in the help in the order they are added. */
    public static final class Builder {
        private final String command;
        private String[] synopsis = new String[0];
        private String[] description = new String[0];
        private final List<Flag> flags = new ArrayList<>();

        private Builder(String command) {
            this.command = command;
        }

        public Builder synopsis(String... lines) {
            synopsis = lines;
            return this;
        }

        public Builder description(String... lines) {
            description = lines;
            return this;
        }

        public Builder bool(String name, String help) {
            return add(name, null, Kind.BOOL, help, false);
        }

        public Builder bool(String name, String alias, String help) {
            return add(name, alias, Kind.BOOL, help, false);
        }

        public Builder value(String name, String help) {
            return add(name, null, Kind.VALUE, help, false);
        }

        public Builder value(String name, String alias, String help) {
            return add(name, alias, Kind.VALUE, help, false);
        }

        public Builder list(String name, String help) {
            return add(name, null, Kind.LIST, help, false);
        }

        public Builder list(String name, String alias, String help) {
            return add(name, alias, Kind.LIST, help, false);
        }

        public Builder hiddenValue(String name, String help) {
            return add(name, null, Kind.VALUE, help, true);
        }

        private Builder add(String name, String alias, Kind kind, String help, boolean hidden) {
            flags.add(new Flag(name, alias, kind, help, hidden));
            return this;
        }

        public FlagSpec build() {
            return new FlagSpec(command, synopsis, description, flags);
        }
    }
}
