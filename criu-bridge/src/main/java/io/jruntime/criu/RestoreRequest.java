package io.jruntime.criu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to restore and how: the options of `criu restore` over RPC, as an immutable value. Build one with
 * {@link #builder(Path)}. RPC restores are always detached: CRIU returns once the tree runs.
 *
 * <p>Who becomes the parent of the restored tree: with {@code rstSibling} (the default) the root task is created as
 * a sibling of the criu process, i.e. a child of the process that called {@link CriuClient#restore}; that caller must
 * reap it (waitpid) or be a child subreaper. Without it the tree is a child of criu and is reparented to the nearest
 * subreaper (or init) when criu exits.
 *
 * @param imagesDir       directory holding the images of a dump
 * @param imagesDirFd     an open O_DIRECTORY fd of the caller to use instead of opening imagesDir, or -1
 * @param workDir         work directory for log and temporary files, or null for the images directory
 * @param workDirFd       an open O_DIRECTORY fd of the caller for the work directory, or -1
 * @param root            the root file system to restore into (--root), or null for "/"
 * @param rstSibling      restore the root task as the caller's child (see above)
 * @param inheritFds      fds of the caller that replace external files of the tree: key (as in the images, e.g.
 *                        "pipe:[1234]" or "file[inode]") to an open fd of the caller (--inherit-fd). They are mapped
 *                        into the criu process; the caller keeps ownership and may close them after the call.
 * @param externals       external resources (--external), e.g. "mnt[key]:/host/path", "veth[eth0]:vethXYZ@br0"
 * @param extMountMap     external bind mounts: key (as dumped) to the host path to mount (--ext-mount-map); ordered
 * @param autoExtMounts   resolve external mounts automatically (--ext-mount-map auto)
 * @param extSharing      see {@link DumpRequest#extSharing()}
 * @param extMasters      see {@link DumpRequest#extMasters()}
 * @param manageCgroups   cgroup handling, or null for CRIU's default
 * @param cgroupRoots     restore cgroups below these roots (--cgroup-root)
 * @param cgroupYard      an existing cgroup yard directory to use (--cgroup-yard), or null
 * @param tcpEstablished  restore established TCP connections
 * @param tcpClose        restore TCP connections closed (--tcp-close)
 * @param extUnixSk       allow external unix sockets
 * @param shellJob        attach the restored shell job to our session and terminal
 * @param fileLocks       restore file locks
 * @param linkRemap       allow link remaps
 * @param evasiveDevices  see {@link DumpRequest#evasiveDevices()}
 * @param weakSysctls     skip sysctls the kernel does not have (--weak-sysctls)
 * @param emptyNs         namespaces that were dumped empty (only {@link DumpRequest#CLONE_NEWNET})
 * @param joinNamespaces  existing namespaces to restore into (--join-ns)
 * @param lazyPages       restore with memory fetched lazily through a running `criu lazy-pages` daemon
 * @param statusFd        an fd of the caller that CRIU writes '\0' to when ready, or -1
 * @param lsmProfile      LSM profile to apply to the restored tasks, e.g. "apparmor:NAME" (--lsm-profile), or null
 * @param lsmMountContext SELinux mount context for restored mounts (--lsm-mount-context), or null
 * @param orphanPtsMaster receive the master of the tree's orphan pty (its console) during restore, see
 *                        {@link CriuNotification#ORPHAN_PTS_MASTER}
 * @param skipMounts      mount points not to restore
 * @param enableFs        file systems allowed as auto-mountable
 * @param logFile         log file name inside the work directory (default "restore.log")
 * @param logLevel        0..4, default 4
 * @param networkLock     network lock method used at dump (must match), or null for CRIU's default
 * @param mntnsCompatMode use CRIU's older mount-namespace restore engine (--mntns-compat-mode)
 * @param configFile      an extra CRIU configuration file that overrides these options, or null
 */
public record RestoreRequest(
        Path imagesDir, int imagesDirFd,
        Path workDir, int workDirFd,
        String root,
        boolean rstSibling,
        Map<String, Integer> inheritFds,
        List<String> externals, Map<String, String> extMountMap,
        boolean autoExtMounts, boolean extSharing, boolean extMasters,
        CriuCgroupMode manageCgroups, List<CgroupRoot> cgroupRoots, String cgroupYard,
        boolean tcpEstablished, boolean tcpClose, boolean extUnixSk, boolean shellJob, boolean fileLocks,
        boolean linkRemap, boolean evasiveDevices, boolean weakSysctls,
        int emptyNs, List<JoinNamespace> joinNamespaces,
        boolean lazyPages, int statusFd,
        String lsmProfile, String lsmMountContext,
        boolean orphanPtsMaster,
        List<String> skipMounts, List<String> enableFs,
        String logFile, int logLevel,
        NetworkLockMethod networkLock,
        boolean mntnsCompatMode,
        String configFile) implements SharedOptions {

    public static final String DEFAULT_LOG = "restore.log";

    public RestoreRequest {
        Args.images(imagesDir, imagesDirFd, "restore");
        Args.logFile(logFile, logLevel);
        Args.emptyNs(emptyNs);
        inheritFds = Args.map(inheritFds);
        externals = Args.list(externals);
        extMountMap = Args.map(extMountMap);
        cgroupRoots = Args.list(cgroupRoots);
        joinNamespaces = Args.list(joinNamespaces);
        skipMounts = Args.list(skipMounts);
        enableFs = Args.list(enableFs);
    }

    /** A restore from imagesDir as a child of the caller (rstSibling), CRIU's defaults for everything else. */
    public static Builder builder(Path imagesDir) {
        return new Builder(imagesDir);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The work directory as a path (the images directory when none was given), for finding the log. */
    public Path effectiveWorkDir() {
        return workDir != null ? workDir : imagesDir;
    }

    public static final class Builder extends SharedOptionsBuilder<Builder> {
        private Path imagesDir;
        private int imagesDirFd = -1;
        private Path workDir;
        private int workDirFd = -1;
        private String root;
        private boolean rstSibling = true;
        private final Map<String, Integer> inheritFds = new LinkedHashMap<>();
        private String cgroupYard;
        private boolean weakSysctls;
        private final List<JoinNamespace> joinNamespaces = new ArrayList<>();
        private String lsmProfile;
        private String lsmMountContext;
        private String logFile = DEFAULT_LOG;
        private int logLevel = 4;
        private boolean mntnsCompatMode;

        private Builder(Path imagesDir) {
            this.imagesDir = imagesDir;
        }

        private Builder(RestoreRequest r) {
            imagesDir = r.imagesDir;
            imagesDirFd = r.imagesDirFd;
            workDir = r.workDir;
            workDirFd = r.workDirFd;
            root = r.root;
            rstSibling = r.rstSibling;
            inheritFds.putAll(r.inheritFds);
            copyShared(r);
            cgroupYard = r.cgroupYard;
            weakSysctls = r.weakSysctls;
            joinNamespaces.addAll(r.joinNamespaces);
            lsmProfile = r.lsmProfile;
            lsmMountContext = r.lsmMountContext;
            logFile = r.logFile;
            logLevel = r.logLevel;
            mntnsCompatMode = r.mntnsCompatMode;
        }

        public Builder imagesDir(Path v) { imagesDir = v; return this; }
        public Builder imagesDirFd(int v) { imagesDirFd = v; return this; }
        public Builder workDir(Path v) { workDir = v; return this; }
        public Builder workDirFd(int v) { workDirFd = v; return this; }
        public Builder root(String v) { root = v; return this; }
        public Builder rstSibling(boolean v) { rstSibling = v; return this; }
        public Builder inheritFd(String key, int fd) { inheritFds.put(key, fd); return this; }
        public Builder extMount(String key, String hostPath) { extMountMap.put(key, hostPath); return this; }
        public Builder cgroupYard(String v) { cgroupYard = v; return this; }
        public Builder weakSysctls(boolean v) { weakSysctls = v; return this; }
        public Builder joinNamespace(JoinNamespace v) { joinNamespaces.add(v); return this; }
        public Builder lsmProfile(String v) { lsmProfile = v; return this; }
        public Builder lsmMountContext(String v) { lsmMountContext = v; return this; }
        public Builder logFile(String v) { logFile = v; return this; }
        public Builder logLevel(int v) { logLevel = v; return this; }
        public Builder mntnsCompatMode(boolean v) { mntnsCompatMode = v; return this; }

        public RestoreRequest build() {
            return new RestoreRequest(imagesDir, imagesDirFd, workDir, workDirFd, root, rstSibling, inheritFds,
                    externals, extMountMap, autoExtMounts, extSharing, extMasters, manageCgroups, cgroupRoots,
                    cgroupYard, tcpEstablished, tcpClose, extUnixSk, shellJob, fileLocks, linkRemap, evasiveDevices,
                    weakSysctls, emptyNs, joinNamespaces, lazyPages, statusFd, lsmProfile, lsmMountContext,
                    orphanPtsMaster, skipMounts, enableFs, logFile, logLevel, networkLock, mntnsCompatMode,
                    configFile);
        }
    }
}
