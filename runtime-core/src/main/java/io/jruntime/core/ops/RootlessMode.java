package io.jruntime.core.ops;

/** Global {@code --rootless}: AUTO decides from the euid and user namespace; TRUE/FALSE force it. */
public enum RootlessMode {
    AUTO, TRUE, FALSE
}
