package io.jruntime.core.security.seccomp;

import java.util.Arrays;
import java.util.List;

/**
 * A compiled seccomp filter, ready for {@code seccomp(SECCOMP_SET_MODE_FILTER, flags, &prog)}.
 *
 * @param filter          the {@code struct sock_filter[]} array, 8 little-endian bytes per instruction
 * @param flags           {@code SECCOMP_FILTER_FLAG_*} bits for seccomp(2); includes NEW_LISTENER when
 *                        {@code needsListener}
 * @param needsListener   a rule uses SCMP_ACT_NOTIFY: seccomp(2) returns a notify fd that must go to the agent at
 *                        {@code linux.seccomp.listenerPath}
 * @param skippedSyscalls syscall names (config order, no duplicates) that exist on none of the filter's
 *                        architectures; their rules were left out, as runc does
 */
public record SeccompProgram(byte[] filter, long flags, boolean needsListener, List<String> skippedSyscalls) {

    public SeccompProgram {
        filter = filter.clone();
        skippedSyscalls = List.copyOf(skippedSyscalls);
    }

    @Override
    public byte[] filter() {
        return filter.clone();
    }

    /** Number of BPF instructions ({@code sock_fprog.len}). */
    public int instructionCount() {
        return filter.length / 8;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeccompProgram p && Arrays.equals(filter, p.filter) && flags == p.flags
                && needsListener == p.needsListener && skippedSyscalls.equals(p.skippedSyscalls);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(filter) * 31 + Long.hashCode(flags);
    }

    @Override
    public String toString() {
        return "SeccompProgram[" + instructionCount() + " instructions, flags=0x" + Long.toHexString(flags)
                + ", needsListener=" + needsListener + ", skippedSyscalls=" + skippedSyscalls + "]";
    }
}
