package io.jruntime.core.mounts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a config.json mount's option list into mount(2) flags, propagation flags and the filesystem data
 * string, the way mount(8) reads the same words. Values are from linux/mount.h.
 */
public final class MountOptions {
    public static final long MS_RDONLY = 1;
    public static final long MS_NOSUID = 2;
    public static final long MS_NODEV = 4;
    public static final long MS_NOEXEC = 8;
    public static final long MS_SYNCHRONOUS = 16;
    public static final long MS_REMOUNT = 32;
    public static final long MS_MANDLOCK = 64;
    public static final long MS_DIRSYNC = 128;
    public static final long MS_NOATIME = 1024;
    public static final long MS_NODIRATIME = 2048;
    public static final long MS_BIND = 4096;
    public static final long MS_REC = 16384;
    public static final long MS_SILENT = 32768;
    public static final long MS_UNBINDABLE = 1 << 17;
    public static final long MS_PRIVATE = 1 << 18;
    public static final long MS_SLAVE = 1 << 19;
    public static final long MS_SHARED = 1 << 20;
    public static final long MS_RELATIME = 1 << 21;
    public static final long MS_STRICTATIME = 1 << 24;
    public static final long MS_LAZYTIME = 1 << 25;

    /** option -> {flag, set(1) or clear(0)} */
    private static final Map<String, long[]> FLAGS = Map.ofEntries(
            Map.entry("async", new long[] {MS_SYNCHRONOUS, 0}),
            Map.entry("atime", new long[] {MS_NOATIME, 0}),
            Map.entry("bind", new long[] {MS_BIND, 1}),
            Map.entry("defaults", new long[] {0, 1}),
            Map.entry("dev", new long[] {MS_NODEV, 0}),
            Map.entry("diratime", new long[] {MS_NODIRATIME, 0}),
            Map.entry("dirsync", new long[] {MS_DIRSYNC, 1}),
            Map.entry("exec", new long[] {MS_NOEXEC, 0}),
            Map.entry("lazytime", new long[] {MS_LAZYTIME, 1}),
            Map.entry("nolazytime", new long[] {MS_LAZYTIME, 0}),
            Map.entry("mand", new long[] {MS_MANDLOCK, 1}),
            Map.entry("noatime", new long[] {MS_NOATIME, 1}),
            Map.entry("nodev", new long[] {MS_NODEV, 1}),
            Map.entry("nodiratime", new long[] {MS_NODIRATIME, 1}),
            Map.entry("noexec", new long[] {MS_NOEXEC, 1}),
            Map.entry("nomand", new long[] {MS_MANDLOCK, 0}),
            Map.entry("norelatime", new long[] {MS_RELATIME, 0}),
            Map.entry("nostrictatime", new long[] {MS_STRICTATIME, 0}),
            Map.entry("nosuid", new long[] {MS_NOSUID, 1}),
            Map.entry("rbind", new long[] {MS_BIND | MS_REC, 1}),
            Map.entry("relatime", new long[] {MS_RELATIME, 1}),
            Map.entry("remount", new long[] {MS_REMOUNT, 1}),
            Map.entry("ro", new long[] {MS_RDONLY, 1}),
            Map.entry("rw", new long[] {MS_RDONLY, 0}),
            Map.entry("silent", new long[] {MS_SILENT, 1}),
            Map.entry("loud", new long[] {MS_SILENT, 0}),
            Map.entry("strictatime", new long[] {MS_STRICTATIME, 1}),
            Map.entry("suid", new long[] {MS_NOSUID, 0}),
            Map.entry("sync", new long[] {MS_SYNCHRONOUS, 1}));

    private static final Map<String, Long> PROPAGATION = Map.of(
            "private", MS_PRIVATE, "rprivate", MS_PRIVATE | MS_REC,
            "shared", MS_SHARED, "rshared", MS_SHARED | MS_REC,
            "slave", MS_SLAVE, "rslave", MS_SLAVE | MS_REC,
            "unbindable", MS_UNBINDABLE, "runbindable", MS_UNBINDABLE | MS_REC);

    // mount_setattr(2) attribute bits (linux/mount.h MOUNT_ATTR_*).
    public static final long MOUNT_ATTR_RDONLY = 0x1;
    public static final long MOUNT_ATTR_NOSUID = 0x2;
    public static final long MOUNT_ATTR_NODEV = 0x4;
    public static final long MOUNT_ATTR_NOEXEC = 0x8;
    public static final long MOUNT_ATTR__ATIME = 0x70;
    public static final long MOUNT_ATTR_RELATIME = 0x0;
    public static final long MOUNT_ATTR_NOATIME = 0x10;
    public static final long MOUNT_ATTR_STRICTATIME = 0x20;
    public static final long MOUNT_ATTR_NODIRATIME = 0x80;
    public static final long MOUNT_ATTR_NOSYMFOLLOW = 0x200000;

    /**
     * Recursive attributes (runc's names): applied with mount_setattr(AT_RECURSIVE) to the mount and every
     * submount, which a bind remount never reaches. option -> {attribute, set(1) or clear(0)}. The access-time
     * ones select one value of the MOUNT_ATTR__ATIME field, so setting one clears the field first.
     */
    private static final Map<String, long[]> RECURSIVE = Map.ofEntries(
            Map.entry("rro", new long[] {MOUNT_ATTR_RDONLY, 1}),
            Map.entry("rrw", new long[] {MOUNT_ATTR_RDONLY, 0}),
            Map.entry("rnosuid", new long[] {MOUNT_ATTR_NOSUID, 1}),
            Map.entry("rsuid", new long[] {MOUNT_ATTR_NOSUID, 0}),
            Map.entry("rnodev", new long[] {MOUNT_ATTR_NODEV, 1}),
            Map.entry("rdev", new long[] {MOUNT_ATTR_NODEV, 0}),
            Map.entry("rnoexec", new long[] {MOUNT_ATTR_NOEXEC, 1}),
            Map.entry("rexec", new long[] {MOUNT_ATTR_NOEXEC, 0}),
            Map.entry("rnodiratime", new long[] {MOUNT_ATTR_NODIRATIME, 1}),
            Map.entry("rdiratime", new long[] {MOUNT_ATTR_NODIRATIME, 0}),
            Map.entry("rrelatime", new long[] {MOUNT_ATTR_RELATIME, 1}),
            Map.entry("rnorelatime", new long[] {MOUNT_ATTR_RELATIME, 0}),
            Map.entry("rnoatime", new long[] {MOUNT_ATTR_NOATIME, 1}),
            Map.entry("ratime", new long[] {MOUNT_ATTR_NOATIME, 0}),
            Map.entry("rstrictatime", new long[] {MOUNT_ATTR_STRICTATIME, 1}),
            Map.entry("rnostrictatime", new long[] {MOUNT_ATTR_STRICTATIME, 0}),
            Map.entry("rnosymfollow", new long[] {MOUNT_ATTR_NOSYMFOLLOW, 1}),
            Map.entry("rsymfollow", new long[] {MOUNT_ATTR_NOSYMFOLLOW, 0}));

    /** Idmapped mounts (runtime-spec 1.2): "idmap" maps the mount itself, "ridmap" every submount too. */
    private static final List<String> IDMAP = List.of("idmap", "ridmap");

    /** Options that only steer jruntime or other runtimes and never reach the kernel. */
    private static final List<String> IGNORED = List.of("copy-symlink", "notmpcopyup");

    /** runc's extension: a tmpfs starts with a copy of what the rootfs held at its destination. */
    public static final String TMPCOPYUP = "tmpcopyup";

    /** Whether the options ask for tmpcopyup (the last of tmpcopyup / notmpcopyup wins). */
    public static boolean copyUp(List<String> options) {
        boolean on = false;
        for (String o : options == null ? List.<String>of() : options) {
            if (o.equals(TMPCOPYUP)) {
                on = true;
            } else if (o.equals("notmpcopyup")) {
                on = false;
            }
        }
        return on;
    }

    /** The runtime-only options that change nothing (yet): accepted for compatibility, never claimed as features. */
    public static List<String> ignored() {
        return IGNORED;
    }

    /** Every option name config.json mounts may use (flags, propagation, and the runtime-only ones), sorted. */
    public static List<String> names() {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(FLAGS.keySet());
        all.addAll(PROPAGATION.keySet());
        all.addAll(RECURSIVE.keySet());
        all.addAll(IDMAP);
        all.addAll(IGNORED);
        all.add(TMPCOPYUP);
        return List.copyOf(all);
    }

    /**
     * The parsed form. {@code data} is the comma-joined filesystem-specific rest; {@code attrSet} and
     * {@code attrClr} the recursive attributes for mount_setattr; {@code idmap} "", "idmap" or "ridmap".
     */
    public record Parsed(long flags, long propagation, String data, long attrSet, long attrClr, String idmap) {
        public Parsed(long flags, long propagation, String data) {
            this(flags, propagation, data, 0, 0, "");
        }

        public boolean bind() {
            return (flags & MS_BIND) != 0;
        }

        public boolean recursive() {
            return attrSet != 0 || attrClr != 0;
        }
    }

    private MountOptions() {
    }

    public static Parsed parse(List<String> options) {
        long flags = 0;
        long prop = 0;
        long set = 0;
        long clr = 0;
        String idmap = "";
        List<String> data = new ArrayList<>();
        if (options != null) {
            for (String o : options) {
                long[] f = FLAGS.get(o);
                Long p = PROPAGATION.get(o);
                long[] r = RECURSIVE.get(o);
                if (f != null) {
                    flags = f[1] == 1 ? flags | f[0] : flags & ~f[0];
                } else if (p != null) {
                    prop |= p;
                } else if (r != null) {
                    if (r[1] == 1) {
                        set |= r[0];
                        clr &= ~r[0];
                        if ((r[0] & MOUNT_ATTR__ATIME) == r[0]) {
                            // One value of the access-time field: the kernel wants the whole field cleared.
                            set = set & ~MOUNT_ATTR__ATIME | r[0];
                            clr |= MOUNT_ATTR__ATIME;
                        }
                    } else if ((r[0] & MOUNT_ATTR__ATIME) == r[0]) {
                        // The kernel refuses a partly cleared access-time field: back to its default (relatime).
                        set &= ~MOUNT_ATTR__ATIME;
                        clr |= MOUNT_ATTR__ATIME;
                    } else {
                        set &= ~r[0];
                        clr |= r[0];
                    }
                } else if (IDMAP.contains(o)) {
                    idmap = o;
                } else if (!IGNORED.contains(o) && !o.equals(TMPCOPYUP)) {
                    data.add(o);
                }
            }
        }
        return new Parsed(flags, prop, String.join(",", data), set, clr, idmap);
    }

    /** rootfsPropagation value to flags; null when unset (the caller's default applies). */
    public static Long propagation(String name) {
        return name == null || name.isEmpty() ? null : PROPAGATION.get(name);
    }
}
