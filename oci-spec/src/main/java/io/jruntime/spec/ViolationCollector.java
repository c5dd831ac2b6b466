package io.jruntime.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Collects violations and holds the checks every rule class needs, so that the same defect gets the same
 * message wherever it occurs.
 */
final class ViolationCollector {

    private static final long UINT32_MAX = 0xFFFF_FFFFL;
    /** Lists up to this size are spelled out in "unknown ..." messages; longer ones are referenced. */
    private static final int MAX_LISTED_CHOICES = 12;
    private static final Pattern CPU_LIST = Pattern.compile("\\d+(-\\d+)?(,\\d+(-\\d+)?)*");

    private final List<Violation> violations = new ArrayList<>();

    void add(String path, String message) {
        violations.add(new Violation(path, message));
    }

    List<Violation> toList() {
        return List.copyOf(violations);
    }

    /** Go's omitempty makes "" and absent the same for optional strings; so do we. */
    static boolean isSet(String value) {
        return value != null && !value.isEmpty();
    }

    static String quote(String value) {
        return JsonString.quotePlain(value);
    }

    /** A required absolute path. */
    void absolutePath(String path, String value, String example) {
        if (!isSet(value)) {
            add(path, "is required; give an absolute path such as " + quote(example));
        } else {
            absolutePathIfSet(path, value);
        }
    }

    void absolutePathIfSet(String path, String value) {
        if (isSet(value) && !value.startsWith("/")) {
            add(path, quote(value) + " is not an absolute path; it must start with \"/\"");
        }
    }

    /**
     * A name from a closed set. The message suggests the likely intended name (wrong case, missing prefix) and
     * lists the choices when there are few; otherwise it points to {@code reference}.
     */
    void knownName(String path, String value, List<String> known, String kind, String reference) {
        if (value == null) {
            add(path, known.size() <= MAX_LISTED_CHOICES
                    ? "is required; give one of " + String.join(", ", known)
                    : "is required; give the " + kind);
        } else if (!known.contains(value)) {
            add(path, unknownMessage(value, known, kind, reference));
        }
    }

    /** Every entry of an optional list of names from a closed set. */
    void knownNames(String path, List<String> names, List<String> known, String kind, String reference) {
        if (names == null) {
            return;
        }
        for (int i = 0; i < names.size(); i++) {
            knownName(JsonPath.index(path, i), names.get(i), known, kind, reference);
        }
    }

    static String unknownMessage(String value, List<String> known, String kind, String reference) {
        String message = "unknown " + kind + " " + quote(value);
        String suggestion = suggest(value, known);
        if (suggestion != null) {
            return message + "; did you mean " + quote(suggestion) + "?";
        }
        if (known.size() <= MAX_LISTED_CHOICES) {
            return message + "; expected one of " + String.join(", ", known);
        }
        return message + "; see " + reference + " for valid names";
    }

    private static String suggest(String value, List<String> known) {
        String upper = value.toUpperCase(Locale.ROOT);
        for (String name : known) {
            String knownUpper = name.toUpperCase(Locale.ROOT);
            if (knownUpper.equals(upper) || knownUpper.endsWith("_" + upper)) {
                return name;
            }
        }
        return null;
    }

    void required(String path, Object value, String what) {
        if (value == null) {
            add(path, "is required; " + what);
        }
    }

    void uint32(String path, Long value, String what) {
        if (value != null && (value < 0 || value > UINT32_MAX)) {
            add(path, value + " is out of range for " + what + "; it must be between 0 and " + UINT32_MAX);
        }
    }

    void range(String path, Long value, long min, long max, String what) {
        if (value != null && (value < min || value > max)) {
            add(path, what + " " + value + " is out of range; it must be between " + min + " and " + max);
        }
    }

    /**
     * No NUL byte in a string that becomes a C string (a path, an argument, an environment entry): the kernel
     * would cut it there, so the process would get something other than the config says.
     */
    void noNul(String path, String value) {
        if (value != null && value.indexOf('\0') >= 0) {
            add(path, "contains a NUL byte (at character " + value.indexOf('\0') + "); Linux strings cannot hold one");
        }
    }

    /** {@link #noNul(String, String)} for every entry of a list. */
    void noNul(String path, List<String> values) {
        if (values != null) {
            for (int i = 0; i < values.size(); i++) {
                noNul(JsonPath.index(path, i), values.get(i));
            }
        }
    }

    void environment(String path, List<String> env) {
        if (env == null) {
            return;
        }
        for (int i = 0; i < env.size(); i++) {
            String entry = env.get(i);
            if (entry.indexOf('=') <= 0) {
                add(JsonPath.index(path, i), quote(entry) + " is not of the form KEY=VALUE");
            }
        }
    }

    /** A Linux CPU or NUMA node list such as "0-3,7". */
    void cpuList(String path, String value, String what) {
        if (!isSet(value)) {
            return;
        }
        if (!CPU_LIST.matcher(value).matches()) {
            add(path, quote(value) + " is not a " + what + " list; use numbers and ranges such as \"0-3,7\"");
            return;
        }
        for (String part : value.split(",")) {
            String[] bounds = part.split("-");
            if (bounds.length == 2 && Long.parseLong(bounds[0]) > Long.parseLong(bounds[1])) {
                add(path, quote(value) + " is not a valid " + what + " list: range " + quote(part)
                        + " ends before it starts");
            }
        }
    }

    void idMappings(String path, List<IdMapping> mappings, String idKind) {
        if (mappings == null) {
            return;
        }
        for (int i = 0; i < mappings.size(); i++) {
            IdMapping mapping = mappings.get(i);
            String at = JsonPath.index(path, i);
            String what = "a " + idKind;
            required(JsonPath.field(at, "containerID"), mapping.containerID(), "give the first " + idKind
                    + " inside the container");
            required(JsonPath.field(at, "hostID"), mapping.hostID(), "give the first " + idKind + " on the host");
            required(JsonPath.field(at, "size"), mapping.size(), "give the number of ids to map");
            uint32(JsonPath.field(at, "containerID"), mapping.containerID(), what);
            uint32(JsonPath.field(at, "hostID"), mapping.hostID(), what);
            uint32(JsonPath.field(at, "size"), mapping.size(), "a mapping size");
            if (mapping.size() != null && mapping.size() == 0) {
                add(JsonPath.field(at, "size"), "must be at least 1; a mapping of 0 ids maps nothing");
            }
        }
    }
}
