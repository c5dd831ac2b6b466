package io.jruntime.cli;

import io.jruntime.cli.log.Logging;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Entry point of bin/jruntime: runs one invocation and exits with its status. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // UTF-8 whatever the locale: engines call the runtime with an empty environment (POSIX locale), and the
        // JSON we print (paths, annotations) must still be the bytes runc would write.
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int status = Cli.system(out, err).run(args);
        out.flush();
        err.flush();
        Logging.close();
        // halt, not exit: System.exit asks the JDK's System.Logger whether to log the exit ("java.lang.Runtime"),
        // which starts java.util.logging and scans the class path for logger providers: ~15-20 ms on every call.
        // Consequence: shutdown hooks do not run on a normal return; Operations code cleans up before returning.
        Runtime.getRuntime().halt(status);
    }
}
