package io.jruntime.criu;

import java.nio.file.Path;

/**
 * The `criu lazy-pages` daemon of a lazy restore: it receives the restored tasks' userfaultfds and fills their
 * memory on demand, from a remote page server (the lazy dump's, {@code pageServer}) or, when that is null, from the
 * pages in {@code imagesDir}. It listens on "lazy-pages.socket" in its work directory, so the restore must use the
 * same work directory ({@link #effectiveWorkDir()}).
 *
 * @param imagesDir  the checkpoint's images (those of the lazy dump)
 * @param workDir    work directory shared with the restore, or null for the images directory
 * @param pageServer where the lazy dump serves the pages, or null to read them from imagesDir
 * @param logFile    log file name inside the work directory (default "lazy-pages.log")
 * @param logLevel   0..4, default 4
 */
public record LazyPagesRequest(Path imagesDir, Path workDir, PageServerAddress pageServer, String logFile,
                               int logLevel) {
    public static final String DEFAULT_LOG = "lazy-pages.log";

    public LazyPagesRequest {
        if (imagesDir == null) {
            throw new IllegalArgumentException("lazy-pages needs the images directory");
        }
        Args.logFile(logFile, logLevel);
    }

    /** Pages from a lazy dump's page server. */
    public static LazyPagesRequest fromPageServer(Path imagesDir, Path workDir, PageServerAddress pageServer) {
        return new LazyPagesRequest(imagesDir, workDir, pageServer, DEFAULT_LOG, 4);
    }

    /** Pages from the local images (a complete dump restored lazily). */
    public static LazyPagesRequest fromImages(Path imagesDir, Path workDir) {
        return new LazyPagesRequest(imagesDir, workDir, null, DEFAULT_LOG, 4);
    }

    public Path effectiveWorkDir() {
        return workDir != null ? workDir : imagesDir;
    }
}
