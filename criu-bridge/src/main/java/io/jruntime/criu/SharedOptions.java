package io.jruntime.criu;

import java.util.List;
import java.util.Map;

/**
 * The criu_opts a dump and a restore both carry, with the same meaning on both sides; {@link DumpRequest} and
 * {@link RestoreRequest} implement it with their record accessors, {@link SharedOptionsBuilder} holds it while
 * they are built, and {@link CriuClient} maps it once.
 */
interface SharedOptions {
    boolean tcpEstablished();

    boolean tcpClose();

    boolean extUnixSk();

    boolean shellJob();

    boolean fileLocks();

    boolean linkRemap();

    boolean evasiveDevices();

    CriuCgroupMode manageCgroups();

    List<CgroupRoot> cgroupRoots();

    int emptyNs();

    boolean lazyPages();

    int statusFd();

    List<String> externals();

    Map<String, String> extMountMap();

    boolean autoExtMounts();

    boolean extSharing();

    boolean extMasters();

    List<String> skipMounts();

    List<String> enableFs();

    boolean orphanPtsMaster();

    NetworkLockMethod networkLock();

    String configFile();
}
