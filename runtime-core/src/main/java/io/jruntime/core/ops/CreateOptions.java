package io.jruntime.core.ops;

import java.nio.file.Path;
import java.util.Objects;

/**
 * {@code create [--bundle B] [--console-socket S] [--pid-file F] [--no-pivot] [--no-new-keyring] [--preserve-fds N] <id>}.
 *
 * @param id            container id (not yet validated: use ContainerId.check / StateStore)
 * @param bundle        absolute bundle directory (default: the working directory)
 * @param consoleSocket AF_UNIX socket to send the pty master to, as given; null when not given
 * @param pidFile       absolute path to write the init pid to; null when not given
 * @param noPivot       use MS_MOVE + chroot instead of pivot_root (rootfs on a ramdisk)
 * @param noNewKeyring  keep the caller's session keyring
 * @param preserveFds   extra fds after stdio (and $LISTEN_FDS) passed to the container, 0 by default
 */
public record CreateOptions(
        String id,
        Path bundle,
        Path consoleSocket,
        Path pidFile,
        boolean noPivot,
        boolean noNewKeyring,
        int preserveFds) {

    public CreateOptions {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(bundle, "bundle");
    }
}
