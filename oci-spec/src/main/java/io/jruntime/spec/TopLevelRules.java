package io.jruntime.spec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** ociVersion and root: what every Linux config must have before anything else makes sense. */
final class TopLevelRules {

    private static final String NUMBER = "(0|[1-9]\\d*)";
    private static final String DOTTED_IDENTIFIERS = "[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*";
    /** SemVer 2.0.0: MAJOR.MINOR.PATCH, then optional -prerelease and +build; group 1 is MAJOR. */
    private static final Pattern SEMVER = Pattern.compile(
            NUMBER + "\\." + NUMBER + "\\." + NUMBER + "(-" + DOTTED_IDENTIFIERS + ")?(\\+" + DOTTED_IDENTIFIERS + ")?");
    private static final String SUPPORTED_MAJOR = "1";

    private TopLevelRules() {
    }

    static void check(Spec spec, ViolationCollector out) {
        checkVersion(spec.ociVersion(), out);
        checkRoot(spec.root(), out);
    }

    private static void checkVersion(String version, ViolationCollector out) {
        if (!ViolationCollector.isSet(version)) {
            out.add("ociVersion", "is required; set it to the runtime-spec version the config follows, e.g. \""
                    + Spec.OCI_VERSION + "\"");
            return;
        }
        Matcher semver = SEMVER.matcher(version);
        if (!semver.matches()) {
            out.add("ociVersion", ViolationCollector.quote(version) + " is not a SemVer version such as \""
                    + Spec.OCI_VERSION + "\"");
        } else if (!SUPPORTED_MAJOR.equals(semver.group(1))) {
            out.add("ociVersion", "runtime-spec " + version + " is not supported; jruntime implements 1.x (up to "
                    + Spec.OCI_VERSION + ")");
        }
    }

    private static void checkRoot(Root root, ViolationCollector out) {
        if (root == null) {
            out.add("root", "is required on Linux; add {\"path\": \"rootfs\"} naming the root filesystem directory");
        } else if (!ViolationCollector.isSet(root.path())) {
            out.add("root.path", "is required; give the root filesystem directory, absolute or relative to the bundle");
        }
    }
}
