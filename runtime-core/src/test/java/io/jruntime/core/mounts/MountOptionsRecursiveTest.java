package io.jruntime.core.mounts;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recursive attributes and idmap become mount_setattr bits, not filesystem data; host proc/sysfs listing. */
class MountOptionsRecursiveTest {
    @Test
    void recursiveAttributesAreParsedNotPassedAsData() {
        MountOptions.Parsed p = MountOptions.parse(List.of("rbind", "rro", "rnosuid", "rnoatime", "idmap"));
        assertEquals("", p.data());
        assertEquals(MountOptions.MOUNT_ATTR_RDONLY | MountOptions.MOUNT_ATTR_NOSUID | MountOptions.MOUNT_ATTR_NOATIME,
                p.attrSet());
        assertEquals(MountOptions.MOUNT_ATTR__ATIME, p.attrClr(), "an access-time value clears the whole field");
        assertEquals("idmap", p.idmap());
    }

    @Test
    void laterOptionsWinAndClearingAnAccessTimeValueMeansTheDefault() {
        MountOptions.Parsed p = MountOptions.parse(List.of("rro", "rrw", "rnoatime", "ratime"));
        assertEquals(0, p.attrSet());
        assertEquals(MountOptions.MOUNT_ATTR_RDONLY | MountOptions.MOUNT_ATTR__ATIME, p.attrClr());
    }

    @Test
    void everyRecursiveOptionIsListed() {
        for (String o : List.of("rro", "rrw", "rnosuid", "rsuid", "rnodev", "rdev", "rnoexec", "rexec", "rnodiratime",
                "rdiratime", "rrelatime", "rnorelatime", "rnoatime", "ratime", "rstrictatime", "rnostrictatime",
                "rnosymfollow", "rsymfollow", "idmap", "ridmap")) {
            assertTrue(MountOptions.names().contains(o), o);
        }
    }

    @Test
    void fullProcAndSysfsOutsideTheRootfsAreListed() {
        String mountinfo = String.join("\n",
                "22 1 0:21 / /proc rw,nosuid - proc proc rw",
                "23 1 0:22 / /sys rw - sysfs sysfs rw",
                "24 22 0:23 / /proc/sys/fs/binfmt_misc rw - binfmt_misc binfmt_misc rw",
                "25 1 0:21 /sys /mnt/partial rw - proc proc rw",
                "26 1 0:24 / /run/c/rootfs/proc rw - proc proc rw",
                "27 1 0:25 / /mnt/with\\040space rw shared:3 - sysfs sysfs rw");
        assertEquals(List.of("/proc", "/sys", "/mnt/with space"),
                HostMounts.fullProcAndSysfsOutside(Path.of("/run/c/rootfs"), mountinfo));
    }
}
