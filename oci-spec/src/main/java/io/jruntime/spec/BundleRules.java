package io.jruntime.spec;

import java.nio.file.Files;
import java.nio.file.Path;

/** What can only be checked against the bundle on disk: that root.path names an existing directory. */
final class BundleRules {

    private BundleRules() {
    }

    static void check(Spec spec, Path bundleDir, ViolationCollector out) {
        if (spec.root() == null || !ViolationCollector.isSet(spec.root().path())) {
            return; // already reported by TopLevelRules
        }
        String rootPath = spec.root().path();
        Path rootfs = bundleDir.resolve(rootPath);
        String where = Path.of(rootPath).isAbsolute() ? ViolationCollector.quote(rootPath)
                : ViolationCollector.quote(rootPath) + " (resolved against the bundle to " + rootfs + ")";
        if (!Files.exists(rootfs)) {
            out.add("root.path", where + " does not exist; create the root filesystem there or point root.path"
                    + " at it");
        } else if (!Files.isDirectory(rootfs)) {
            out.add("root.path", where + " is not a directory; root.path must name the root filesystem directory");
        }
    }
}
