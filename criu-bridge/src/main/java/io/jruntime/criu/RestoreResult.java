package io.jruntime.criu;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A finished restore: the tree runs.
 *
 * @param pid     the restored root task's pid (the same pid it had when dumped, unless restored in a new pid namespace)
 * @param logFile CRIU's log of the restore (null when only fds were given)
 * @param elapsed wall time of the CRIU call, including notify callbacks
 */
public record RestoreResult(int pid, Path logFile, Duration elapsed) {
}
