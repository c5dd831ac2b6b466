package io.jruntime.criu.migrate;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * {@code jruntime migrate send|receive} (jruntime extension, docs/MIGRATION.md).
 *
 * @param send           true: {@code send}, false: {@code receive}
 * @param id             send: the container to move; receive: the id it gets here
 * @param address        send: --to HOST:PORT; receive: --listen HOST:PORT (port 0: any free port, printed)
 * @param tokenFile      the shared secret both sides hold (mode 0600, owned by the caller)
 * @param bundle         receive: bundle whose rootfs (and config.json, if it has one) the container gets
 * @param mounts         receive: --mount DEST=SOURCE overrides
 * @param workPath       where images are staged (default: java.io.tmpdir)
 * @param dryRun         send: the preflight alone
 * @param keepSource     send: keep the stopped source container and its images after success
 * @param tcpEstablished send: dump and restore established TCP connections
 * @param extUnixSk      send: allow external unix sockets
 * @param shellJob       send: allow shell jobs
 * @param fileLocks      send: file locks
 */
public record MigrateOptions(boolean send, String id, String address, Path tokenFile, Path bundle,
                             List<TargetBundle.MountOverride> mounts, Path workPath, boolean dryRun, boolean keepSource,
                             boolean tcpEstablished, boolean extUnixSk, boolean shellJob, boolean fileLocks) {
    public MigrateOptions {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(tokenFile, "tokenFile");
        mounts = List.copyOf(mounts);
    }

    Path stagingRoot() {
        return workPath != null ? workPath : Path.of(System.getProperty("java.io.tmpdir"));
    }
}
