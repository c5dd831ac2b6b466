package io.jruntime.spec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** linux.namespaces, and the settings that only make sense inside a namespace of a particular type. */
final class NamespaceRules {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private NamespaceRules() {
    }

    static void check(Spec spec, ViolationCollector out) {
        Linux linux = spec.linux();
        if (linux != null) {
            checkNamespaceList(linux.namespaces(), out);
            checkUserNamespace(linux, out);
            checkTimeNamespace(linux, out);
            if (linux.netDevices() != null && !linux.netDevices().isEmpty() && !has(linux, "network")) {
                out.add("linux.netDevices", needs("moving network devices into the container", "network",
                        "linux.netDevices"));
            }
        }
        if (ViolationCollector.isSet(spec.hostname()) && !has(linux, "uts")) {
            out.add("hostname", needs("setting a hostname", "uts", "hostname"));
        }
        if (ViolationCollector.isSet(spec.domainname()) && !has(linux, "uts")) {
            out.add("domainname", needs("setting a domain name", "uts", "domainname"));
        }
    }

    static boolean has(Linux linux, String type) {
        return linux != null && linux.namespace(type).isPresent();
    }

    /** "X needs a T namespace; add {"type": "T"} to linux.namespaces or remove F". */
    static String needs(String what, String type, String field) {
        String article = "ipc".equals(type) ? "an " : "a "; // the only type read with a leading vowel sound
        return what + " needs " + article + type + " namespace; add {\"type\": \"" + type
                + "\"} to linux.namespaces or remove " + field;
    }

    private static void checkNamespaceList(List<Linux.Namespace> namespaces, ViolationCollector out) {
        if (namespaces == null) {
            return;
        }
        Map<String, String> firstByType = new HashMap<>();
        for (int i = 0; i < namespaces.size(); i++) {
            Linux.Namespace namespace = namespaces.get(i);
            String at = JsonPath.index("linux.namespaces", i);
            String typePath = JsonPath.field(at, "type");
            out.knownName(typePath, namespace.type(), KnownValues.NAMESPACE_TYPES, "namespace type",
                    "namespaces(7)");
            if (namespace.type() != null) {
                String first = firstByType.putIfAbsent(namespace.type(), typePath);
                if (first != null) {
                    out.add(typePath, "duplicate namespace type " + ViolationCollector.quote(namespace.type())
                            + " (already at " + first + "); list each type once");
                }
            }
            out.absolutePathIfSet(JsonPath.field(at, "path"), namespace.path());
        }
    }

    private static void checkUserNamespace(Linux linux, ViolationCollector out) {
        out.idMappings("linux.uidMappings", linux.uidMappings(), "uid");
        out.idMappings("linux.gidMappings", linux.gidMappings(), "gid");
        boolean uidMapped = linux.uidMappings() != null && !linux.uidMappings().isEmpty();
        boolean gidMapped = linux.gidMappings() != null && !linux.gidMappings().isEmpty();
        Optional<Linux.Namespace> userNamespace = linux.namespace("user");
        if (userNamespace.isEmpty()) {
            if (uidMapped) {
                out.add("linux.uidMappings", needs("mapping uids", "user", "linux.uidMappings"));
            }
            if (gidMapped) {
                out.add("linux.gidMappings", needs("mapping gids", "user", "linux.gidMappings"));
            }
        } else if (!ViolationCollector.isSet(userNamespace.get().path())) {
            // A new user namespace without mappings leaves every id unmapped (nobody), so nothing could run.
            if (!uidMapped) {
                out.add("linux.uidMappings", "a new user namespace needs at least one uid mapping, e.g."
                        + " {\"containerID\": 0, \"hostID\": 1000, \"size\": 1}");
            }
            if (!gidMapped) {
                out.add("linux.gidMappings", "a new user namespace needs at least one gid mapping, e.g."
                        + " {\"containerID\": 0, \"hostID\": 1000, \"size\": 1}");
            }
        }
    }

    private static void checkTimeNamespace(Linux linux, ViolationCollector out) {
        Map<String, Linux.TimeOffset> offsets = linux.timeOffsets();
        if (offsets == null || offsets.isEmpty()) {
            return;
        }
        if (!has(linux, "time")) {
            out.add("linux.timeOffsets", needs("offsetting clocks", "time", "linux.timeOffsets"));
        }
        for (Map.Entry<String, Linux.TimeOffset> entry : offsets.entrySet()) {
            String at = JsonPath.key("linux.timeOffsets", entry.getKey());
            if (!KnownValues.TIME_NAMESPACE_CLOCKS.contains(entry.getKey())) {
                out.add(at, "clock " + ViolationCollector.quote(entry.getKey())
                        + " cannot be offset; a time namespace only offsets monotonic and boottime");
            }
            out.range(JsonPath.field(at, "nanosecs"), entry.getValue().nanosecs(), 0, NANOS_PER_SECOND - 1,
                    "nanosecs");
        }
    }
}
