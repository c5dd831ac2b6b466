package io.jruntime.core.mounts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Facts about the host's mount table that the launch plan needs, read by jruntime on the host side (the
 * helper trusts nothing it would read once it works inside the container's namespaces).
 */
public final class HostMounts {
    private HostMounts() {
    }

    /**
     * Mount points of every full procfs and sysfs (the filesystem's root is what is mounted) outside the rootfs,
     * in mountinfo order: with --no-pivot they stay reachable in the container's mount namespace and would let
     * it mount a fresh procfs (the kernel's mount_too_revealing check passes while a full one is visible).
     */
    public static List<String> fullProcAndSysfsOutside(Path rootfs) {
        try {
            return fullProcAndSysfsOutside(rootfs, Files.readString(Path.of("/proc/self/mountinfo")));
        } catch (IOException e) {
            throw new UncheckedIOException("read /proc/self/mountinfo", e);
        }
    }

    static List<String> fullProcAndSysfsOutside(Path rootfs, String mountinfo) {
        String root = rootfs.toString();
        List<String> out = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (f.length < 5 || dash < 0 || dash + 1 >= f.length) {
                continue;
            }
            String fsRoot = unescape(f[3]);
            String mountPoint = unescape(f[4]);
            String type = f[dash + 1];
            boolean inside = mountPoint.equals(root) || mountPoint.startsWith(root.endsWith("/") ? root : root + "/");
            if (fsRoot.equals("/") && (type.equals("proc") || type.equals("sysfs")) && !inside) {
                out.add(mountPoint);
            }
        }
        return out;
    }

    /** mountinfo escapes space, tab, newline and backslash as \\ooo octal. */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()
                    && s.substring(i + 1, i + 4).chars().allMatch(d -> d >= '0' && d <= '7')) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
