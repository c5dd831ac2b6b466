package io.jruntime.criu.migrate;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.RuntimeContext;
import io.jruntime.core.lifecycle.BundleConfig;
import io.jruntime.core.ops.CheckpointOptions;
import io.jruntime.core.ops.RestoreOptions;
import io.jruntime.core.state.ContainerState;
import io.jruntime.core.state.StateStore;
import io.jruntime.core.sys.Caller;
import io.jruntime.criu.CriuClient;
import io.jruntime.criu.container.ContainerCheckpoint;
import io.jruntime.criu.container.ContainerRestore;
import io.jruntime.criu.container.ExternalMounts;
import io.jruntime.spec.SpecIO;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The offline way to move a container: {@code checkpoint --export FILE} writes one tar archive with CRIU's images,
 * the container's config.json, a manifest (the external mounts by destination, with the source each had here) and,
 * with {@code --with-rootfs}, the rootfs; {@code restore --import FILE} restores it from another bundle, whose own
 * config.json (if it has one) describes the new host, with {@code --mount DEST=SOURCE} replacing bind sources.
 *
 * <p>Layout: {@code jruntime-export.json}, {@code config.json}, {@code images/...}, optionally {@code rootfs/...}.
 * The archive is written next to FILE and renamed into place, mode 0600 (it holds the container's memory).
 */
public final class CheckpointArchive {
    static final String MANIFEST = "jruntime-export.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param format     archive layout version (1)
     * @param id         the container's id where it was exported
     * @param criu       CRIU version that wrote the images
     * @param withRootfs whether rootfs/ is in the archive
     * @param externals  external mount destination to the source it had on the exporting host (for the reader)
     */
    public record Manifest(int format, String id, String criu, boolean withRootfs, Map<String, String> externals) {
    }

    private CheckpointArchive() {
    }

    /**
     * Checkpoints as {@code checkpoint} would (the images go to a staging directory unless {@code imagesGiven}), then
     * packs. If packing fails after the container was stopped, the images stay where they are and the error says so.
     */
    public static void export(RuntimeContext ctx, CheckpointOptions o, boolean imagesGiven, String criuPath, Path file,
                              boolean withRootfs) {
        if (o.preDump() || o.lazyPages() || (o.pageServer() != null && !o.pageServer().isEmpty())) {
            throw new InvalidArgumentException("--export cannot be combined with --pre-dump, --lazy-pages or --page-server");
        }
        StateStore store = ctx.store();
        ContainerState s = store.load(o.id());
        byte[] config;
        try {
            config = Files.readAllBytes(store.dir(o.id()).resolve(StateStore.CONFIG_COPY));
        } catch (IOException e) {
            throw new JRuntimeException("container " + o.id() + " has no saved config.json: " + e.getMessage(), e);
        }
        ExternalMounts ext = ExternalMounts.ofContainer(ctx, o.id());
        Path out = file.toAbsolutePath().normalize();
        Path stage = LocalFiles.privateDir(out.getParent(), ".jruntime-export-");
        Path images = imagesGiven ? o.imagePath() : stage.resolve("images");
        CheckpointOptions dump = new CheckpointOptions(o.id(), images, o.workPath(), o.parentPath(), o.leaveRunning(),
                o.tcpEstablished(), o.extUnixSk(), o.shellJob(), false, -1, null, o.fileLocks(), false,
                o.manageCgroupsMode(), o.emptyNs(), o.autoDedup());
        try {
            ContainerCheckpoint.checkpoint(ctx, dump, criuPath);
        } catch (RuntimeException e) {
            LocalFiles.deleteQuietly(stage, e);
            throw e;
        }
        try {
            String criu = CriuClient.open(criuPath).version().toString();
            Files.write(stage.resolve(MANIFEST), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(
                    new Manifest(1, o.id(), criu, withRootfs, ext.externals())));
            Files.write(stage.resolve("config.json"), config);
            Path tmp = stage.resolve("archive.tar");
            LocalFiles.run("export", LocalFiles.tar("--create", "--file", tmp.toString(), "-C", stage.toString(),
                    MANIFEST, "config.json"));
            LocalFiles.run("export", LocalFiles.tar("--append", "--file", tmp.toString(), "-C",
                    images.getParent().toString(), "--transform", "s|^" + images.getFileName() + "|images|",
                    images.getFileName().toString()));
            if (withRootfs) {
                LocalFiles.run("export", LocalFiles.tar("--append", "--file", tmp.toString(), "-C", s.rootfs(),
                        "--transform", "s|^\\.|rootfs|", "."));
            }
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            String where = o.leaveRunning() ? "the container is still running"
                    : "the container was checkpointed and stopped; its images are in " + images
                    + " (jruntime restore --image-path " + images + ")";
            if (o.leaveRunning()) {
                LocalFiles.deleteQuietly(stage, e);
            }
            throw new JRuntimeException("--export " + out + ": " + e.getMessage() + "; " + where, e);
        }
        LocalFiles.deleteTree(stage);
    }

    /**
     * Unpacks the archive into a staging directory inside the bundle, provides the bundle's config.json and rootfs
     * from it where the bundle has none, checks every external mount against the bundle (before CRIU runs), and
     * restores. Whatever this made in the bundle is removed again on failure; the staging directory always.
     */
    public static ContainerState importAndRestore(RuntimeContext ctx, RestoreOptions o, Path file,
                                                  List<TargetBundle.MountOverride> overrides, String criuPath,
                                                  IntConsumer terminalSink, Caller caller) {
        Path archive = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(archive)) {
            throw new InvalidArgumentException("--import " + archive + ": no such file");
        }
        Path bundle = o.bundle().toAbsolutePath().normalize();
        Path stage = LocalFiles.privateDir(bundle, ".jruntime-import-");
        boolean wroteConfig = false;
        Path movedRootfs = null;
        try {
            LocalFiles.run("import", LocalFiles.tar("--extract", "--file", archive.toString(), "-C", stage.toString()));
            Path manifestFile = stage.resolve(MANIFEST);
            if (!Files.isRegularFile(manifestFile)) {
                throw new InvalidArgumentException("--import " + archive + ": not a jruntime checkpoint archive (no " + MANIFEST + ")");
            }
            Manifest m = JSON.readValue(manifestFile.toFile(), Manifest.class);
            if (m.format() != 1) {
                throw new InvalidArgumentException("--import " + archive + ": archive format " + m.format() + " is not supported");
            }
            wroteConfig = TargetBundle.provideConfig(bundle, Files.readAllBytes(stage.resolve("config.json")));
            if (m.withRootfs()) {
                String root = SpecIO.read(bundle.resolve("config.json")).root().path();
                Path rootfs = bundle.resolve(root).normalize();
                if (Files.exists(rootfs)) {
                    throw new InvalidArgumentException("--import " + archive + ": the archive carries a rootfs but " + rootfs
                            + " already exists (remove it, or restore into another bundle)");
                }
                Files.createDirectories(rootfs.getParent());
                LocalFiles.run("import", List.of("mv", "-T", stage.resolve("rootfs").toString(), rootfs.toString()));
                movedRootfs = rootfs;
            }
            return restoreStaged(ctx, o, stage.resolve("images"), overrides, stage.resolve("work"), criuPath,
                    terminalSink, caller);
        } catch (IOException | RuntimeException e) {
            if (movedRootfs != null) {
                LocalFiles.deleteQuietly(movedRootfs, e);
            }
            if (wroteConfig) {
                LocalFiles.deleteQuietly(bundle.resolve("config.json"), e);
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new JRuntimeException("--import " + archive + ": " + e.getMessage(), e);
        } finally {
            LocalFiles.deleteTree(stage);
        }
    }

    /** {@code restore --mount DEST=SOURCE} without an archive: the images where they are, bind sources replaced. */
    public static ContainerState restoreWithMounts(RuntimeContext ctx, RestoreOptions o,
                                                   List<TargetBundle.MountOverride> overrides, String criuPath,
                                                   IntConsumer terminalSink, Caller caller) {
        Path work = o.workPath() != null ? o.workPath() : o.imagePath();
        return restoreStaged(ctx, o, o.imagePath(), overrides, work, criuPath, terminalSink, caller);
    }

    /**
     * Restores images received from elsewhere into {@code o.bundle()}: the bundle's config with the overrides,
     * refused with every missing piece named (by destination and path) before CRIU runs.
     */
    static ContainerState restoreStaged(RuntimeContext ctx, RestoreOptions o, Path images,
                                        List<TargetBundle.MountOverride> overrides, Path stageWork, String criuPath,
                                        IntConsumer terminalSink, Caller caller) {
        BundleConfig bc = TargetBundle.load(ctx, o.bundle(), overrides, stageWork);
        ExternalMounts recorded = ExternalMounts.recordedIn(images);
        if (recorded != null) {
            List<String> problems = recorded.problemsOn(bc);
            if (!problems.isEmpty()) {
                throw new InvalidArgumentException("cannot restore into " + bc.bundle() + ": " + String.join("; ", problems));
            }
        }
        RestoreOptions r = new RestoreOptions(o.id(), o.bundle(), o.consoleSocket(), images,
                o.workPath() != null ? o.workPath() : stageWork, o.tcpEstablished(), o.extUnixSk(), o.shellJob(),
                o.fileLocks(), o.manageCgroupsMode(), o.detach(), o.pidFile(), o.noSubreaper(), o.noPivot(),
                o.noNewKeyring(), o.emptyNs(), o.autoDedup(), o.lazyPages(), o.lsmProfile(), o.lsmMountContext());
        return ContainerRestore.restore(ctx, r, bc, criuPath, terminalSink, caller);
    }
}
