package io.jruntime.cli;

import io.jruntime.spec.Spec;

/** Version strings printed by {@code --version} and reported by {@code features}. */
public final class Version {
    public static final String VERSION = "0.1.0";

    private Version() {
    }

    /** The loaded libseccomp's version, or null when it cannot be loaded. */
    static String libseccompVersion() {
        try {
            return io.jruntime.core.sys.LibSeccomp.version();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /**
     * runc's layout: "runc version X", then "commit:", "spec:", "go:", "libseccomp:" lines; jruntime names its Java
     * runtime instead of Go, and prints the version of the libseccomp it builds filters with (loaded through FFM,
     * seccomp_version()); without the library the line is left out, as a runc built without seccomp does.
     */
    public static String text() {
        StringBuilder sb = new StringBuilder(128);
        sb.append("jruntime version ").append(VERSION).append('\n');
        sb.append("spec: ").append(Spec.OCI_VERSION).append('\n');
        sb.append("java: ").append(System.getProperty("java.runtime.version", Runtime.version().toString()));
        String vendor = System.getProperty("java.vendor.version");
        if (vendor == null) {
            vendor = System.getProperty("java.vendor");
        }
        if (vendor != null) {
            sb.append(" (").append(vendor).append(')');
        }
        sb.append('\n');
        String seccomp = libseccompVersion();
        if (seccomp != null) {
            sb.append("libseccomp: ").append(seccomp).append('\n');
        }
        return sb.toString();
    }
}
