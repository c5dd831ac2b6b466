package io.jruntime.core.lifecycle;

import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.init.InitProtocol;
import io.jruntime.core.init.LaunchPlan;
import io.jruntime.core.init.PlanRecord;
import io.jruntime.core.mounts.MountOptions;
import io.jruntime.spec.Linux;
import io.jruntime.spec.Mount;
import io.jruntime.spec.Spec;
import io.jruntime.spec.SpecTemplates;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launch plan is computed entirely in Java; these check the decisions without running anything. */
class PlanBuilderTest {
    private static PlanBuilder.CreateInputs inputs(boolean rootless) {
        return new PlanBuilder.CreateInputs("c1", Path.of("/tmp"), Path.of("/tmp/rootfs"), Path.of("/run/x/exec.fifo"),
                false, false, 0, rootless, null, null);
    }

    private static List<String> fields(PlanRecord r) {
        return List.of(r.textPayload().split("\0", -1));
    }

    private static List<PlanRecord> all(LaunchPlan p, int tag) {
        return p.records().stream().filter(r -> r.tag() == tag).toList();
    }

    @Test
    void runcDefaultSpecUnsharesItsNamespacesAndMountsInOrder() {
        LaunchPlan p = PlanBuilder.forCreate(SpecTemplates.runcDefault(), inputs(false));
        long flags = Long.parseLong(all(p, InitProtocol.UNSHARE).get(0).textPayload());
        assertEquals(Namespaces.CLONE_NEWPID | Namespaces.CLONE_NEWNET | Namespaces.CLONE_NEWIPC | Namespaces.CLONE_NEWUTS
                | Namespaces.CLONE_NEWNS, flags);
        List<String> dests = all(p, InitProtocol.MOUNT).stream().map(r -> fields(r).get(1)).toList();
        assertEquals(List.of("/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup"), dests);
        List<String> sys = fields(all(p, InitProtocol.MOUNT).get(5));
        long sysFlags = Long.parseLong(sys.get(3));
        assertEquals(MountOptions.MS_NOSUID | MountOptions.MS_NOEXEC | MountOptions.MS_NODEV | MountOptions.MS_RDONLY, sysFlags);
        List<String> pts = fields(all(p, InitProtocol.MOUNT).get(2));
        assertEquals("newinstance,ptmxmode=0666,mode=0620,gid=5", pts.get(5));
    }

    @Test
    void freshDevGetsDefaultDevicesAndSymlinks() {
        LaunchPlan p = PlanBuilder.forCreate(SpecTemplates.runcDefault(), inputs(false));
        List<String> devs = all(p, InitProtocol.DEVICE).stream().map(r -> fields(r).get(0)).toList();
        assertEquals(List.of("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty"), devs);
        assertTrue(all(p, InitProtocol.DEVICE).stream().allMatch(r -> fields(r).get(7).equals("0")), "mknod as root");
        assertTrue(all(p, InitProtocol.SYMLINK).stream().anyMatch(r -> fields(r).equals(List.of("pts/ptmx", "/dev/ptmx"))));
    }

    @Test
    void rootlessSpecBindsDevicesAndCarriesIdMaps() {
        // setgroups is denied exactly when jruntime writes gid_map itself: one line mapping its own egid
        int egid = io.jruntime.core.sys.Processes.getegid();
        Spec s = SpecTemplates.rootless(1000, egid);
        LaunchPlan p = PlanBuilder.forCreate(s, inputs(true));
        assertTrue(all(p, InitProtocol.DEVICE).stream().allMatch(r -> fields(r).get(7).equals("1")), "bind in a user namespace");
        assertEquals(List.of("0 1000 1"), p.uidMap());
        assertEquals(List.of("0 " + egid + " 1"), p.gidMap());
        assertTrue(p.denySetgroups());
        assertTrue(all(p, InitProtocol.SETGROUPS_ALLOWED).isEmpty());
    }

    @Test
    void rootlessWithSubordinateGidsKeepsSetgroups() {
        int egid = io.jruntime.core.sys.Processes.getegid();
        Spec base = SpecTemplates.rootless(1000, egid);
        Spec s = base.withLinux(base.linux().withIdMappings(base.linux().uidMappings(),
                List.of(new io.jruntime.spec.IdMapping(0, egid, 1), new io.jruntime.spec.IdMapping(1, 100000, 65536))));
        LaunchPlan p = PlanBuilder.forCreate(s, inputs(true));
        assertEquals(List.of("0 " + egid + " 1", "1 100000 65536"), p.gidMap());
        assertFalse(p.denySetgroups(), "newgidmap leaves setgroups allowed");
        assertEquals(1, all(p, InitProtocol.SETGROUPS_ALLOWED).size());
    }

    @Test
    void joinedNamespacesComeUserFirst() {
        Spec base = SpecTemplates.runcDefault();
        List<Linux.Namespace> ns = new ArrayList<>(base.linux().namespaces());
        ns.removeIf(n -> n.type().equals("network"));
        ns.add(new Linux.Namespace("network", "/proc/1/ns/net", null));
        Spec s = base.withLinux(base.linux().withNamespaces(ns));
        LaunchPlan p = PlanBuilder.forCreate(s, inputs(false));
        assertEquals(List.of("net", "/proc/1/ns/net"), fields(all(p, InitProtocol.JOIN_NS).get(0)));
        long flags = Long.parseLong(all(p, InitProtocol.UNSHARE).get(0).textPayload());
        assertFalse((flags & Namespaces.CLONE_NEWNET) != 0);
    }

    @Test
    void missingBindSourceNamesTheMount() {
        Spec base = SpecTemplates.runcDefault();
        List<Mount> mounts = new ArrayList<>(base.mounts());
        mounts.add(new Mount("/data", "bind", "/definitely/not/here", List.of("rbind"), null, null, null));
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> PlanBuilder.forCreate(base.withMounts(mounts), inputs(false)));
        assertTrue(e.getMessage().startsWith("mounts[7].source:"), e.getMessage());
        assertTrue(e.getMessage().contains("/data"), e.getMessage());
    }

    /** tmpcopyup travels as the mount record's copy-up field on a tmpfs, and is refused on anything else. */
    @Test
    void tmpcopyupOnATmpfsOnly() {
        Spec base = SpecTemplates.runcDefault();
        List<Mount> mounts = new ArrayList<>(base.mounts());
        mounts.add(new Mount("/etc", "tmpfs", "tmpfs", List.of("nosuid", "tmpcopyup"), null, null, null));
        mounts.add(new Mount("/run", "tmpfs", "tmpfs", List.of("tmpcopyup", "notmpcopyup"), null, null, null));
        LaunchPlan p = PlanBuilder.forCreate(base.withMounts(mounts), inputs(false));
        List<List<String>> recs = all(p, InitProtocol.MOUNT).stream().map(PlanBuilderTest::fields).toList();
        List<String> etc = recs.stream().filter(f -> f.get(1).equals("/etc")).findFirst().orElseThrow();
        assertEquals("1", etc.get(12));
        assertFalse(etc.get(5).contains("tmpcopyup"), "never handed to the kernel as tmpfs data");
        assertEquals("0", recs.stream().filter(f -> f.get(1).equals("/run")).findFirst().orElseThrow().get(12));

        List<Mount> bind = new ArrayList<>(base.mounts());
        bind.add(new Mount("/data", "bind", "/tmp", List.of("rbind", "tmpcopyup"), null, null, null));
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> PlanBuilder.forCreate(base.withMounts(bind), inputs(false)));
        assertTrue(e.getMessage().startsWith("mounts[7].options: \"tmpcopyup\" applies to a tmpfs only"), e.getMessage());
    }

    @Test
    void capabilitiesBecomeMasks() {
        LaunchPlan p = PlanBuilder.forCreate(SpecTemplates.runcDefault(), inputs(false));
        List<String> caps = fields(all(p, InitProtocol.CAPS).get(0));
        long expected = (1L << 29) | (1L << 5) | (1L << 10);
        assertEquals(Long.toString(expected), caps.get(0));
        assertEquals("0", caps.get(2), "runc spec has no inheritable set");
    }
}
