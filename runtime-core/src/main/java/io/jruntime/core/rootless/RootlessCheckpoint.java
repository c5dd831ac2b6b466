package io.jruntime.core.rootless;

import io.jruntime.core.JRuntimeException;
import io.jruntime.core.sys.Fds;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Can a rootless (euid != 0) jruntime checkpoint or restore a container with CRIU, and if not, what exactly is
 * missing. CRIU 4.x has an unprivileged mode ({@code --unprivileged}) built on CAP_CHECKPOINT_RESTORE (Linux
 * >= 5.9), granted as a file capability of the criu binary. What a rootless jruntime container needs on top of
 * that was measured with CRIU 4.2.1 on Linux 6.18 (docs/ROOTLESS.md has the commands and CRIU's errors):
 * <ul>
 * <li>dump: CAP_CHECKPOINT_RESTORE; CAP_SETGID (CRIU drops supplementary groups with setgroups(2) in its own
 * namespace before it checks the container's user namespace: "Unable to drop supplementary groups"); with a
 * mount namespace also CAP_SYS_ADMIN and CAP_SYS_CHROOT (setns(2) into the container's mount namespace, to
 * dump its tmpfs mounts, needs both in the caller's user namespace: "Can't setns 13/mnt");</li>
 * <li>restore: the same, plus CAP_SETUID when the id maps cover more than the caller's own ids (writing such a
 * uid_map: "Unable to write into uid_map"); a container with its own UTS namespace cannot be restored at all
 * this way: CRIU restores the host name through /proc/sys/kernel/hostname from inside the restored user
 * namespace, where that file (owned by the initial namespace's root) is not writable whatever the caps
 * ("Can't open sysctl kernel/hostname: Permission denied"); nor one that bind-mounts the host's /sys
 * ("mnt: Can't bind-mount at .../sys: Invalid argument"). Without those two, restore works end to end.</li>
 * </ul>
 * CAP_SYS_ADMIN on a binary makes it root-equivalent for whoever may run it, so "works" here is a host
 * decision, not a default.
 */
public final class RootlessCheckpoint {
    public static final int CAP_SETGID = 6;
    public static final int CAP_SETUID = 7;
    public static final int CAP_SYS_CHROOT = 18;
    public static final int CAP_SYS_ADMIN = 21;
    public static final int CAP_CHECKPOINT_RESTORE = 40;

    private static final Map<Integer, String> NAMES = new LinkedHashMap<>();

    static {
        NAMES.put(CAP_CHECKPOINT_RESTORE, "cap_checkpoint_restore");
        NAMES.put(CAP_SETGID, "cap_setgid");
        NAMES.put(CAP_SETUID, "cap_setuid");
        NAMES.put(CAP_SYS_ADMIN, "cap_sys_admin");
        NAMES.put(CAP_SYS_CHROOT, "cap_sys_chroot");
    }

    public enum Operation { CHECKPOINT, RESTORE }

    /**
     * What matters about the container.
     *
     * @param ownMountNamespace  the container has its own mount namespace (always, for jruntime)
     * @param ownUtsNamespace    it has its own UTS namespace
     * @param mapsBeyondOwnIds   its uid/gid maps cover more than the caller's own uid/gid (newuidmap was used)
     * @param bindsHostSysfs     it bind-mounts the host's /sys (what `spec --rootless` writes)
     */
    public record Container(boolean ownMountNamespace, boolean ownUtsNamespace, boolean mapsBeyondOwnIds,
                            boolean bindsHostSysfs) {
    }

    /**
     * What matters about the host.
     *
     * @param euid           jruntime's effective uid
     * @param kernelRelease  uname -r, e.g. "6.18.44"
     * @param criu           the criu binary
     * @param criuFileCaps   the binary's security.capability xattr (null: none)
     * @param ambientCaps    the caller's ambient capabilities (CapAmb), which criu inherits too
     */
    public record Host(int euid, String kernelRelease, Path criu, byte[] criuFileCaps, long ambientCaps) {
    }

    /** ok, or the reason (naming the missing capability or setting). */
    public record Result(boolean ok, String message, List<String> missingCaps) {
    }

    private RootlessCheckpoint() {
    }

    /** The capabilities (bit numbers) criu needs for this operation on this container. */
    public static List<Integer> requiredCaps(Operation op, Container c) {
        List<Integer> caps = new ArrayList<>(List.of(CAP_CHECKPOINT_RESTORE, CAP_SETGID));
        if (c.ownMountNamespace()) {
            caps.add(CAP_SYS_ADMIN);
            caps.add(CAP_SYS_CHROOT);
        }
        if (op == Operation.RESTORE && c.mapsBeyondOwnIds()) {
            caps.add(CAP_SETUID);
        }
        return caps;
    }

    public static Result preflight(Operation op, Host h, Container c) {
        String what = op == Operation.CHECKPOINT ? "checkpoint" : "restore";
        if (h.euid() == 0) {
            return new Result(true, what + ": jruntime runs as root (in its user namespace): CRIU runs privileged", List.of());
        }
        int[] kv = kernelVersion(h.kernelRelease());
        if (kv[0] < 5 || (kv[0] == 5 && kv[1] < 9)) {
            return new Result(false, "rootless " + what + " needs CAP_CHECKPOINT_RESTORE, which exists from Linux 5.9; "
                    + "this kernel is " + h.kernelRelease(), List.of("cap_checkpoint_restore"));
        }
        if (op == Operation.RESTORE && c.ownUtsNamespace()) {
            return new Result(false, "rootless restore of a container with its own UTS namespace is not possible with "
                    + "CRIU 4.x: it restores the host name by writing /proc/sys/kernel/hostname from inside the restored "
                    + "user namespace, where that file is not writable (\"Can't open sysctl kernel/hostname: "
                    + "Permission denied\"); drop the \"uts\" namespace from linux.namespaces or restore as root",
                    List.of());
        }
        if (op == Operation.RESTORE && c.bindsHostSysfs()) {
            return new Result(false, "rootless restore of a container that bind-mounts the host's /sys is not possible "
                    + "with CRIU 4.x (\"mnt: Can't bind-mount at .../sys: Invalid argument\"); drop the /sys mount "
                    + "(and /sys masked/read-only paths) or restore as root", List.of());
        }
        long have = h.ambientCaps();
        boolean effective = false;
        if (h.criuFileCaps() != null) {
            long[] fc = parseFileCaps(h.criuFileCaps());
            have |= fc[0];
            effective = fc[1] != 0;
        }
        List<String> missing = new ArrayList<>();
        for (int cap : requiredCaps(op, c)) {
            boolean viaFile = h.criuFileCaps() != null && effective && (have & (1L << cap)) != 0;
            boolean viaAmbient = (h.ambientCaps() & (1L << cap)) != 0;
            if (!viaFile && !viaAmbient) {
                missing.add(NAMES.get(cap));
            }
        }
        if (missing.isEmpty()) {
            return new Result(true, "rootless " + what + ": " + h.criu() + " has the capabilities it needs ("
                    + String.join(",", names(requiredCaps(op, c))) + ")", List.of());
        }
        String all = String.join(",", names(requiredCaps(op, c)));
        String why = h.criuFileCaps() == null ? h.criu() + " has no file capabilities"
                : !effective ? h.criu() + " has file capabilities without the effective flag"
                : h.criu() + " lacks " + String.join(", ", missing);
        return new Result(false, "rootless " + what + " (criu --unprivileged, jruntime runs as uid "
                + Integer.toUnsignedString(h.euid()) + "): " + why + " (missing: " + String.join(", ", missing)
                + "); as root run: setcap " + all + "+ep " + h.criu()
                + (missing.contains("cap_sys_admin") ? " (cap_sys_admin makes that binary root-equivalent for "
                        + "everyone who may execute it)" : ""), missing);
    }

    /** Throws a {@link JRuntimeException} with the reason when the preflight fails. */
    public static void check(Operation op, Host h, Container c) {
        Result r = preflight(op, h, c);
        if (!r.ok()) {
            throw new JRuntimeException(r.message());
        }
    }

    /** The host as this process sees it, for the given criu binary. */
    public static Host detect(int euid, Path criu) {
        byte[] caps = null;
        try {
            caps = Fds.getxattr(criu.toString(), "security.capability");
        } catch (RuntimeException e) {
            // unreadable: treated as none
        }
        long amb = 0;
        String release = "0.0";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapAmb:")) {
                    amb = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                }
            }
            release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException | RuntimeException e) {
            // keep defaults
        }
        return new Host(euid, release, criu, caps, amb);
    }

    /**
     * Decodes a security.capability xattr (struct vfs_cap_data / vfs_ns_cap_data, little endian): returns
     * {permitted mask, 1 if the effective flag is set else 0}.
     */
    public static long[] parseFileCaps(byte[] x) {
        if (x == null || x.length < 12) {
            return new long[] {0, 0};
        }
        int magic = le32(x, 0);
        int rev = magic & 0xFF000000;
        boolean eff = (magic & 0x1) != 0;
        long perm = Integer.toUnsignedLong(le32(x, 4));
        if ((rev == 0x02000000 || rev == 0x03000000) && x.length >= 20) {
            perm |= Integer.toUnsignedLong(le32(x, 12)) << 32;
        }
        return new long[] {perm, eff ? 1 : 0};
    }

    static int[] kernelVersion(String release) {
        String[] f = release.split("[.\\-+]");
        try {
            return new int[] {Integer.parseInt(f[0]), f.length > 1 ? Integer.parseInt(f[1]) : 0};
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return new int[] {0, 0};
        }
    }

    private static int le32(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    private static List<String> names(List<Integer> caps) {
        return caps.stream().map(NAMES::get).toList();
    }
}
