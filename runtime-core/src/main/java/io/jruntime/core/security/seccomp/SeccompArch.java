package io.jruntime.core.security.seccomp;

import io.jruntime.core.NotImplementedException;

import java.util.Locale;

/**
 * The seccomp architectures jruntime has syscall tables for, with the {@code AUDIT_ARCH_*} value the kernel puts in
 * {@code seccomp_data.arch} (linux/audit.h).
 *
 * <p>x32 shares {@code AUDIT_ARCH_X86_64} with x86_64; its syscall numbers carry {@link #X32_SYSCALL_BIT}. As in
 * libseccomp, argument comparisons for the 32-bit ABIs (x86, x32, arm) only look at the low 32 bits of an argument
 * and of the configured value.
 */
public enum SeccompArch {
    X86_64("SCMP_ARCH_X86_64", "x86_64", 0xC000003E, true),
    X86("SCMP_ARCH_X86", "x86", 0x40000003, false),
    X32("SCMP_ARCH_X32", "x32", 0xC000003E, false),
    AARCH64("SCMP_ARCH_AARCH64", "aarch64", 0xC00000B7, true),
    ARM("SCMP_ARCH_ARM", "arm", 0x40000028, false);

    /** {@code __X32_SYSCALL_BIT}: set in the syscall number of every x32 syscall. */
    public static final int X32_SYSCALL_BIT = 0x40000000;

    private final String scmpName;
    private final String tableName;
    private final int auditArch;
    private final boolean args64;

    SeccompArch(String scmpName, String tableName, int auditArch, boolean args64) {
        this.scmpName = scmpName;
        this.tableName = tableName;
        this.auditArch = auditArch;
        this.args64 = args64;
    }

    /** The name config.json uses, e.g. {@code SCMP_ARCH_X86_64}. */
    public String scmpName() {
        return scmpName;
    }

    /** The section name in the generated syscall table resource. */
    String tableName() {
        return tableName;
    }

    /** {@code AUDIT_ARCH_*} as seen in {@code seccomp_data.arch}. */
    public int auditArch() {
        return auditArch;
    }

    /** Whether argument comparisons use all 64 bits (false: only the low 32 bits, as libseccomp does). */
    public boolean args64() {
        return args64;
    }

    /** The architecture for an {@code SCMP_ARCH_*} name, or null if jruntime has no syscall table for it. */
    public static SeccompArch fromScmpName(String name) {
        for (SeccompArch arch : values()) {
            if (arch.scmpName.equals(name)) {
                return arch;
            }
        }
        return null;
    }

    /**
     * The architecture of this JVM's process (the one libseccomp calls native).
     *
     * @throws NotImplementedException on a host architecture without a syscall table
     */
    public static SeccompArch nativeArch() {
        String osArch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return switch (osArch) {
            case "amd64", "x86_64" -> X86_64;
            case "aarch64", "arm64" -> AARCH64;
            case "x86", "i386", "i486", "i586", "i686" -> X86;
            case "arm", "armv7l", "armhf" -> ARM;
            default -> throw new NotImplementedException("seccomp filters on " + osArch
                    + " (jruntime has syscall tables for x86_64, x86, x32, aarch64 and arm)");
        };
    }
}
