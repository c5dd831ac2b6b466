package io.jruntime.core.ops;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * {@code restore [flags] <id>}: recreate a container from CRIU images, then (unless detached) wait for it.
 *
 * @param bundle            absolute bundle directory (default: the working directory)
 * @param consoleSocket     AF_UNIX socket for the pty master, as given; null when not given
 * @param imagePath         absolute directory of the CRIU images (default: ./checkpoint)
 * @param workPath          absolute directory for restore.log and stats-restore; null: the image path
 * @param tcpEstablished    restore established TCP connections
 * @param extUnixSk         allow external unix sockets
 * @param shellJob          allow shell jobs
 * @param fileLocks         restore file locks
 * @param manageCgroupsMode null for CRIU's default (soft)
 * @param detach            return once restored instead of waiting
 * @param pidFile           absolute path to write the restored init pid to; null when not given
 * @param noSubreaper       do not become a child subreaper while waiting
 * @param noPivot           no pivot_root (rootfs on a ramdisk)
 * @param noNewKeyring      keep the caller's session keyring. Not a runc 1.1.5 restore flag (runc rejects it);
 *                          jruntime accepts it because Podman passes it when a container has NoNewKeyring
 * @param emptyNs           namespace types created empty (repeatable)
 * @param autoDedup         deduplicate memory images
 * @param lazyPages         serve memory pages lazily (userfaultfd)
 * @param lsmProfile        "TYPE:NAME" LSM profile to restore with; null when not given
 * @param lsmMountContext   LSM mount context to restore with; null when not given
 */
public record RestoreOptions(
        String id,
        Path bundle,
        Path consoleSocket,
        Path imagePath,
        Path workPath,
        boolean tcpEstablished,
        boolean extUnixSk,
        boolean shellJob,
        boolean fileLocks,
        ManageCgroupsMode manageCgroupsMode,
        boolean detach,
        Path pidFile,
        boolean noSubreaper,
        boolean noPivot,
        boolean noNewKeyring,
        List<String> emptyNs,
        boolean autoDedup,
        boolean lazyPages,
        String lsmProfile,
        String lsmMountContext) {

    public RestoreOptions {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(imagePath, "imagePath");
        emptyNs = List.copyOf(emptyNs);
    }
}
