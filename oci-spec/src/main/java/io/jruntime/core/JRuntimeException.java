package io.jruntime.core;

/**
 * Base of every error jruntime reports to a user. The message must say what failed and, where it can,
 * what to do about it; the CLI maps the concrete subclass to an exit code in one place.
 *
 * <p>It lives in oci-spec, the lowest module, so that the config errors oci-spec reports
 * ({@link io.jruntime.spec.SpecException}) are one of the family: every catch of JRuntimeException (the
 * "jruntime create failed: " prefix, exec's "exec failed: " and exit 255) sees them. The package stays
 * {@code io.jruntime.core} for its many users.
 */
public class JRuntimeException extends RuntimeException {
    public JRuntimeException(String message) {
        super(message);
    }

    public JRuntimeException(String message, Throwable cause) {
        super(message, cause);
    }
}
