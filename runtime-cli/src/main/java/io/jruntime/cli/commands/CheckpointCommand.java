package io.jruntime.cli.commands;

import io.jruntime.cli.FlagSpec;
import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.ops.ManageCgroupsMode;
import io.jruntime.core.ops.CheckpointOptions;

public final class CheckpointCommand extends BaseCommand {
    static final FlagSpec SPEC = FlagSpec.command("checkpoint")
            .synopsis("jruntime checkpoint [command options] <container-id>")
            .description("Save the state of a running container with CRIU (images in --image-path, default ./checkpoint).", "")
            .value("image-path", "directory for the CRIU image files")
            .value("work-path", "directory for work files and logs")
            .value("parent-path", "previous (pre-dump) images, relative to the image path")
            .bool("leave-running", "leave the container running after the checkpoint")
            .bool("tcp-established", "allow open TCP connections")
            .bool("ext-unix-sk", "allow external unix sockets")
            .bool("shell-job", "allow shell jobs")
            .bool("lazy-pages", "leave memory pages to be served lazily on restore (userfaultfd)")
            .value("status-fd", "fd CRIU writes \\0 to once lazy pages are ready (default: -1)")
            .value("page-server", "ADDRESS:PORT of a page server")
            .bool("file-locks", "checkpoint file locks")
            .bool("pre-dump", "dump only memory and leave the container running")
            .value("manage-cgroups-mode", "cgroups mode: soft (default), full or strict")
            .list("empty-ns", "namespace to create empty on restore (repeatable)")
            .bool("auto-dedup", "deduplicate memory images automatically")
            .value("export", "jruntime extension: write images, config and external-mount map to this tar archive")
            .bool("with-rootfs", "jruntime extension: with --export, put the rootfs into the archive too")
            .build();

    @Override
    public FlagSpec spec() {
        return SPEC;
    }

    @Override
    public String summary() {
        return "save a running container with CRIU";
    }

    @Override
    protected int execute(Invocation inv) {
        String id = id();
        int fd = int32("status-fd", -1);
        String mode = value("manage-cgroups-mode");
        String image = value("image-path");
        CheckpointOptions o = new CheckpointOptions(id,
                inv.cwd().resolve(image == null || image.isEmpty() ? "checkpoint" : image).normalize(),
                abs(inv, value("work-path")), value("parent-path"), bool("leave-running"), bool("tcp-established"),
                bool("ext-unix-sk"), bool("shell-job"), bool("lazy-pages"), fd, value("page-server"), bool("file-locks"),
                bool("pre-dump"), mode == null || mode.isEmpty() ? null : ManageCgroupsMode.parse(mode), list("empty-ns"),
                bool("auto-dedup"));
        String export = value("export");
        if (export != null && !export.isEmpty()) {
            inv.ops().checkpointExport(inv.global(), o, image != null && !image.isEmpty(), abs(inv, export),
                    bool("with-rootfs"));
        } else if (bool("with-rootfs")) {
            throw new InvalidArgumentException("--with-rootfs is only meaningful with --export");
        } else {
            inv.ops().checkpoint(inv.global(), o);
        }
        return 0;
    }
}
