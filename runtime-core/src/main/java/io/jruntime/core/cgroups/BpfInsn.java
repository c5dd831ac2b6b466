package io.jruntime.core.cgroups;

/**
 * One eBPF instruction (struct bpf_insn): 8-bit opcode, 4-bit dst and src registers, 16-bit offset, 32-bit immediate.
 */
public record BpfInsn(int opcode, int dst, int src, short off, int imm) {
    // instruction classes
    static final int CLASS_LDX = 0x01;
    static final int CLASS_ALU = 0x04;
    static final int CLASS_JMP = 0x05;
    // sizes and modes
    static final int SIZE_W = 0x00;
    static final int MODE_MEM = 0x60;
    // ALU/JMP operations and sources
    static final int OP_AND = 0x50;
    static final int OP_RSH = 0x70;
    static final int OP_MOV = 0xb0;
    static final int OP_JEQ = 0x10;
    static final int OP_JNE = 0x50;
    static final int OP_EXIT = 0x90;
    static final int SRC_K = 0x00;
    static final int SRC_X = 0x08;

    public static final int LDX_MEM_W = CLASS_LDX | MODE_MEM | SIZE_W;      // 0x61
    public static final int ALU32_AND_K = CLASS_ALU | OP_AND | SRC_K;       // 0x54
    public static final int ALU32_RSH_K = CLASS_ALU | OP_RSH | SRC_K;       // 0x74
    public static final int ALU32_MOV_K = CLASS_ALU | OP_MOV | SRC_K;       // 0xb4
    public static final int ALU32_MOV_X = CLASS_ALU | OP_MOV | SRC_X;       // 0xbc
    public static final int JMP_JEQ_K = CLASS_JMP | OP_JEQ | SRC_K;         // 0x15
    public static final int JMP_JNE_K = CLASS_JMP | OP_JNE | SRC_K;         // 0x55
    public static final int JMP_JNE_X = CLASS_JMP | OP_JNE | SRC_X;         // 0x5d
    public static final int JMP_EXIT = CLASS_JMP | OP_EXIT;                 // 0x95

    public BpfInsn {
        if (opcode < 0 || opcode > 0xff || dst < 0 || dst > 10 || src < 0 || src > 10) {
            throw new IllegalArgumentException("bad eBPF instruction " + opcode + " " + dst + " " + src);
        }
    }

    static BpfInsn ldxW(int dst, int src, int off) {
        return new BpfInsn(LDX_MEM_W, dst, src, (short) off, 0);
    }

    static BpfInsn and32(int dst, int imm) {
        return new BpfInsn(ALU32_AND_K, dst, 0, (short) 0, imm);
    }

    static BpfInsn rsh32(int dst, int imm) {
        return new BpfInsn(ALU32_RSH_K, dst, 0, (short) 0, imm);
    }

    static BpfInsn mov32(int dst, int imm) {
        return new BpfInsn(ALU32_MOV_K, dst, 0, (short) 0, imm);
    }

    static BpfInsn mov32Reg(int dst, int src) {
        return new BpfInsn(ALU32_MOV_X, dst, src, (short) 0, 0);
    }

    static BpfInsn jne(int dst, int imm, int off) {
        return new BpfInsn(JMP_JNE_K, dst, 0, (short) off, imm);
    }

    static BpfInsn jeq(int dst, int imm, int off) {
        return new BpfInsn(JMP_JEQ_K, dst, 0, (short) off, imm);
    }

    static BpfInsn jneReg(int dst, int src, int off) {
        return new BpfInsn(JMP_JNE_X, dst, src, (short) off, 0);
    }

    static BpfInsn exit() {
        return new BpfInsn(JMP_EXIT, 0, 0, (short) 0, 0);
    }

    BpfInsn withOff(int o) {
        return new BpfInsn(opcode, dst, src, (short) o, imm);
    }

    boolean isJump() {
        return (opcode & 0x07) == CLASS_JMP && opcode != JMP_EXIT;
    }

    /** The 8 bytes the kernel expects (little-endian, as on every architecture jruntime targets). */
    public void encode(byte[] out, int at) {
        out[at] = (byte) opcode;
        out[at + 1] = (byte) ((src << 4) | dst);
        out[at + 2] = (byte) off;
        out[at + 3] = (byte) (off >> 8);
        out[at + 4] = (byte) imm;
        out[at + 5] = (byte) (imm >> 8);
        out[at + 6] = (byte) (imm >> 16);
        out[at + 7] = (byte) (imm >> 24);
    }

    @Override
    public String toString() {
        return switch (opcode) {
            case LDX_MEM_W -> "r" + dst + " = *(u32 *)(r" + src + " + " + off + ")";
            case ALU32_AND_K -> "w" + dst + " &= 0x" + Integer.toHexString(imm);
            case ALU32_RSH_K -> "w" + dst + " >>= " + imm;
            case ALU32_MOV_K -> "w" + dst + " = " + imm;
            case ALU32_MOV_X -> "w" + dst + " = w" + src;
            case JMP_JEQ_K -> "if r" + dst + " == " + imm + " goto +" + off;
            case JMP_JNE_K -> "if r" + dst + " != " + imm + " goto +" + off;
            case JMP_JNE_X -> "if r" + dst + " != r" + src + " goto +" + off;
            case JMP_EXIT -> "exit";
            default -> String.format("op 0x%02x dst r%d src r%d off %d imm %d", opcode, dst, src, off, imm);
        };
    }
}
