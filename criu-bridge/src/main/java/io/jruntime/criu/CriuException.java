package io.jruntime.criu;

import io.jruntime.core.JRuntimeException;

import java.nio.file.Path;
import java.util.List;

/**
 * A checkpoint/restore step failed. The message is meant for the user as is: it says which CRIU operation failed,
 * why (CRIU's own first error, the last error lines of its log, and a hint for problems we recognise), and where
 * the full log is. The structured parts are kept for callers that want to react programmatically.
 */
public final class CriuException extends JRuntimeException {
    /** What kind of failure this was; lets the CLI choose an exit code and orchestration decide on cleanup. */
    public enum Kind {
        /** No usable criu binary was found. */
        NOT_FOUND,
        /** criu was found but is older than jruntime supports, or than the requested feature needs. */
        TOO_OLD,
        /** The kernel or CRIU lacks something the request needs (found before anything was dumped). */
        UNSUPPORTED,
        /** The request was rejected before CRIU ran (bad arguments, missing images directory, ...). */
        INVALID_REQUEST,
        /** CRIU ran and reported failure. */
        FAILED,
        /** CRIU did not answer within the configured time and was killed. */
        TIMEOUT,
        /** The calling thread was interrupted while waiting for CRIU; criu was killed. */
        INTERRUPTED,
        /** CRIU broke the protocol (died without answering, sent garbage or an unexpected message). */
        PROTOCOL,
        /** A notify callback of the caller failed, and CRIU was told to abort. */
        CALLBACK
    }

    private final Kind kind;
    private final String operation;
    private final int crErrno;
    private final Path logFile;
    private final List<String> logErrors;

    public CriuException(Kind kind, String operation, String message, int crErrno, Path logFile, List<String> logErrors,
                         Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.operation = operation;
        this.crErrno = crErrno;
        this.logFile = logFile;
        this.logErrors = logErrors == null ? List.of() : List.copyOf(logErrors);
    }

    public CriuException(Kind kind, String operation, String message) {
        this(kind, operation, message, 0, null, List.of(), null);
    }

    public Kind kind() {
        return kind;
    }

    /** The CRIU operation, e.g. "dump", "restore", "pre-dump", "version". */
    public String operation() {
        return operation;
    }

    /** CRIU's cr_errno (an errno value CRIU attached to the failure), 0 when none. */
    public int crErrno() {
        return crErrno;
    }

    /** CRIU's log of this operation, or null when there is none (e.g. CRIU never started). */
    public Path logFile() {
        return logFile;
    }

    /** The error lines taken from the end of the log, oldest first. */
    public List<String> logErrors() {
        return logErrors;
    }
}
