package io.jruntime.bundles;

import java.nio.file.Files;
import java.nio.file.Path;

/** A number a test container rewrites (via rename) as it counts; read from the host side. */
final class CounterFile {
    private CounterFile() {
    }

    /** The current value, waiting (bounded) for the file to exist and be non-empty. */
    static int read(Path file) throws Exception {
        for (int i = 0; i < 200; i++) {
            if (Files.exists(file)) {
                String s = Files.readString(file).trim();
                if (!s.isEmpty()) {
                    return Integer.parseInt(s);
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no counter in " + file);
    }

    /** Waits until the value is above {@code value} (the process is alive and counting); returns it. */
    static int awaitAbove(Path file, int value) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        int c = -1;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(file) && (c = read(file)) > value) {
                return c;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("counter in " + file + " stayed at " + c + ", expected above " + value);
    }
}
