package io.jruntime.core;

/** A runc command or flag jruntime accepts but cannot carry out yet. Never pretend success. */
public final class NotImplementedException extends JRuntimeException {
    public NotImplementedException(String what) {
        super(what + ": not implemented yet in jruntime");
    }
}
