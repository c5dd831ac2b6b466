package io.jruntime.cli.commands;

import io.jruntime.cli.UsageException;
import io.jruntime.core.ExecFailedException;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.NotImplementedException;


/** How create/run and exec word their failures, as runc does ("runc create failed: ...", "exec failed: ..." / 255). */
final class Failures {
    /** The operation to run (an inner class per command, not a lambda: no invokedynamic bootstrap per start). */
    interface Body {
        int run();
    }

    private Failures() {
    }

    /** Prefixes runtime errors (not usage errors, not "not implemented") with the command's failure prefix. */
    static int prefixed(String prefix, Body body) {
        try {
            return body.run();
        } catch (UsageException | NotImplementedException e) {
            throw e;
        } catch (JRuntimeException e) {
            throw new JRuntimeException(prefix + e.getMessage(), e);
        }
    }

    /** Every runtime error of exec becomes ExecFailedException (exit 255); usage errors stay usage errors (exit 1). */
    static int exec(Body body) {
        try {
            return body.run();
        } catch (UsageException | ExecFailedException e) {
            throw e;
        } catch (JRuntimeException e) {
            throw new ExecFailedException(e);
        }
    }
}
