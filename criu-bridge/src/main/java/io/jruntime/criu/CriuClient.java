package io.jruntime.criu;

import io.jruntime.criu.rpc.CriuRpc.cgroup_root;
import io.jruntime.criu.rpc.CriuRpc.criu_cg_mode;
import io.jruntime.criu.rpc.CriuRpc.criu_features;
import io.jruntime.criu.rpc.CriuRpc.criu_network_lock_method;
import io.jruntime.criu.rpc.CriuRpc.criu_opts;
import io.jruntime.criu.rpc.CriuRpc.criu_page_server_info;
import io.jruntime.criu.rpc.CriuRpc.criu_pre_dump_mode;
import io.jruntime.criu.rpc.CriuRpc.criu_req;
import io.jruntime.criu.rpc.CriuRpc.criu_req_type;
import io.jruntime.criu.rpc.CriuRpc.criu_resp;
import io.jruntime.criu.rpc.CriuRpc.ext_mount_map;
import io.jruntime.criu.rpc.CriuRpc.inherit_fd;
import io.jruntime.criu.rpc.CriuRpc.join_namespace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * jruntime's client for CRIU's RPC interface. Each call starts one {@code criu swrk} process, sends one request and
 * waits (bounded by {@link #timeout()}) for its answer; see {@link CriuSession} for the protocol. Instances are
 * immutable apart from the cached version and safe to share; calls run on the calling thread.
 *
 * <p>Nothing here is loaded unless checkpoint/restore is used: the CLI's other commands never touch this package or
 * protobuf.
 */
public final class CriuClient {
    /** Default bound for dump/restore: generous, since big trees take a while, but never infinite. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    /** Bound for the quick queries (version, feature check, page server start). */
    public static final Duration QUERY_TIMEOUT = Duration.ofSeconds(30);

    private final CriuBinary binary;
    private final Duration timeout;
    private volatile CriuVersion version;

    public CriuClient(CriuBinary binary) {
        this(binary, DEFAULT_TIMEOUT);
    }

    public CriuClient(CriuBinary binary, Duration timeout) {
        if (binary == null) {
            throw new IllegalArgumentException("criu binary is null");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        this.binary = binary;
        this.timeout = timeout;
    }

    /**
     * Locates criu ({@link CriuBinary#locate(String)}), asks its version and checks it is supported
     * (>= {@link CriuVersion#MINIMUM}).
     */
    public static CriuClient open(String explicitCriuPath) {
        CriuClient c = new CriuClient(CriuBinary.locate(explicitCriuPath));
        c.requireSupported();
        return c;
    }

    /** The same client with another time limit per CRIU call. */
    public CriuClient withTimeout(Duration t) {
        CriuClient c = new CriuClient(binary, t);
        c.version = version;
        return c;
    }

    public CriuBinary binary() {
        return binary;
    }

    public Duration timeout() {
        return timeout;
    }

    // ---- version and features --------------------------------------------------------------------------------

    /**
     * CRIU's version through the RPC VERSION request (cached). When criu cannot answer RPC at all (too old or broken
     * on this kernel), falls back to parsing {@code criu --version} so the user still learns which version it is.
     */
    public CriuVersion version() {
        CriuVersion v = version;
        if (v != null) {
            return v;
        }
        v = VersionCache.get(binary);
        if (v != null) {
            version = v;
            return v;
        }
        CriuException rpcFailure;
        try {
            criu_resp r = query("version", criu_req.newBuilder().setType(criu_req_type.VERSION).build());
            if (!r.getSuccess() || !r.hasVersion()) {
                throw new CriuException(CriuException.Kind.PROTOCOL, "version",
                        "CRIU at " + binary + " did not report its version over RPC");
            }
            var rv = r.getVersion();
            v = new CriuVersion(rv.getMajorNumber(), rv.getMinorNumber(), rv.hasSublevel() ? rv.getSublevel() : 0,
                    rv.hasGitid() ? rv.getGitid() : null, rv.hasName() ? rv.getName() : null);
            version = v;
            VersionCache.put(binary, v);
            return v;
        } catch (CriuException e) {
            rpcFailure = e;
        }
        CriuVersion fromCli = versionFromCommandLine();
        if (fromCli == null) {
            throw new CriuException(CriuException.Kind.PROTOCOL, "version",
                    "cannot get the version of CRIU at " + binary + ": " + rpcFailure.getMessage(), 0, null,
                    List.of(), rpcFailure);
        }
        version = fromCli;
        return fromCli;
    }

    private CriuVersion versionFromCommandLine() {
        try {
            Process p = new ProcessBuilder(binary.path().toString(), "--version").redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            for (String line : out.split("\n")) {
                if (line.startsWith("Version:")) {
                    return CriuVersion.parse(line.substring("Version:".length()));
                }
            }
            return null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Fails (TOO_OLD) unless this CRIU is at least {@link CriuVersion#MINIMUM}. Returns this for chaining. */
    public CriuClient requireSupported() {
        return requireSupported(false, null);
    }

    /**
     * Fails (TOO_OLD) unless this CRIU supports a request with these properties on this kernel
     * ({@link CriuVersion#unsupported}).
     */
    public CriuClient requireSupported(boolean tcpEstablished, KernelVersion kernel) {
        CriuVersion v = version();
        List<String> problems = v.unsupported(tcpEstablished, kernel);
        if (!problems.isEmpty()) {
            String msg = String.join("; ", problems);
            throw new CriuException(CriuException.Kind.TOO_OLD, "version",
                    msg + (msg.contains(binary.toString()) ? "" : " [" + binary + "]"));
        }
        return this;
    }

    /** Asks CRIU which of the given optional kernel features work here (FEATURE_CHECK request). */
    public CriuFeatures checkFeatures(FeatureCheck check) {
        criu_features.Builder f = criu_features.newBuilder();
        if (check.memTrack()) {
            f.setMemTrack(true);
        }
        if (check.lazyPages()) {
            f.setLazyPages(true);
        }
        if (check.pidfdStore()) {
            f.setPidfdStore(true);
        }
        criu_resp r = query("feature-check", criu_req.newBuilder().setType(criu_req_type.FEATURE_CHECK)
                .setFeatures(f).build());
        if (!r.getSuccess() || !r.hasFeatures()) {
            throw new CriuException(CriuException.Kind.FAILED, "feature-check",
                    "CRIU feature check failed (criu at " + binary + ")");
        }
        criu_features got = r.getFeatures();
        return new CriuFeatures(check.memTrack() && got.getMemTrack(), check.lazyPages() && got.getLazyPages(),
                check.pidfdStore() && got.getPidfdStore());
    }

    private criu_resp query(String op, criu_req req) {
        long millis = Math.min(timeout.toMillis(), QUERY_TIMEOUT.toMillis());
        return new CriuSession(binary, millis, op, null).call(req, Map.of(), null).response();
    }

    // ---- dump ---------------------------------------------------------------------------------------------------

    /**
     * Checkpoints the tree rooted at {@code request.pid()}. Unless {@code leaveRunning}, the tree is killed once the
     * images are complete (its processes then need reaping by their parent before a restore can reuse their pids).
     *
     * @param handler receives CRIU's notifications (pre-dump, network-lock, post-dump, ...); null for none
     */
    public DumpResult dump(DumpRequest request, NotifyHandler handler) {
        return runDump("dump", criu_req_type.DUMP, request, handler, true);
    }

    /**
     * A memory pre-dump (iterative migration's first pass): the tree keeps running; a later dump with
     * {@code parentImg} pointing here writes only what changed. Needs memory dirty tracking, which is checked first:
     * without it this fails (UNSUPPORTED) before anything is dumped. Uses CRIU's SINGLE_PRE_DUMP request; the log
     * defaults to "pre-dump.log".
     */
    public DumpResult preDump(DumpRequest request, NotifyHandler handler) {
        return runDump("pre-dump", criu_req_type.SINGLE_PRE_DUMP, request, handler, true);
    }

    /** Package-private for tests: the same without the feature checks, to see what CRIU itself says. */
    DumpResult runDump(String op, criu_req_type type, DumpRequest request, NotifyHandler handler, boolean precheck) {
        if ("pre-dump".equals(op) && DumpRequest.DEFAULT_LOG.equals(request.logFile())) {
            request = request.toBuilder().logFile(DumpRequest.DEFAULT_PRE_DUMP_LOG).build();
        }
        requireSupported(request.tcpEstablished(), request.tcpEstablished() ? KernelVersion.running() : null);
        if (precheck) {
            boolean needTrack = "pre-dump".equals(op) || request.trackMem();
            if (needTrack || request.lazyPages()) {
                CriuFeatures f = checkFeatures(new FeatureCheck(needTrack, request.lazyPages(), false));
                if (needTrack && !f.memTrack()) {
                    throw new CriuException(CriuException.Kind.UNSUPPORTED, op,
                            "pre-dump".equals(op) ? CriuLog.NO_MEM_TRACK : CriuLog.NO_MEM_TRACK_FOR_TRACK_MEM);
                }
                if (request.lazyPages() && !f.lazyPages()) {
                    throw new CriuException(CriuException.Kind.UNSUPPORTED, op, CriuLog.NO_LAZY_PAGES);
                }
            }
        }
        long started = System.nanoTime();
        Path log = Dirs.logPath(request.workDir(), request.workDirFd(), request.imagesDir(), request.imagesDirFd(),
                request.logFile());
        try (Dirs dirs = new Dirs(op)) {
            int images = dirs.open(request.imagesDir(), request.imagesDirFd(), true, "images directory");
            int work = dirs.open(request.workDir(), request.workDirFd(), true, "work directory");
            Dirs.removeStaleLog(log);
            criu_opts.Builder opts = dumpOpts(request, images, work, "pre-dump".equals(op));
            if (handler != null) {
                opts.setNotifyScripts(true);
            }
            criu_req req = criu_req.newBuilder().setType(type).setOpts(opts).build();
            CriuSession.Outcome o = new CriuSession(binary, timeout.toMillis(), op, log).call(req, Map.of(), handler);
            check(op, o, log);
            return new DumpResult(request.pid(), request.imagesDir(), log, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** The criu_opts of a dump; fd numbers are ours (CRIU resolves them through /proc/<our pid>/fd). */
    static criu_opts.Builder dumpOpts(DumpRequest r, int imagesFd, int workFd, boolean preDump) {
        criu_opts.Builder o = criu_opts.newBuilder()
                .setImagesDirFd(imagesFd)
                .setPid(r.pid())
                .setLogFile(r.logFile())
                .setLogLevel(r.logLevel());
        if (workFd >= 0) {
            o.setWorkDirFd(workFd);
        }
        if (r.parentImg() != null) {
            o.setParentImg(r.parentImg());
        }
        if (r.leaveRunning()) {
            o.setLeaveRunning(true);
        }
        if (r.tcpSkipInFlight()) {
            o.setTcpSkipInFlight(true);
        }
        if (r.forceIrmap()) {
            o.setForceIrmap(true);
        }
        o.addAllCgroupDumpController(r.cgroupDumpControllers());
        if (r.freezeCgroup() != null) {
            o.setFreezeCgroup(r.freezeCgroup());
        }
        if (r.autoDedup()) {
            o.setAutoDedup(true);
        }
        if (r.trackMem() || preDump) {
            o.setTrackMem(true);
        }
        if (r.preDumpMode() != null) {
            o.setPreDumpMode(r.preDumpMode() == PreDumpMode.VM_READ ? criu_pre_dump_mode.VM_READ : criu_pre_dump_mode.SPLICE);
        }
        if (r.pageServer() != null) {
            criu_page_server_info.Builder ps = criu_page_server_info.newBuilder().setPort(r.pageServer().port());
            if (r.pageServer().address() != null) {
                ps.setAddress(r.pageServer().address());
            }
            o.setPs(ps);
        }
        o.addAllIrmapScanPaths(r.irmapScanPaths());
        if (r.ghostLimit() >= 0) {
            o.setGhostLimit((int) Math.min(r.ghostLimit(), 0xffffffffL));
        }
        if (r.freezeTimeoutSeconds() > 0) {
            o.setTimeout(r.freezeTimeoutSeconds());
        }
        shared(o, r);
        return o;
    }

    // ---- restore ------------------------------------------------------------------------------------------------

    /**
     * Restores a tree from its images; returns once it runs. With {@code rstSibling} (default) the restored root is
     * a child of this process: reap it with waitpid.
     *
     * @param handler receives CRIU's notifications (pre-restore, setup-namespaces, post-restore, pre-resume,
     *                post-resume, orphan-pts-master with the pty master fd, ...); null for none
     */
    public RestoreResult restore(RestoreRequest request, NotifyHandler handler) {
        return runRestore(request, handler, true, CriuLauncher.DIRECT);
    }

    /** A restore whose criu process is started by the given launcher (e.g. in a private mount namespace). */
    public RestoreResult restore(RestoreRequest request, NotifyHandler handler, CriuLauncher launcher) {
        return runRestore(request, handler, true, launcher);
    }

    RestoreResult runRestore(RestoreRequest request, NotifyHandler handler, boolean precheck, CriuLauncher launcher) {
        String op = "restore";
        requireSupported(request.tcpEstablished(), request.tcpEstablished() ? KernelVersion.running() : null);
        if (precheck && request.lazyPages() && !checkFeatures(FeatureCheck.LAZY_PAGES).lazyPages()) {
            throw new CriuException(CriuException.Kind.UNSUPPORTED, op, CriuLog.NO_LAZY_PAGES);
        }
        long started = System.nanoTime();
        Path log = Dirs.logPath(request.workDir(), request.workDirFd(), request.imagesDir(), request.imagesDirFd(),
                request.logFile());
        try (Dirs dirs = new Dirs(op)) {
            int images = dirs.open(request.imagesDir(), request.imagesDirFd(), false, "images directory");
            int work = dirs.open(request.workDir(), request.workDirFd(), true, "work directory");
            Dirs.removeStaleLog(log);
            Map<Integer, Integer> childFds = new LinkedHashMap<>();
            criu_opts.Builder opts = restoreOpts(request, images, work, childFds);
            if (handler != null) {
                opts.setNotifyScripts(true);
            }
            criu_req req = criu_req.newBuilder().setType(criu_req_type.RESTORE).setOpts(opts).build();
            CriuSession.Outcome o = new CriuSession(binary, timeout.toMillis(), op, log, launcher).call(req, childFds, handler);
            check(op, o, log, request.imagesDir());
            if (!o.response().hasRestore()) {
                throw new CriuException(CriuException.Kind.PROTOCOL, op, "CRIU restore succeeded but named no pid");
            }
            return new RestoreResult(o.response().getRestore().getPid(), log, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /**
     * The criu_opts of a restore. images/work fds are ours (resolved through /proc/<our pid>/fd); inherit_fd numbers
     * are criu's own, so each inherited fd is added to childFds (criu fd 4, 5, ... to our fd) for the spawn.
     */
    static criu_opts.Builder restoreOpts(RestoreRequest r, int imagesFd, int workFd, Map<Integer, Integer> childFds) {
        criu_opts.Builder o = criu_opts.newBuilder()
                .setImagesDirFd(imagesFd)
                .setLogFile(r.logFile())
                .setLogLevel(r.logLevel());
        if (workFd >= 0) {
            o.setWorkDirFd(workFd);
        }
        if (r.root() != null) {
            o.setRoot(r.root());
        }
        if (r.rstSibling()) {
            o.setRstSibling(true);
        }
        int next = CriuSession.SWRK_FD + 1;
        for (Map.Entry<String, Integer> e : r.inheritFds().entrySet()) {
            int criuFd = next++;
            childFds.put(criuFd, e.getValue());
            o.addInheritFd(inherit_fd.newBuilder().setKey(e.getKey()).setFd(criuFd));
        }
        if (r.cgroupYard() != null) {
            o.setCgroupYard(r.cgroupYard());
        }
        if (r.weakSysctls()) {
            o.setWeakSysctls(true);
        }
        for (JoinNamespace j : r.joinNamespaces()) {
            join_namespace.Builder b = join_namespace.newBuilder().setNs(j.ns()).setNsFile(j.nsFile());
            if (j.extraOpt() != null) {
                b.setExtraOpt(j.extraOpt());
            }
            o.addJoinNs(b);
        }
        if (r.lsmProfile() != null) {
            o.setLsmProfile(r.lsmProfile());
        }
        if (r.lsmMountContext() != null) {
            o.setLsmMountContext(r.lsmMountContext());
        }
        if (r.mntnsCompatMode()) {
            o.setMntnsCompatMode(true);
        }
        shared(o, r);
        return o;
    }

    /** The options a dump and a restore share ({@link SharedOptions}). */
    private static void shared(criu_opts.Builder o, SharedOptions r) {
        if (r.tcpEstablished()) {
            o.setTcpEstablished(true);
        }
        if (r.tcpClose()) {
            o.setTcpClose(true);
        }
        if (r.extUnixSk()) {
            o.setExtUnixSk(true);
        }
        if (r.shellJob()) {
            o.setShellJob(true);
        }
        if (r.fileLocks()) {
            o.setFileLocks(true);
        }
        if (r.linkRemap()) {
            o.setLinkRemap(true);
        }
        if (r.evasiveDevices()) {
            o.setEvasiveDevices(true);
        }
        if (r.manageCgroups() != null) {
            o.setManageCgroupsMode(cgMode(r.manageCgroups()));
        }
        for (CgroupRoot c : r.cgroupRoots()) {
            o.addCgRoot(cgRoot(c));
        }
        if (r.emptyNs() != 0) {
            o.setEmptyNs(r.emptyNs());
        }
        if (r.lazyPages()) {
            o.setLazyPages(true);
        }
        if (r.statusFd() >= 0) {
            o.setStatusFd(r.statusFd());
        }
        externals(o, r.externals(), r.extMountMap(), r.autoExtMounts(), r.extSharing(), r.extMasters());
        o.addAllSkipMnt(r.skipMounts());
        o.addAllEnableFs(r.enableFs());
        if (r.orphanPtsMaster()) {
            o.setOrphanPtsMaster(true);
        }
        if (r.networkLock() != null) {
            o.setNetworkLock(netLock(r.networkLock()));
        }
        if (r.configFile() != null) {
            o.setConfigFile(r.configFile());
        }
    }

    // ---- page server --------------------------------------------------------------------------------------------

    /**
     * Starts a page server daemon that receives a dump's pages into {@code request.imagesDir()} (PAGE_SERVER
     * request). CRIU daemonizes it; it exits when the dumping side is done.
     */
    public PageServerRequest.Started pageServer(PageServerRequest request) {
        String op = "page-server";
        Path log = Dirs.logPath(request.workDir(), -1, request.imagesDir(), request.imagesDirFd(), request.logFile());
        try (Dirs dirs = new Dirs(op)) {
            int images = dirs.open(request.imagesDir(), request.imagesDirFd(), true, "images directory");
            int work = dirs.open(request.workDir(), -1, true, "work directory");
            Dirs.removeStaleLog(log);
            criu_opts.Builder o = criu_opts.newBuilder().setImagesDirFd(images).setLogFile(request.logFile())
                    .setLogLevel(request.logLevel());
            if (work >= 0) {
                o.setWorkDirFd(work);
            }
            criu_page_server_info.Builder ps = criu_page_server_info.newBuilder().setPort(request.listen().port());
            if (request.listen().address() != null) {
                ps.setAddress(request.listen().address());
            }
            o.setPs(ps);
            criu_req req = criu_req.newBuilder().setType(criu_req_type.PAGE_SERVER).setOpts(o).build();
            long millis = Math.min(timeout.toMillis(), QUERY_TIMEOUT.toMillis());
            CriuSession.Outcome out = new CriuSession(binary, millis, op, log).call(req, Map.of(), null);
            check(op, out, log);
            return new PageServerRequest.Started(out.response().getPs().getPid(), out.response().getPs().getPort());
        }
    }

    // ---- lazy pages -----------------------------------------------------------------------------------------------

    /**
     * Starts the `criu lazy-pages` daemon for a lazy restore and returns once it listens; then call
     * {@link #restore} with {@code lazyPages(true)} and the same work directory. Checks first that the kernel
     * supports lazy pages (UNSUPPORTED otherwise).
     */
    public LazyPagesDaemon startLazyPages(LazyPagesRequest request) {
        if (!checkFeatures(FeatureCheck.LAZY_PAGES).lazyPages()) {
            throw new CriuException(CriuException.Kind.UNSUPPORTED, "lazy-pages", CriuLog.NO_LAZY_PAGES);
        }
        return LazyPagesDaemon.start(binary, request, QUERY_TIMEOUT.compareTo(timeout) < 0 ? QUERY_TIMEOUT : timeout);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static void externals(criu_opts.Builder o, List<String> externals, Map<String, String> extMountMap,
                                  boolean auto, boolean sharing, boolean masters) {
        o.addAllExternal(externals);
        for (Map.Entry<String, String> e : extMountMap.entrySet()) {
            o.addExtMnt(ext_mount_map.newBuilder().setKey(e.getKey()).setVal(e.getValue()));
        }
        if (auto) {
            o.setAutoExtMnt(true);
        }
        if (sharing) {
            o.setExtSharing(true);
        }
        if (masters) {
            o.setExtMasters(true);
        }
    }

    private static cgroup_root cgRoot(CgroupRoot c) {
        cgroup_root.Builder b = cgroup_root.newBuilder().setPath(c.path());
        if (c.controller() != null) {
            b.setCtrl(c.controller());
        }
        return b.build();
    }

    static criu_cg_mode cgMode(CriuCgroupMode m) {
        return switch (m) {
            case IGNORE -> criu_cg_mode.IGNORE;
            case NONE -> criu_cg_mode.CG_NONE;
            case PROPS -> criu_cg_mode.PROPS;
            case SOFT -> criu_cg_mode.SOFT;
            case FULL -> criu_cg_mode.FULL;
            case STRICT -> criu_cg_mode.STRICT;
            case DEFAULT -> criu_cg_mode.DEFAULT;
        };
    }

    static criu_network_lock_method netLock(NetworkLockMethod m) {
        return m == NetworkLockMethod.NFTABLES ? criu_network_lock_method.NFTABLES : criu_network_lock_method.IPTABLES;
    }

    /** Turns a final response with success=false (or a failed notify callback) into a CriuException. */
    private static void check(String op, CriuSession.Outcome o, Path log) {
        check(op, o, log, null);
    }

    private static void check(String op, CriuSession.Outcome o, Path log, Path imagesDir) {
        criu_resp r = o.response();
        if (r.getSuccess() && o.callbackFailure() == null) {
            return;
        }
        List<String> errors = CriuLog.errorLines(log, CriuLog.MAX_ERROR_LINES);
        int crErrno = r.hasCrErrno() ? r.getCrErrno() : 0;
        StringBuilder msg = new StringBuilder("CRIU ").append(op).append(" failed");
        CriuException.Kind kind = CriuException.Kind.FAILED;
        if (o.callbackFailure() != null) {
            kind = CriuException.Kind.CALLBACK;
            msg.append(": the notify callback failed: ").append(o.callbackFailure().getMessage());
        } else {
            String first = CriuLog.headline(errors, r.hasCrErrmsg() ? r.getCrErrmsg() : null);
            if (first != null) {
                msg.append(": ").append(first);
            }
            if (crErrno != 0) {
                msg.append(" (errno ").append(crErrno).append(": ").append(io.jruntime.core.sys.Errno.describe(crErrno))
                        .append(')');
            }
            String hint = CriuLog.hint(op, errors, o.output(), crErrno);
            if ("restore".equals(op) && imagesDir != null && !java.nio.file.Files.exists(imagesDir.resolve("inventory.img"))) {
                hint = "the images directory " + imagesDir + " holds no checkpoint (no inventory.img): was the "
                        + "checkpoint written to another directory, or did it fail?";
            }
            if (hint != null) {
                msg.append("\n  hint: ").append(hint);
            }
        }
        msg.append(CriuSession.details(log, o.output()));
        msg.append("\n  criu: ").append(o.exitStatus());
        throw new CriuException(kind, op, msg.toString(), crErrno, log, errors, o.callbackFailure());
    }
}
