package io.jruntime.cli.commands;

import io.jruntime.cli.FlagSpec;
import io.jruntime.cli.GoValues;
import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.ops.UpdateOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;

public final class UpdateCommand extends BaseCommand {
    static final FlagSpec SPEC = FlagSpec.command("update")
            .synopsis("jruntime update [command options] <container-id>")
            .description("Change the resource limits of a running container, from flags or from a JSON file",
                    "(--resources FILE, or - for stdin) shaped like the runtime-spec linux.resources object, e.g.",
                    "  {\"memory\": {\"limit\": 268435456, \"swap\": 536870912}, \"cpu\": {\"shares\": 512}}",
                    "When --resources is given the other flags are ignored.", "")
            .value("resources", "r", "file with the resources to set, or - to read them from standard input")
            .value("blkio-weight", "block IO weight, 10 to 1000 (default: 0, unchanged)")
            .value("cpu-period", "CPU CFS period in microseconds (0: system default)")
            .value("cpu-quota", "CPU CFS quota in microseconds per period")
            .value("cpu-share", "CPU shares (relative weight)")
            .value("cpu-rt-period", "CPU real-time period in microseconds (0: system default)")
            .value("cpu-rt-runtime", "CPU real-time runtime in microseconds per period")
            .value("cpuset-cpus", "CPUs to run on, e.g. 0-2,4")
            .value("cpuset-mems", "memory nodes to use")
            .hiddenValue("kernel-memory", "kernel memory limit in bytes (deprecated)")
            .hiddenValue("kernel-memory-tcp", "kernel TCP buffer memory limit in bytes (deprecated)")
            .value("memory", "memory limit in bytes (k, m, g suffixes allowed)")
            .value("memory-reservation", "memory soft limit in bytes")
            .value("memory-swap", "memory plus swap limit in bytes; -1 for unlimited swap")
            .value("pids-limit", "maximum number of processes (default: 0, unchanged)")
            .value("l3-cache-schema", "Intel RDT/CAT L3 cache schema")
            .value("mem-bw-schema", "Intel RDT/MBA memory bandwidth schema")
            .build();

    @Override
    public FlagSpec spec() {
        return SPEC;
    }

    @Override
    public String summary() {
        return "change the resource limits of a container";
    }

    @Override
    protected int execute(Invocation inv) {
        String id = id();
        String blkio = value("blkio-weight");
        String pids = value("pids-limit");
        UpdateOptions o = new UpdateOptions(id, readResources(inv),
                blkio == null ? null : GoValues.parseUint(blkio, "blkio-weight", name()),
                uint("cpu-period"), sint("cpu-quota"), uint("cpu-share"), uint("cpu-rt-period"), sint("cpu-rt-runtime"),
                value("cpuset-cpus"), value("cpuset-mems"), size("kernel-memory"), size("kernel-memory-tcp"),
                size("memory"), size("memory-reservation"), size("memory-swap"),
                pids == null ? null : GoValues.parseInt(pids, "pids-limit", name()),
                value("l3-cache-schema"), value("mem-bw-schema"));
        inv.ops().update(inv.global(), o);
        return 0;
    }

    private String readResources(Invocation inv) {
        String r = value("resources");
        if (r == null) {
            return null;
        }
        try {
            byte[] b = r.equals("-") ? inv.stdin().readAllBytes() : Files.readAllBytes(inv.cwd().resolve(r));
            return new String(b, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new JRuntimeException("open " + r + ": no such file or directory");
        } catch (IOException e) {
            throw new JRuntimeException("read " + r + ": " + e.getMessage(), e);
        }
    }

    /** strconv.ParseUint(v, 10, 64), as runc parses cpu-period, cpu-rt-period and cpu-share. */
    private Long uint(String flag) {
        String v = value(flag);
        if (v == null || v.isEmpty()) {
            return null;
        }
        Long r = GoValues.parseDecimalUint(v);
        if (r == null) {
            throw new InvalidArgumentException("invalid value for " + flag + ": strconv.ParseUint: parsing \"" + v + "\": invalid syntax");
        }
        return r;
    }

    /** strconv.ParseInt(v, 10, 64), as runc parses cpu-quota and cpu-rt-runtime. */
    private Long sint(String flag) {
        String v = value(flag);
        if (v == null || v.isEmpty()) {
            return null;
        }
        Long r = GoValues.parseDecimalInt(v);
        if (r == null) {
            throw new InvalidArgumentException("invalid value for " + flag + ": strconv.ParseInt: parsing \"" + v + "\": invalid syntax");
        }
        return r;
    }

    /** Sizes such as 512m; "-1" is unlimited. */
    private Long size(String flag) {
        String v = value(flag);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.equals("-1")) {
            return -1L;
        }
        Long r = GoValues.ramInBytes(v);
        if (r == null) {
            throw new InvalidArgumentException("invalid value for " + flag + ": invalid size: '" + v + "'");
        }
        return r;
    }
}
