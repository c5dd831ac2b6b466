package io.jruntime.criu.container;

import io.jruntime.core.init.PlanRecord;
import io.jruntime.spec.Mount;
import io.jruntime.spec.Spec;
import io.jruntime.spec.SpecTemplates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What checkpoint declares as external and what restore prepares, computed without CRIU or a container. */
class ContainerMountsTest {
    @TempDir
    Path tmp;

    private Spec specWith(Path secrets, Path volume) {
        Spec base = SpecTemplates.runcDefault();
        List<Mount> mounts = new ArrayList<>(base.mounts());
        mounts.add(new Mount("/run/secrets", "bind", secrets.toString(), List.of("rbind", "rw"), null, null, null));
        mounts.add(new Mount("/run/secrets/kubernetes.io/serviceaccount", "bind", volume.toString(), List.of("rbind", "ro"),
                null, null, null));
        mounts.add(new Mount("/run/secrets/cache", "tmpfs", "tmpfs", List.of(), null, null, null));
        mounts.add(new Mount("/run/secrets/cache/inner", "bind", volume.toString(), List.of("rbind"), null, null, null));
        return base.withMounts(mounts);
    }

    private static String destination(PlanRecord r) {
        return r.textPayload().split("\0", -1)[1];
    }

    @Test
    void externalsAreKeyedByDestinationAndMaskedFilesMapToDevNull() throws Exception {
        Path secrets = Files.createDirectories(tmp.resolve("secrets"));
        Path volume = Files.createDirectories(tmp.resolve("sa"));
        ContainerMounts m = ContainerMounts.of(specWith(secrets, volume), "c", tmp, tmp.resolve("rootfs"), null, false);
        Map<String, String> ext = m.externals(List.of("/proc/timer_list"));
        assertEquals(Map.of("/run/secrets", secrets.toString(), "/run/secrets/kubernetes.io/serviceaccount", volume.toString(),
                "/run/secrets/cache/inner", volume.toString(), "/proc/timer_list", "/dev/null"), ext);
    }

    @Test
    void restorePreparesMountpointsInConfigOrderButNothingInsideSelfContainedFilesystems() throws Exception {
        Path secrets = Files.createDirectories(tmp.resolve("secrets"));
        Path volume = Files.createDirectories(tmp.resolve("sa"));
        ContainerMounts m = ContainerMounts.of(specWith(secrets, volume), "c", tmp, tmp.resolve("rootfs"), null, false);
        List<String> dests = m.restoreMountpoints().stream().map(ContainerMountsTest::destination).toList();
        // /dev/* live inside the /dev tmpfs and /sys/fs/cgroup inside sysfs: CRIU restores or the kernel provides
        // them. The bind at /run/secrets/cache/inner sits inside a tmpfs of the container, whose content CRIU
        // restores. Everything else is re-created in config order, nested bind mountpoints after their parent.
        assertEquals(List.of("/proc", "/dev", "/sys", "/run/secrets", "/run/secrets/kubernetes.io/serviceaccount",
                "/run/secrets/cache"), dests);
    }
}
