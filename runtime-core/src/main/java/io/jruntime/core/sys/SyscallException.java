package io.jruntime.core.sys;

import io.jruntime.core.JRuntimeException;

/** A libc call failed; carries errno and the call's name so messages read like "open /x: No such file or directory". */
public final class SyscallException extends JRuntimeException {
    private final int errno;

    public SyscallException(String what, int errno) {
        super(what + ": " + Errno.describe(errno));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
