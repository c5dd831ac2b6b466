package io.jruntime.core.cgroups;

import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.cgroups.CgroupResources.DeviceRule;

import java.util.ArrayList;
import java.util.List;

/**
 * A BPF_PROG_TYPE_CGROUP_DEVICE program compiled from device rules, for cgroup v2 (attached with BPF_CGROUP_DEVICE).
 *
 * <p>The rules are first run through {@link DeviceCgroupRules#emulate} so v2 enforces exactly what v1 would; the resulting
 * exceptions all carry the verdict opposite to the default, so the program tests them one after another and returns
 * that verdict on the first match, and the default otherwise. The context is struct bpf_cgroup_dev_ctx
 * {u32 access_type (access &lt;&lt; 16 | type); u32 major; u32 minor}. Allow-exceptions need the requested access to be a
 * subset of theirs, deny-exceptions match on any overlap - as the v1 controller checks them.
 *
 * <p>Register use: r2 = device type, r3 = requested access, r4 = major, r5 = minor, r1 = scratch, r0 = verdict.
 *
 * @param instructions the program
 * @param defaultAllow the verdict when no exception matches
 */
public record DeviceFilter(List<BpfInsn> instructions, boolean defaultAllow) {
    /** BPF_DEVCG_DEV_BLOCK / BPF_DEVCG_DEV_CHAR. */
    public static final int DEV_BLOCK = 1;
    public static final int DEV_CHAR = 2;
    /** Number of instructions before the first rule block. */
    public static final int PROLOGUE_LENGTH = 6;
    /** License string handed to BPF_PROG_LOAD. */
    public static final String LICENSE = "Apache";

    public DeviceFilter {
        instructions = List.copyOf(instructions);
    }

    /** Compiles a spec rule list (applied in order, from a fresh cgroup's allow-all state). */
    public static DeviceFilter compile(List<DeviceRule> rules) {
        return compile(DeviceCgroupRules.emulate(rules));
    }

    /** Compiles an emulated state. */
    public static DeviceFilter compile(DeviceCgroupRules.State state) {
        List<BpfInsn> p = new ArrayList<>();
        p.add(BpfInsn.ldxW(2, 1, 0));
        p.add(BpfInsn.and32(2, 0xFFFF));
        p.add(BpfInsn.ldxW(3, 1, 0));
        p.add(BpfInsn.rsh32(3, 16));
        p.add(BpfInsn.ldxW(4, 1, 4));
        p.add(BpfInsn.ldxW(5, 1, 8));
        int verdict = state.defaultAllow() ? 0 : 1;
        for (DeviceCgroupRules.Entry e : state.exceptions()) {
            List<BpfInsn> block = new ArrayList<>();
            int type = switch (e.type()) {
                case 'c' -> DEV_CHAR;
                case 'b' -> DEV_BLOCK;
                default -> throw new InvalidArgumentException("device rule type '" + e.type() + "' cannot be compiled");
            };
            if (e.major() > Integer.MAX_VALUE || e.minor() > Integer.MAX_VALUE) {
                throw new InvalidArgumentException("device number " + e.text() + " is out of range for the device filter");
            }
            // jump offsets are patched once the block length is known: NEXT marks "skip to the next block"
            block.add(BpfInsn.jne(2, type, NEXT));
            if (e.access() != DeviceCgroupRules.ACC_ALL) {
                block.add(BpfInsn.mov32Reg(1, 3));
                block.add(BpfInsn.and32(1, e.access()));
                if (state.defaultAllow()) {
                    block.add(BpfInsn.jeq(1, 0, NEXT));        // deny exception: no overlap -> not this one
                } else {
                    block.add(BpfInsn.jneReg(1, 3, NEXT));     // allow exception: not a subset -> not this one
                }
            }
            if (e.major() != -1) {
                block.add(BpfInsn.jne(4, (int) e.major(), NEXT));
            }
            if (e.minor() != -1) {
                block.add(BpfInsn.jne(5, (int) e.minor(), NEXT));
            }
            block.add(BpfInsn.mov32(0, verdict));
            block.add(BpfInsn.exit());
            for (int i = 0; i < block.size(); i++) {
                BpfInsn in = block.get(i);
                if (in.isJump() && in.off() == NEXT) {
                    block.set(i, in.withOff(block.size() - i - 1));
                }
            }
            p.addAll(block);
        }
        p.add(BpfInsn.mov32(0, state.defaultAllow() ? 1 : 0));
        p.add(BpfInsn.exit());
        return new DeviceFilter(p, state.defaultAllow());
    }

    private static final short NEXT = Short.MIN_VALUE;

    /** The program as the bytes BPF_PROG_LOAD takes. */
    public byte[] bytecode() {
        byte[] b = new byte[instructions.size() * 8];
        for (int i = 0; i < instructions.size(); i++) {
            instructions.get(i).encode(b, i * 8);
        }
        return b;
    }

    /** Readable listing, one instruction per line. */
    public String disassemble() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < instructions.size(); i++) {
            b.append(String.format("%3d: %s%n", i, instructions.get(i)));
        }
        return b.toString();
    }

    /**
     * Runs the program on one access the way the kernel would (a tiny interpreter for the instructions this compiler
     * emits); returns true when the access is allowed. Used to check the compiler against the v1 emulator.
     */
    public boolean evaluate(int devType, long major, long minor, int access) {
        long[] r = new long[11];
        int[] ctx = {(access << 16) | devType, (int) major, (int) minor};
        int pc = 0;
        for (int steps = 0; steps < 100_000; steps++) {
            BpfInsn in = instructions.get(pc);
            pc++;
            switch (in.opcode()) {
                case BpfInsn.LDX_MEM_W -> r[in.dst()] = Integer.toUnsignedLong(ctx[in.off() / 4]);
                case BpfInsn.ALU32_AND_K -> r[in.dst()] = Integer.toUnsignedLong((int) r[in.dst()] & in.imm());
                case BpfInsn.ALU32_RSH_K -> r[in.dst()] = Integer.toUnsignedLong((int) r[in.dst()] >>> in.imm());
                case BpfInsn.ALU32_MOV_K -> r[in.dst()] = Integer.toUnsignedLong(in.imm());
                case BpfInsn.ALU32_MOV_X -> r[in.dst()] = Integer.toUnsignedLong((int) r[in.src()]);
                case BpfInsn.JMP_JEQ_K -> {
                    if (r[in.dst()] == (long) in.imm()) {
                        pc += in.off();
                    }
                }
                case BpfInsn.JMP_JNE_K -> {
                    if (r[in.dst()] != (long) in.imm()) {
                        pc += in.off();
                    }
                }
                case BpfInsn.JMP_JNE_X -> {
                    if (r[in.dst()] != r[in.src()]) {
                        pc += in.off();
                    }
                }
                case BpfInsn.JMP_EXIT -> {
                    return r[0] != 0;
                }
                default -> throw new IllegalStateException("unexpected instruction " + in);
            }
        }
        throw new IllegalStateException("device filter did not terminate");
    }
}
