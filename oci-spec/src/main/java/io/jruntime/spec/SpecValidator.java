package io.jruntime.spec;

import java.nio.file.Path;
import java.util.List;

/**
 * Checks a configuration against the runtime-spec and against what Linux would refuse later, so that errors are
 * reported before anything is created, all at once, each with the JSON path of the offending value.
 */
public final class SpecValidator {

    private SpecValidator() {
    }

    /** All violations of the config; empty when it is valid. */
    public static List<Violation> validate(Spec spec) {
        ViolationCollector out = new ViolationCollector();
        collect(spec, out);
        return out.toList();
    }

    /** As {@link #validate(Spec)}, and root.path (relative to {@code bundleDir} unless absolute) is a directory. */
    public static List<Violation> validate(Spec spec, Path bundleDir) {
        ViolationCollector out = new ViolationCollector();
        collect(spec, out);
        BundleRules.check(spec, bundleDir, out);
        return out.toList();
    }

    /**
     * Violations of a process on its own, e.g. the file {@code exec --process} reads.
     *
     * @param pathPrefix prefix of the reported paths: "" gives {@code args}, "process" gives {@code process.args}
     */
    public static List<Violation> validateProcess(Process process, String pathPrefix) {
        ViolationCollector out = new ViolationCollector();
        ProcessRules.check(process, pathPrefix, out);
        return out.toList();
    }

    /**
     * Violations of resources on their own, e.g. the document {@code update --resources} reads.
     *
     * @param pathPrefix prefix of the reported paths: "" gives {@code memory.swap}
     */
    public static List<Violation> validateResources(Resources resources, String pathPrefix) {
        ViolationCollector out = new ViolationCollector();
        ResourceRules.check(resources, pathPrefix, out);
        return out.toList();
    }

    /** Throws a {@link SpecException} listing every violation, one {@code <path>: <problem>} per line. */
    public static void check(Spec spec) {
        throwIfAny(validate(spec));
    }

    public static void check(Spec spec, Path bundleDir) {
        throwIfAny(validate(spec, bundleDir));
    }

    public static void checkProcess(Process process, String pathPrefix) {
        throwIfAny(validateProcess(process, pathPrefix));
    }

    public static void checkResources(Resources resources, String pathPrefix) {
        throwIfAny(validateResources(resources, pathPrefix));
    }

    private static void collect(Spec spec, ViolationCollector out) {
        TopLevelRules.check(spec, out);
        if (spec.process() != null) {
            ProcessRules.check(spec.process(), "process", out);
        }
        MountRules.check(spec.mounts(), out);
        if (spec.hooks() != null) {
            HookRules.check(spec.hooks(), out);
        }
        NamespaceRules.check(spec, out);
        Linux linux = spec.linux();
        if (linux != null) {
            SysctlRules.check(linux, out);
            DeviceNodeRules.check(linux.devices(), out);
            if (linux.resources() != null) {
                ResourceRules.check(linux.resources(), "linux.resources", out);
            }
            if (linux.seccomp() != null) {
                SeccompRules.check(linux.seccomp(), out);
            }
            LinuxRules.check(linux, out);
        }
    }

    private static void throwIfAny(List<Violation> violations) {
        if (!violations.isEmpty()) {
            throw new SpecException(violations);
        }
    }
}
