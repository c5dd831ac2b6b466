package io.jruntime.bundles.security;

import io.jruntime.bundles.Jruntime;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * runc 1.1.5 beside jruntime in the escape and conformance tests: the same attack or bundle run under both, so a
 * test can say when runc is vulnerable too (and then report it instead of failing on runc).
 */
public final class ProcessEscapeRunc {
    public static final Path BINARY = Path.of("/usr/sbin/runc");

    private ProcessEscapeRunc() {
    }

    /** runc with its own state root; the caller force-deletes what it created there. */
    public static Jruntime at(Path stateRoot) {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError("runc is missing: run `make deps`");
        }
        return new Jruntime(BINARY, stateRoot);
    }

    /** Force-deletes every container under runc's (or jruntime's) root, ignoring failures. */
    public static void deleteAll(Jruntime rt) {
        if (!Files.isDirectory(rt.root())) {
            return;
        }
        for (String id : rt.run("list", "-q").stdout().split("\n")) {
            if (!id.isBlank()) {
                rt.run("delete", "--force", id.trim());
            }
        }
    }

    /** Polls until the file exists (written by the container when its setup is done), failing after 60 s. */
    public static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Files.exists(file)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the container never wrote " + file);
            }
            Thread.sleep(20);
        }
    }
}
