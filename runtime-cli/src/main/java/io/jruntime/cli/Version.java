package io.jruntime.cli;

import io.jruntime.spec.Spec;

/** Version strings printed by {@code --version} and reported by {@code features}. */
public final class Version {
    public static final String VERSION = "0.1.0";

    private Version() {
    }

    /** runc's layout: "runc version X", then "commit:", "spec:", "go:" lines; jruntime names its Java runtime instead of Go. */
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
        return sb.toString();
    }
}
