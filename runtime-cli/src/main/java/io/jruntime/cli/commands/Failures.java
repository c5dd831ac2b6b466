package io.jruntime.cli.commands;

import io.jruntime.cli.UsageException;
import io.jruntime.core.ExecFailedException;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.NotImplementedException;

import java.util.function.IntSupplier;

/** How create/run and exec word their failures, as runc does ("runc create failed: ...", "exec failed: ..." / 255). */
final class Failures {
    private Failures() {
    }

    /** Prefixes runtime errors (not usage errors, not "not implemented") with the command's failure prefix. */
    static int prefixed(String prefix, IntSupplier body) {
        try {
            return body.getAsInt();
        } catch (UsageException | NotImplementedException e) {
            throw e;
        } catch (JRuntimeException e) {
            throw new JRuntimeException(prefix + e.getMessage(), e);
        }
    }

    /** Every runtime error of exec becomes ExecFailedException (exit 255); usage errors stay usage errors (exit 1). */
    static int exec(IntSupplier body) {
        try {
            return body.getAsInt();
        } catch (UsageException | ExecFailedException e) {
            throw e;
        } catch (JRuntimeException e) {
            throw new ExecFailedException(e);
        }
    }
}
