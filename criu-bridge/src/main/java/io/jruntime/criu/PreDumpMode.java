package io.jruntime.criu;

/** How a pre-dump reads memory (criu_pre_dump_mode). */
public enum PreDumpMode {
    /** vmsplice pages into pipes while the tasks are frozen (CRIU's default). */
    SPLICE,
    /** process_vm_readv after unfreezing: shorter freeze time. */
    VM_READ
}
