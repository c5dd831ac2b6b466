package io.jruntime.criu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to checkpoint and how: the options of `criu dump` / `criu pre-dump`, as an immutable value. Build one with
 * {@link #builder(int, Path)}. Unset options keep CRIU's defaults.
 *
 * <p>Directories: {@code imagesDir} receives the images; {@code workDir} (default: the images directory) receives
 * the log and CRIU's temporary files. Either may instead be given as an fd the caller keeps open for the duration of
 * the call ({@code imagesDirFd}/{@code workDirFd} >= 0); the path is then only used in messages and to find the log.
 *
 * @param pid                   root of the process tree to dump (never 0: CRIU would dump the caller itself)
 * @param imagesDir             images directory; created (0700) when missing and no fd is given
 * @param imagesDirFd           an open O_DIRECTORY fd of the caller to use instead of opening imagesDir, or -1
 * @param workDir               work directory for log and temporary files, or null for the images directory
 * @param workDirFd             an open O_DIRECTORY fd of the caller for the work directory, or -1
 * @param parentImg             previous (pre-)dump's images, relative to imagesDir (criu --prev-images-dir), or null
 * @param leaveRunning          let the tasks run on after the dump instead of killing them
 * @param tcpEstablished        dump established TCP connections (--tcp-established)
 * @param tcpSkipInFlight       skip in-flight TCP connections (--skip-in-flight)
 * @param tcpClose              close established TCP connections on dump (--tcp-close)
 * @param extUnixSk             allow external unix sockets (--ext-unix-sk)
 * @param shellJob              the tree is a shell job: its session/tty belong to the outside (--shell-job)
 * @param fileLocks             dump file locks (--file-locks)
 * @param linkRemap             allow link remaps of deleted-but-open files (--link-remap)
 * @param evasiveDevices        use any path to a device file when the original is gone (--evasive-devices)
 * @param forceIrmap            force resolving inotify/fsnotify watch names (--force-irmap)
 * @param manageCgroups         cgroup handling, or null for CRIU's default
 * @param cgroupRoots           cgroup root remaps (--cgroup-root)
 * @param cgroupDumpControllers controllers to dump (--cgroup-dump-controller)
 * @param freezeCgroup          freeze the tree through this cgroup instead of ptrace stops (--freeze-cgroup), or null
 * @param emptyNs               namespaces CRIU should create empty on restore (only {@link #CLONE_NEWNET})
 * @param autoDedup             punch holes in parent images as pages are dumped (--auto-dedup)
 * @param lazyPages             leave memory pages behind and serve them lazily from {@code pageServer}
 * @param trackMem              turn on memory change tracking for a later incremental dump (--track-mem)
 * @param preDumpMode           how pre-dump reads memory, or null for CRIU's default (splice)
 * @param statusFd              an fd of the caller that CRIU writes one '\0' byte to when a lazy-pages page server is
 *                              ready for connections (--status-fd), or -1
 * @param pageServer            send pages to this page server, or with lazyPages listen here; null for none
 * @param externals             external resources (--external), e.g. "mnt[/dest]:key", "net[4026531992]:veth"
 * @param extMountMap           external bind mounts: mount point in the tree to key (--ext-mount-map); ordered
 * @param autoExtMounts         detect external mounts automatically (--ext-mount-map auto)
 * @param extSharing            allow external mounts' sharing groups (--enable-external-sharing)
 * @param extMasters            allow external mounts' masters (--enable-external-masters)
 * @param skipMounts            mount points not to dump (--skip-mnt)
 * @param enableFs              file systems to dump as auto-mountable (--enable-fs)
 * @param irmapScanPaths        where to look for inotify watch targets (--irmap-scan-path)
 * @param orphanPtsMaster       the tree's pty master is outside it (a console held by the runtime): dump the slave so
 *                              that a restore with orphanPtsMaster can recreate the pair and hand out the new master
 *                              ({@link CriuNotification#ORPHAN_PTS_MASTER}); without it such a restore fails with
 *                              "Deprecated functionality (TTY w/o regfile) rejected"
 * @param logFile               log file name inside the work directory (default "dump.log"/"pre-dump.log")
 * @param logLevel              0..4, default 4 (debug) so failures can be diagnosed from the log
 * @param networkLock           how to lock the network, or null for CRIU's default (iptables)
 * @param ghostLimit            max size of deleted files to carry in images (--ghost-limit), or -1 for CRIU's 1 MiB
 * @param freezeTimeoutSeconds  CRIU's own time limit for freezing and collecting the tree (--timeout), 0 for its default
 * @param configFile            an extra CRIU configuration file that overrides these options (config_file), or null
 */
public record DumpRequest(
        int pid,
        Path imagesDir, int imagesDirFd,
        Path workDir, int workDirFd,
        String parentImg,
        boolean leaveRunning,
        boolean tcpEstablished, boolean tcpSkipInFlight, boolean tcpClose,
        boolean extUnixSk, boolean shellJob, boolean fileLocks, boolean linkRemap, boolean evasiveDevices,
        boolean forceIrmap,
        CriuCgroupMode manageCgroups, List<CgroupRoot> cgroupRoots, List<String> cgroupDumpControllers,
        String freezeCgroup,
        int emptyNs,
        boolean autoDedup, boolean lazyPages, boolean trackMem, PreDumpMode preDumpMode,
        int statusFd,
        PageServerAddress pageServer,
        List<String> externals, Map<String, String> extMountMap,
        boolean autoExtMounts, boolean extSharing, boolean extMasters,
        List<String> skipMounts, List<String> enableFs, List<String> irmapScanPaths,
        boolean orphanPtsMaster,
        String logFile, int logLevel,
        NetworkLockMethod networkLock,
        long ghostLimit, int freezeTimeoutSeconds,
        String configFile) implements SharedOptions {

    public static final int CLONE_NEWNET = Args.CLONE_NEWNET;
    public static final String DEFAULT_LOG = "dump.log";
    public static final String DEFAULT_PRE_DUMP_LOG = "pre-dump.log";

    public DumpRequest {
        if (pid <= 0) {
            throw new IllegalArgumentException("dump needs the pid of the tree's root, got " + pid);
        }
        if (pid == ProcessHandle.current().pid()) {
            throw new IllegalArgumentException("refusing to checkpoint jruntime itself (pid " + pid + ")");
        }
        Args.images(imagesDir, imagesDirFd, "dump");
        Args.logFile(logFile, logLevel);
        Args.emptyNs(emptyNs);
        if (lazyPages && pageServer == null) {
            throw new IllegalArgumentException("a lazy-pages dump needs a page server address to serve the pages from");
        }
        cgroupRoots = Args.list(cgroupRoots);
        cgroupDumpControllers = Args.list(cgroupDumpControllers);
        externals = Args.list(externals);
        extMountMap = Args.map(extMountMap);
        skipMounts = Args.list(skipMounts);
        enableFs = Args.list(enableFs);
        irmapScanPaths = Args.list(irmapScanPaths);
    }

    /** A dump of the tree rooted at pid into imagesDir, with CRIU's defaults for everything else. */
    public static Builder builder(int pid, Path imagesDir) {
        return new Builder(pid, imagesDir);
    }

    /** A builder preset with this request's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The work directory as a path (the images directory when none was given), for finding the log. */
    public Path effectiveWorkDir() {
        return workDir != null ? workDir : imagesDir;
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder extends SharedOptionsBuilder<Builder> {
        private int pid;
        private Path imagesDir;
        private int imagesDirFd = -1;
        private Path workDir;
        private int workDirFd = -1;
        private String parentImg;
        private boolean leaveRunning;
        private boolean tcpSkipInFlight;
        private boolean forceIrmap;
        private final List<String> cgroupDumpControllers = new ArrayList<>();
        private String freezeCgroup;
        private boolean autoDedup;
        private boolean trackMem;
        private PreDumpMode preDumpMode;
        private PageServerAddress pageServer;
        private final List<String> irmapScanPaths = new ArrayList<>();
        private String logFile = DEFAULT_LOG;
        private int logLevel = 4;
        private long ghostLimit = -1;
        private int freezeTimeoutSeconds;

        private Builder(int pid, Path imagesDir) {
            this.pid = pid;
            this.imagesDir = imagesDir;
        }

        private Builder(DumpRequest r) {
            pid = r.pid;
            imagesDir = r.imagesDir;
            imagesDirFd = r.imagesDirFd;
            workDir = r.workDir;
            workDirFd = r.workDirFd;
            parentImg = r.parentImg;
            leaveRunning = r.leaveRunning;
            copyShared(r);
            tcpSkipInFlight = r.tcpSkipInFlight;
            forceIrmap = r.forceIrmap;
            cgroupDumpControllers.addAll(r.cgroupDumpControllers);
            freezeCgroup = r.freezeCgroup;
            autoDedup = r.autoDedup;
            trackMem = r.trackMem;
            preDumpMode = r.preDumpMode;
            pageServer = r.pageServer;
            irmapScanPaths.addAll(r.irmapScanPaths);
            logFile = r.logFile;
            logLevel = r.logLevel;
            ghostLimit = r.ghostLimit;
            freezeTimeoutSeconds = r.freezeTimeoutSeconds;
        }

        public Builder pid(int v) { pid = v; return this; }
        public Builder imagesDir(Path v) { imagesDir = v; return this; }
        public Builder imagesDirFd(int v) { imagesDirFd = v; return this; }
        public Builder workDir(Path v) { workDir = v; return this; }
        public Builder workDirFd(int v) { workDirFd = v; return this; }
        public Builder parentImg(String v) { parentImg = v; return this; }
        public Builder leaveRunning(boolean v) { leaveRunning = v; return this; }
        public Builder tcpSkipInFlight(boolean v) { tcpSkipInFlight = v; return this; }
        public Builder forceIrmap(boolean v) { forceIrmap = v; return this; }
        public Builder cgroupDumpController(String v) { cgroupDumpControllers.add(v); return this; }
        public Builder freezeCgroup(String v) { freezeCgroup = v; return this; }
        public Builder autoDedup(boolean v) { autoDedup = v; return this; }
        public Builder trackMem(boolean v) { trackMem = v; return this; }
        public Builder preDumpMode(PreDumpMode v) { preDumpMode = v; return this; }
        public Builder pageServer(PageServerAddress v) { pageServer = v; return this; }
        public Builder extMount(String mountPoint, String key) { extMountMap.put(mountPoint, key); return this; }
        public Builder irmapScanPath(String v) { irmapScanPaths.add(v); return this; }
        public Builder logFile(String v) { logFile = v; return this; }
        public Builder logLevel(int v) { logLevel = v; return this; }
        public Builder ghostLimit(long v) { ghostLimit = v; return this; }
        public Builder freezeTimeoutSeconds(int v) { freezeTimeoutSeconds = v; return this; }

        public DumpRequest build() {
            return new DumpRequest(pid, imagesDir, imagesDirFd, workDir, workDirFd, parentImg, leaveRunning,
                    tcpEstablished, tcpSkipInFlight, tcpClose, extUnixSk, shellJob, fileLocks, linkRemap,
                    evasiveDevices, forceIrmap, manageCgroups, cgroupRoots, cgroupDumpControllers, freezeCgroup,
                    emptyNs, autoDedup, lazyPages, trackMem, preDumpMode, statusFd, pageServer, externals,
                    extMountMap, autoExtMounts, extSharing, extMasters, skipMounts, enableFs, irmapScanPaths,
                    orphanPtsMaster, logFile, logLevel, networkLock, ghostLimit, freezeTimeoutSeconds, configFile);
        }
    }
}
