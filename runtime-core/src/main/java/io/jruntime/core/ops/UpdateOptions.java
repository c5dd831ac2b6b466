package io.jruntime.core.ops;

import java.util.Objects;

/**
 * {@code update [--resources/-r FILE|-] [resource flags] <id>}. Every field but id is null when not given.
 * As in runc, when {@code resourcesJson} is present the resource flags are ignored (runc documents "all other
 * options are ignored"); the CLI still parses and validates them.
 *
 * @param resourcesJson     content of the {@code --resources} file, or of stdin for {@code -}: a runtime-spec
 *                          LinuxResources-like object, e.g. {"memory":{"limit":268435456},"cpu":{"shares":512}}
 * @param blkioWeight       {@code --blkio-weight} (10..1000; 0 means unchanged, as runc)
 * @param cpuPeriod         {@code --cpu-period} in microseconds
 * @param cpuQuota          {@code --cpu-quota} in microseconds (may be -1)
 * @param cpuShares         {@code --cpu-share}
 * @param cpuRtPeriod       {@code --cpu-rt-period} in microseconds
 * @param cpuRtRuntime      {@code --cpu-rt-runtime} in microseconds
 * @param cpusetCpus        {@code --cpuset-cpus}, e.g. "0-2,4"
 * @param cpusetMems        {@code --cpuset-mems}
 * @param kernelMemory      {@code --kernel-memory} in bytes (deprecated by the kernel; accepted as runc does)
 * @param kernelMemoryTcp   {@code --kernel-memory-tcp} in bytes
 * @param memory            {@code --memory} in bytes ("512m"-style sizes are converted; -1 = unlimited)
 * @param memoryReservation {@code --memory-reservation} in bytes
 * @param memorySwap        {@code --memory-swap} in bytes, memory + swap; -1 = unlimited
 * @param pidsLimit         {@code --pids-limit}
 * @param l3CacheSchema     {@code --l3-cache-schema} (Intel RDT/CAT)
 * @param memBwSchema       {@code --mem-bw-schema} (Intel RDT/MBA)
 */
public record UpdateOptions(
        String id,
        String resourcesJson,
        Long blkioWeight,
        Long cpuPeriod,
        Long cpuQuota,
        Long cpuShares,
        Long cpuRtPeriod,
        Long cpuRtRuntime,
        String cpusetCpus,
        String cpusetMems,
        Long kernelMemory,
        Long kernelMemoryTcp,
        Long memory,
        Long memoryReservation,
        Long memorySwap,
        Long pidsLimit,
        String l3CacheSchema,
        String memBwSchema) {

    public UpdateOptions {
        Objects.requireNonNull(id, "id");
    }
}
