package io.jruntime.core.ops;

/** {@code --format} of list and ps. */
public enum OutputFormat {
    TABLE, JSON
}
