package io.jruntime.core.ops;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * {@code checkpoint [flags] <id>}.
 *
 * @param imagePath         absolute directory for the CRIU images (default: ./checkpoint, as runc)
 * @param workPath          absolute directory for dump.log and stats-dump; null: CRIU uses the image path
 * @param parentPath        {@code --parent-path} as given: previous (pre-dump) images, relative to imagePath
 * @param leaveRunning      keep the container running after the dump
 * @param tcpEstablished    dump established TCP connections
 * @param extUnixSk         allow external unix sockets
 * @param shellJob          allow shell jobs (a controlling terminal outside the container)
 * @param lazyPages         leave memory pages to be served lazily (userfaultfd)
 * @param statusFd          fd CRIU writes \0 to once lazy pages are ready; -1 when not given
 * @param pageServer        "ADDRESS:PORT" of a page server; null when not given
 * @param fileLocks         dump file locks
 * @param preDump           only pre-dump memory and leave the container running
 * @param manageCgroupsMode null for CRIU's default (soft)
 * @param emptyNs           namespace types to create empty on restore (repeatable), e.g. "network"
 * @param autoDedup         deduplicate memory images against the parent
 */
public record CheckpointOptions(
        String id,
        Path imagePath,
        Path workPath,
        String parentPath,
        boolean leaveRunning,
        boolean tcpEstablished,
        boolean extUnixSk,
        boolean shellJob,
        boolean lazyPages,
        int statusFd,
        String pageServer,
        boolean fileLocks,
        boolean preDump,
        ManageCgroupsMode manageCgroupsMode,
        List<String> emptyNs,
        boolean autoDedup) {

    public CheckpointOptions {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(imagePath, "imagePath");
        emptyNs = List.copyOf(emptyNs);
    }
}
