package io.jruntime.core.mounts;

import io.jruntime.core.InvalidArgumentException;
import io.jruntime.spec.Linux;
import io.jruntime.spec.Spec;

/**
 * A container without a mount namespace of its own ("namespaces": [] or no "mount" entry) shares the
 * runtime's. runc then mounts into the host's mount namespace (the mounts outlive the container and are left
 * on the host). jruntime only chroots into the rootfs and refuses every part of the config that would need a
 * mount in the shared namespace, each with a message naming the field.
 */
public final class NoMountNamespace {
    private static final String WHY = " needs a mount namespace (linux.namespaces has no \"mount\"): jruntime does not "
            + "mount in the runtime's own mount namespace, where the mounts would outlive the container";

    private NoMountNamespace() {
    }

    public static void check(Spec spec) {
        if (spec.mounts() != null && !spec.mounts().isEmpty()) {
            throw new InvalidArgumentException("mounts[0]: mounting " + spec.mounts().get(0).destination() + WHY);
        }
        Linux linux = spec.linux();
        if (linux != null) {
            if ((linux.maskedPaths() != null && !linux.maskedPaths().isEmpty())
                    || (linux.readonlyPaths() != null && !linux.readonlyPaths().isEmpty())) {
                // runc's own message for the same refusal.
                throw new InvalidArgumentException("linux.maskedPaths/readonlyPaths: unable to restrict sys entries "
                        + "without a private MNT namespace");
            }
            if (linux.rootfsPropagation() != null && !linux.rootfsPropagation().isEmpty()) {
                throw new InvalidArgumentException("linux.rootfsPropagation" + WHY);
            }
            if (linux.sysctl() != null && !linux.sysctl().isEmpty()) {
                throw new InvalidArgumentException("linux.sysctl: written through the container's /proc, which" + WHY);
            }
        }
        if (spec.root() != null && Boolean.TRUE.equals(spec.root().readonly())) {
            throw new InvalidArgumentException("root.readonly: a read-only remount of the rootfs" + WHY);
        }
        if (spec.process() != null && Boolean.TRUE.equals(spec.process().terminal())) {
            throw new InvalidArgumentException("process.terminal: the terminal is mounted on /dev/console, which" + WHY);
        }
    }
}
