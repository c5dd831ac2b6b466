package io.jruntime.bundles.conformance;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.List;

/**
 * One corpus entry: a change to the base config.json (runc spec with the probe as process), an optional change to
 * the rootfs, and optionally a lifecycle script (commands after `create` instead of a plain `run`).
 *
 * @param name  stable name ("issue13-05-home", "gen-mount-tmpfs-noexec"); allow-list rows match it by glob
 * @param fast  part of the subset `make test` runs
 * @param edit  edits the config; gets the run directory (for host paths such as bind sources)
 * @param setup prepares the rootfs (gets the rootfs and the run directory)
 * @param steps lifecycle commands (each an argument list with ID for the container id), or empty for `run`
 */
record Case(String name, boolean fast, Edit edit, Setup setup, List<List<String>> steps) {
    interface Edit {
        void apply(ObjectNode config, Path runDir) throws Exception;
    }

    interface Setup {
        void apply(Path rootfs, Path runDir) throws Exception;
    }

    static final Setup NONE = (r, d) -> { };

    static Case of(String name, boolean fast, Edit edit) {
        return new Case(name, fast, edit, NONE, List.of());
    }

    Case withSetup(Setup s) {
        return new Case(name, fast, edit, s, steps);
    }

    Case withSteps(List<List<String>> s) {
        return new Case(name, fast, edit, setup, s);
    }
}
