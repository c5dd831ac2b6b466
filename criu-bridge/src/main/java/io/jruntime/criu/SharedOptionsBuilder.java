package io.jruntime.criu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The builder half of {@link SharedOptions}: the fields and setters {@link DumpRequest.Builder} and
 * {@link RestoreRequest.Builder} have in common, returning the concrete builder. {@code extMount} stays with
 * each builder: the map is the same, but its keys and values mean different things on either side.
 */
public abstract class SharedOptionsBuilder<B extends SharedOptionsBuilder<B>> {
    protected boolean tcpEstablished;
    protected boolean tcpClose;
    protected boolean extUnixSk;
    protected boolean shellJob;
    protected boolean fileLocks;
    protected boolean linkRemap;
    protected boolean evasiveDevices;
    protected CriuCgroupMode manageCgroups;
    protected final List<CgroupRoot> cgroupRoots = new ArrayList<>();
    protected int emptyNs;
    protected boolean lazyPages;
    protected int statusFd = -1;
    protected final List<String> externals = new ArrayList<>();
    protected final Map<String, String> extMountMap = new LinkedHashMap<>();
    protected boolean autoExtMounts;
    protected boolean extSharing;
    protected boolean extMasters;
    protected final List<String> skipMounts = new ArrayList<>();
    protected final List<String> enableFs = new ArrayList<>();
    protected boolean orphanPtsMaster;
    protected NetworkLockMethod networkLock;
    protected String configFile;

    SharedOptionsBuilder() {
    }

    /** Takes the shared options of an existing request (for toBuilder). */
    final void copyShared(SharedOptions r) {
        tcpEstablished = r.tcpEstablished();
        tcpClose = r.tcpClose();
        extUnixSk = r.extUnixSk();
        shellJob = r.shellJob();
        fileLocks = r.fileLocks();
        linkRemap = r.linkRemap();
        evasiveDevices = r.evasiveDevices();
        manageCgroups = r.manageCgroups();
        cgroupRoots.addAll(r.cgroupRoots());
        emptyNs = r.emptyNs();
        lazyPages = r.lazyPages();
        statusFd = r.statusFd();
        externals.addAll(r.externals());
        extMountMap.putAll(r.extMountMap());
        autoExtMounts = r.autoExtMounts();
        extSharing = r.extSharing();
        extMasters = r.extMasters();
        skipMounts.addAll(r.skipMounts());
        enableFs.addAll(r.enableFs());
        orphanPtsMaster = r.orphanPtsMaster();
        networkLock = r.networkLock();
        configFile = r.configFile();
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    public B tcpEstablished(boolean v) { tcpEstablished = v; return self(); }
    public B tcpClose(boolean v) { tcpClose = v; return self(); }
    public B extUnixSk(boolean v) { extUnixSk = v; return self(); }
    public B shellJob(boolean v) { shellJob = v; return self(); }
    public B fileLocks(boolean v) { fileLocks = v; return self(); }
    public B linkRemap(boolean v) { linkRemap = v; return self(); }
    public B evasiveDevices(boolean v) { evasiveDevices = v; return self(); }
    public B manageCgroups(CriuCgroupMode v) { manageCgroups = v; return self(); }
    public B cgroupRoot(CgroupRoot v) { cgroupRoots.add(v); return self(); }
    public B emptyNs(int v) { emptyNs = v; return self(); }
    public B lazyPages(boolean v) { lazyPages = v; return self(); }
    public B statusFd(int v) { statusFd = v; return self(); }
    public B external(String v) { externals.add(v); return self(); }
    public B autoExtMounts(boolean v) { autoExtMounts = v; return self(); }
    public B extSharing(boolean v) { extSharing = v; return self(); }
    public B extMasters(boolean v) { extMasters = v; return self(); }
    public B skipMount(String v) { skipMounts.add(v); return self(); }
    public B enableFs(String v) { enableFs.add(v); return self(); }
    public B orphanPtsMaster(boolean v) { orphanPtsMaster = v; return self(); }
    public B networkLock(NetworkLockMethod v) { networkLock = v; return self(); }
    public B configFile(String v) { configFile = v; return self(); }
}
