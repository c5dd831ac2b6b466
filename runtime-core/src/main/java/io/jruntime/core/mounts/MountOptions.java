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

    /** Options that only steer jruntime or other runtimes and never reach the kernel. */
    private static final List<String> IGNORED = List.of("tmpcopyup", "copy-symlink", "notmpcopyup");

    /** The runtime-only options that change nothing (yet): accepted for compatibility, never claimed as features. */
    public static List<String> ignored() {
        return IGNORED;
    }

    /** Every option name config.json mounts may use (flags, propagation, and the runtime-only ones), sorted. */
    public static List<String> names() {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(FLAGS.keySet());
        all.addAll(PROPAGATION.keySet());
        all.addAll(IGNORED);
        return List.copyOf(all);
    }

    /** The parsed form. {@code data} is the comma-joined filesystem-specific rest. */
    public record Parsed(long flags, long propagation, String data) {
        public boolean bind() {
            return (flags & MS_BIND) != 0;
        }
    }

    private MountOptions() {
    }

    public static Parsed parse(List<String> options) {
        long flags = 0;
        long prop = 0;
        List<String> data = new ArrayList<>();
        if (options != null) {
            for (String o : options) {
                long[] f = FLAGS.get(o);
                Long p = PROPAGATION.get(o);
                if (f != null) {
                    flags = f[1] == 1 ? flags | f[0] : flags & ~f[0];
                } else if (p != null) {
                    prop |= p;
                } else if (!IGNORED.contains(o)) {
                    data.add(o);
                }
            }
        }
        return new Parsed(flags, prop, String.join(",", data));
    }

    /** rootfsPropagation value to flags; null when unset (the caller's default applies). */
    public static Long propagation(String name) {
        return name == null || name.isEmpty() ? null : PROPAGATION.get(name);
    }
}
