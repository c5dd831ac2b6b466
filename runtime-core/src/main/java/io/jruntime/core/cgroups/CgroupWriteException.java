package io.jruntime.core.cgroups;

import io.jruntime.core.JRuntimeException;

import java.nio.file.Path;

/**
 * A cgroup control file could not be written. The message names the resource field, the value and the file, e.g.
 * {@code linux.resources.memory.limit: cannot write 1048576 to /sys/fs/cgroup/memory/x/memory.limit_in_bytes: Device or resource busy}.
 */
public final class CgroupWriteException extends JRuntimeException {
    private final String field;
    private final String value;
    private final Path file;
    private final String reason;
    private final transient CgroupFiles.Kind kind;

    CgroupWriteException(String field, String value, Path file, String reason, CgroupFiles.Kind kind, Throwable cause) {
        this(field, value, file, reason, kind, "", cause);
    }

    CgroupWriteException(String field, String value, Path file, String reason, CgroupFiles.Kind kind, String hint,
                         Throwable cause) {
        super(field + ": cannot write " + value + " to " + file + ": " + reason + hint, cause);
        this.field = field;
        this.value = value;
        this.file = file;
        this.reason = reason;
        this.kind = kind;
    }

    /** The resource field, e.g. "linux.resources.memory.limit". */
    public String field() {
        return field;
    }

    public String value() {
        return value;
    }

    public Path file() {
        return file;
    }

    /** The strerror text, e.g. "Device or resource busy". */
    public String reason() {
        return reason;
    }

    CgroupFiles.Kind kind() {
        return kind;
    }

    /** The same failure with a hint appended to the message. */
    CgroupWriteException withHint(String hint) {
        return new CgroupWriteException(field, value, file, reason, kind, hint, getCause());
    }
}
