package io.jruntime.criu;

import io.jruntime.criu.rpc.CriuRpc.criu_cg_mode;
import io.jruntime.criu.rpc.CriuRpc.criu_network_lock_method;
import io.jruntime.criu.rpc.CriuRpc.criu_opts;
import io.jruntime.criu.rpc.CriuRpc.criu_pre_dump_mode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Records to criu_opts, without running CRIU. */
class RequestEncodingTest {
    @Test
    void dumpOptions() {
        DumpRequest r = DumpRequest.builder(42, Path.of("/img"))
                .workDir(Path.of("/work")).parentImg("../pre1").leaveRunning(true).tcpEstablished(true)
                .extUnixSk(true).shellJob(true).fileLocks(true).manageCgroups(CriuCgroupMode.NONE)
                .cgroupRoot(new CgroupRoot("cpu", "/ctr")).cgroupRoot(CgroupRoot.all("/all"))
                .emptyNs(DumpRequest.CLONE_NEWNET).autoDedup(true).lazyPages(true)
                .pageServer(new PageServerAddress("127.0.0.1", 27)).statusFd(9)
                .external("mnt[/etc/hosts]:hosts").extMount("/proc/sys", "sysfs-key").orphanPtsMaster(true)
                .logLevel(2).trackMem(true).preDumpMode(PreDumpMode.VM_READ).networkLock(NetworkLockMethod.NFTABLES)
                .ghostLimit(5_000_000).freezeTimeoutSeconds(7).build();
        criu_opts o = CriuClient.dumpOpts(r, 11, 12, false).build();
        assertEquals(11, o.getImagesDirFd());
        assertEquals(12, o.getWorkDirFd());
        assertEquals(42, o.getPid());
        assertEquals("dump.log", o.getLogFile());
        assertEquals(2, o.getLogLevel());
        assertEquals("../pre1", o.getParentImg());
        assertTrue(o.getLeaveRunning() && o.getTcpEstablished() && o.getExtUnixSk() && o.getShellJob()
                && o.getFileLocks() && o.getAutoDedup() && o.getLazyPages() && o.getTrackMem()
                && o.getOrphanPtsMaster());
        assertEquals(criu_cg_mode.CG_NONE, o.getManageCgroupsMode());
        assertEquals(2, o.getCgRootCount());
        assertEquals("cpu", o.getCgRoot(0).getCtrl());
        assertFalse(o.getCgRoot(1).hasCtrl());
        assertEquals(0x40000000, o.getEmptyNs());
        assertEquals("127.0.0.1", o.getPs().getAddress());
        assertEquals(27, o.getPs().getPort());
        assertEquals(9, o.getStatusFd());
        assertEquals(List.of("mnt[/etc/hosts]:hosts"), o.getExternalList());
        assertEquals("/proc/sys", o.getExtMnt(0).getKey());
        assertEquals("sysfs-key", o.getExtMnt(0).getVal());
        assertEquals(criu_pre_dump_mode.VM_READ, o.getPreDumpMode());
        assertEquals(criu_network_lock_method.NFTABLES, o.getNetworkLock());
        assertEquals(5_000_000, o.getGhostLimit());
        assertEquals(7, o.getTimeout());
        // Options left alone stay unset so CRIU's own defaults apply.
        assertFalse(o.hasRoot() || o.hasRstSibling() || o.hasNotifyScripts() || o.hasTcpClose() || o.hasCpuCap());
    }

    @Test
    void minimalDumpLeavesCriuDefaults() {
        criu_opts o = CriuClient.dumpOpts(DumpRequest.builder(7, Path.of("/i")).build(), 5, -1, false).build();
        assertFalse(o.hasWorkDirFd() || o.hasLeaveRunning() || o.hasManageCgroupsMode() || o.hasPs()
                || o.hasTrackMem() || o.hasGhostLimit() || o.hasNetworkLock() || o.hasPreDumpMode());
        assertEquals(4, o.getLogLevel());
        assertTrue(CriuClient.dumpOpts(DumpRequest.builder(7, Path.of("/i")).build(), 5, -1, true).build().getTrackMem(),
                "pre-dump always tracks memory");
    }

    @Test
    void restoreOptionsMapInheritedFdsIntoCriu() {
        RestoreRequest r = RestoreRequest.builder(Path.of("/img")).root("/rootfs")
                .inheritFd("pipe:[1234]", 17).inheritFd("file[abc]", 23)
                .extMount("hosts", "/var/lib/x/hosts").external("mnt[cgroup]:/sys/fs/cgroup")
                .manageCgroups(CriuCgroupMode.SOFT).cgroupRoot(CgroupRoot.all("/new"))
                .lsmProfile("apparmor:foo").lsmMountContext("system_u:object_r:container_file_t:s0")
                .joinNamespace(new JoinNamespace("net", "/proc/1/ns/net", null)).lazyPages(true)
                .orphanPtsMaster(true).shellJob(true).build();
        Map<Integer, Integer> childFds = new HashMap<>();
        criu_opts o = CriuClient.restoreOpts(r, 8, -1, childFds).build();
        assertEquals(Map.of(4, 17, 5, 23), childFds, "inherited fds live in criu's table at 4, 5, ...");
        assertEquals("pipe:[1234]", o.getInheritFd(0).getKey());
        assertEquals(4, o.getInheritFd(0).getFd());
        assertEquals(5, o.getInheritFd(1).getFd());
        assertEquals(8, o.getImagesDirFd());
        assertFalse(o.hasWorkDirFd());
        assertTrue(o.getRstSibling(), "restores default to the caller's child");
        assertEquals("/rootfs", o.getRoot());
        assertEquals("restore.log", o.getLogFile());
        assertEquals("hosts", o.getExtMnt(0).getKey());
        assertEquals(criu_cg_mode.SOFT, o.getManageCgroupsMode());
        assertEquals("apparmor:foo", o.getLsmProfile());
        assertEquals("system_u:object_r:container_file_t:s0", o.getLsmMountContext());
        assertEquals("net", o.getJoinNs(0).getNs());
        assertFalse(o.getJoinNs(0).hasExtraOpt());
        assertTrue(o.getLazyPages() && o.getOrphanPtsMaster() && o.getShellJob());
        assertFalse(o.hasPid());
    }

    @Test
    void invalidRequestsAreRejectedEarly() {
        assertThrows(IllegalArgumentException.class, () -> DumpRequest.builder(0, Path.of("/i")).build());
        assertThrows(IllegalArgumentException.class, () -> DumpRequest.builder(1, null).build());
        assertThrows(IllegalArgumentException.class, () -> DumpRequest.builder(1, Path.of("/i")).logFile("a/b.log").build());
        assertThrows(IllegalArgumentException.class, () -> DumpRequest.builder(1, Path.of("/i")).logLevel(5).build());
        assertThrows(IllegalArgumentException.class, () -> DumpRequest.builder(1, Path.of("/i")).emptyNs(0x20000).build());
        assertThrows(IllegalArgumentException.class, () -> DumpRequest.builder(1, Path.of("/i")).lazyPages(true).build());
        assertThrows(IllegalArgumentException.class, () -> RestoreRequest.builder(null).build());
        DumpRequest viaFd = DumpRequest.builder(1, null).imagesDirFd(9).build();
        assertEquals(9, viaFd.imagesDirFd());
    }

    @Test
    void recordsAreImmutableAndRoundTripThroughBuilders() {
        DumpRequest r = DumpRequest.builder(3, Path.of("/i")).external("a").extMount("k", "v").build();
        assertThrows(UnsupportedOperationException.class, () -> r.externals().add("b"));
        assertThrows(UnsupportedOperationException.class, () -> r.extMountMap().put("x", "y"));
        assertEquals(r, r.toBuilder().build());
        RestoreRequest rr = RestoreRequest.builder(Path.of("/i")).inheritFd("k", 3).build();
        assertEquals(rr, rr.toBuilder().build());
        assertThrows(UnsupportedOperationException.class, () -> rr.inheritFds().put("x", 1));
    }

    @Test
    void versionRules() {
        assertEquals(CriuVersion.of(4, 2, 1), CriuVersion.parse("Version: 4.2.1"));
        assertEquals("3.17", CriuVersion.parse("3.17").toString());
        assertTrue(CriuVersion.of(4, 1, 0).atLeast(CriuVersion.MINIMUM));
        assertFalse(CriuVersion.of(4, 0, 9).atLeast(CriuVersion.MINIMUM));
        KernelVersion k = KernelVersion.parse("6.18.44-fc-v657");
        assertEquals(new KernelVersion(6, 18, 44), k);
        assertEquals(List.of(), CriuVersion.of(4, 2, 1).unsupported(true, k));
        assertEquals(List.of(), CriuVersion.of(4, 1, 0).unsupported(false, k));
        assertEquals(List.of(), CriuVersion.of(4, 1, 0).unsupported(true, KernelVersion.parse("6.15.2")));
        assertEquals(List.of("checkpointing established TCP connections on kernel 6.18.44 needs CRIU >= 4.2, this is CRIU 4.1"),
                CriuVersion.of(4, 1, 0).unsupported(true, k));
    }

    @Test
    void logLinesAndHeadlines() {
        List<String> errors = List.of(
                "(00.041418) Error (criu/util.c:1534): rlimit: Can't setup RLIMIT_NOFILE for self: Operation not permitted",
                "(00.042447) Error (criu/cr-restore.c:1237): Can't fork for 26629: File exists",
                "(00.042516) Error (criu/cr-restore.c:2331): Restoring FAILED.");
        assertEquals("Can't fork for 26629: File exists", CriuLog.headline(errors, "rlimit: ..."));
        assertEquals("x", CriuLog.headline(List.of(), "x"));
        assertTrue(CriuLog.isError(errors.get(0)));
        assertTrue(CriuLog.isError("Error (criu/cr-service.c:1): something"));
        assertFalse(CriuLog.isError("(00.1) Warn  (criu/x.c:1): not an error"));
        assertTrue(CriuLog.hint("restore", errors, "", 17).contains("already exists"));
        assertEquals(CriuLog.NO_MEM_TRACK, CriuLog.hint("pre-dump",
                List.of("(00.03) Error (criu/config.c:1131): Tracking memory is not available."), "", 0));
        assertEquals(CriuLog.LAZY_PAGE_SERVER_PIPE, CriuLog.hint("dump", List.of(
                "(01.174510) Error (criu/page-pipe.c:424): page-pipe: splice: -1: Bad file descriptor",
                "(01.175886) Error (criu/cr-dump.c:1883): Lazy pages transfer FAILED."), "", 0));
        assertEquals(CriuLog.LAZY_PAGE_SERVER_GONE, CriuLog.hint("restore", List.of(
                "(00.046945) Error (criu/uffd.c:1306): uffd: Failed sending restore finished indication: Broken pipe",
                "(00.046951) Error (criu/cr-restore.c:2304): Killing processes because of failure on restore."), "", 0));
    }
}
