package io.jruntime.cli.commands;

import io.jruntime.cli.FlagSpec;
import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.ops.ManageCgroupsMode;
import io.jruntime.core.ops.RestoreOptions;
import io.jruntime.criu.migrate.TargetBundle;

import java.util.List;

public final class RestoreCommand extends BaseCommand {
    static final FlagSpec SPEC = FlagSpec.command("restore")
            .synopsis("jruntime restore [command options] <container-id>")
            .description("Restore a container from a checkpoint made by `jruntime checkpoint`, then wait for it",
                    "(unless --detach).", "")
            .value("console-socket", "AF_UNIX socket that receives the master end of the console's pseudo-terminal")
            .value("image-path", "directory of the CRIU image files")
            .value("work-path", "directory for work files and logs")
            .bool("tcp-established", "allow open TCP connections")
            .bool("ext-unix-sk", "allow external unix sockets")
            .bool("shell-job", "allow shell jobs")
            .bool("file-locks", "restore file locks")
            .value("manage-cgroups-mode", "cgroups mode: soft (default), full or strict")
            .value("bundle", "b", "path to the bundle directory")
            .bool("detach", "d", "detach from the container's process")
            .value("pid-file", "file to write the process id to")
            .bool("no-subreaper", "do not act as subreaper of re-parented processes")
            .bool("no-pivot", "do not use pivot_root to jail the process (for a rootfs on a ramdisk)")
            .bool("no-new-keyring", "do not create a new session keyring (jruntime extension: Podman may pass it)")
            .list("empty-ns", "namespace to create empty (repeatable)")
            .bool("auto-dedup", "deduplicate memory images automatically")
            .bool("lazy-pages", "serve memory pages lazily (userfaultfd)")
            .value("lsm-profile", "LSM profile to restore with, TYPE:NAME")
            .value("lsm-mount-context", "LSM mount context to restore with")
            .value("import", "jruntime extension: restore from an archive written by checkpoint --export")
            .list("mount", "jruntime extension: DEST=SOURCE, the source of the bind mount at DEST (repeatable)")
            .build();

    @Override
    public FlagSpec spec() {
        return SPEC;
    }

    @Override
    public String summary() {
        return "restore a container from a checkpoint";
    }

    @Override
    protected int execute(Invocation inv) {
        String id = id();
        String mode = value("manage-cgroups-mode");
        String image = value("image-path");
        RestoreOptions o = new RestoreOptions(id, absOrCwd(inv, value("bundle")),
                path(value("console-socket")),
                inv.cwd().resolve(image == null || image.isEmpty() ? "checkpoint" : image).normalize(),
                abs(inv, value("work-path")), bool("tcp-established"), bool("ext-unix-sk"), bool("shell-job"),
                bool("file-locks"), mode == null || mode.isEmpty() ? null : ManageCgroupsMode.parse(mode), bool("detach"),
                abs(inv, value("pid-file")), bool("no-subreaper"), bool("no-pivot"), bool("no-new-keyring"),
                list("empty-ns"), bool("auto-dedup"), bool("lazy-pages"), value("lsm-profile"),
                value("lsm-mount-context"));
        String archive = value("import");
        List<String> mounts = list("mount");
        if ((archive == null || archive.isEmpty()) && mounts.isEmpty()) {
            return inv.ops().restore(inv.global(), o);
        }
        if (archive != null && !archive.isEmpty() && image != null && !image.isEmpty()) {
            throw new InvalidArgumentException("--import and --image-path cannot be combined: the images are in the archive");
        }
        return inv.ops().restoreMoved(inv.global(), o, archive == null || archive.isEmpty() ? null : abs(inv, archive),
                TargetBundle.MountOverride.parseAll("mount", mounts, inv.cwd()));
    }
}
