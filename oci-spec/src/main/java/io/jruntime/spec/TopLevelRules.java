package io.jruntime.spec;

/** root: what every Linux config must have before anything else makes sense. */
final class TopLevelRules {

    private TopLevelRules() {
    }

    static void check(Spec spec, ViolationCollector out) {
        // ociVersion is not checked: runc 1.1.5 runs configs with a missing, pre-1.0 or malformed ociVersion,
        // and nothing jruntime does depends on it (conformance rows oci-version-*).
        checkRoot(spec.root(), out);
    }

    private static void checkRoot(Root root, ViolationCollector out) {
        if (root == null) {
            out.add("root", "is required on Linux; add {\"path\": \"rootfs\"} naming the root filesystem directory");
        } else if (!ViolationCollector.isSet(root.path())) {
            out.add("root.path", "is required; give the root filesystem directory, absolute or relative to the bundle");
        }
    }
}
