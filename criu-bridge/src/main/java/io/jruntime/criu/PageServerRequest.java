package io.jruntime.criu;

import java.nio.file.Path;

/**
 * A page server that receives the pages of a dump on this host (`criu page-server`), started as a daemon through
 * RPC (PAGE_SERVER request). It writes into imagesDir and exits when the dump side disconnects.
 *
 * @param imagesDir   where to write the received pages
 * @param imagesDirFd an open O_DIRECTORY fd of the caller to use instead of opening imagesDir, or -1
 * @param workDir     work directory for the log, or null for the images directory
 * @param listen      address and port to listen on; port 0 lets CRIU pick one (reported in the result)
 * @param logFile     log file name inside the work directory (default "page-server.log")
 * @param logLevel    0..4, default 4
 */
public record PageServerRequest(Path imagesDir, int imagesDirFd, Path workDir, PageServerAddress listen,
                                String logFile, int logLevel) {
    public static final String DEFAULT_LOG = "page-server.log";

    public PageServerRequest {
        Args.images(imagesDir, imagesDirFd, "page server");
        Args.logFile(logFile, logLevel);
        if (listen == null) {
            throw new IllegalArgumentException("page server needs an address/port to listen on");
        }
    }

    public static PageServerRequest of(Path imagesDir, PageServerAddress listen) {
        return new PageServerRequest(imagesDir, -1, null, listen, DEFAULT_LOG, 4);
    }

    public Path effectiveWorkDir() {
        return workDir != null ? workDir : imagesDir;
    }

    /**
     * A started page server daemon.
     *
     * @param pid  the daemon's pid (reparented away from us: CRIU daemonizes it)
     * @param port the port it listens on
     */
    public record Started(int pid, int port) {
    }
}
