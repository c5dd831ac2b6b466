package io.jruntime.criu;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A finished dump or pre-dump.
 *
 * @param pid       the dumped tree's root
 * @param imagesDir where the images are (null when only an fd was given)
 * @param logFile   CRIU's log of the dump (null when only fds were given)
 * @param elapsed   wall time of the CRIU call, including notify callbacks
 */
public record DumpResult(int pid, Path imagesDir, Path logFile, Duration elapsed) {
}
