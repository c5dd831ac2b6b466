package io.jruntime.core.security.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A classic BPF assembler for seccomp programs: forward jumps to labels, resolved at the end.
 *
 * <p>Conditional jumps encode their targets as 8-bit offsets. Where a target is more than 255 instructions away,
 * {@link #assemble()} inserts an unconditional {@code JA} (32-bit offset) right after the jump and points the jump at
 * it; inserting moves other targets further away, so this repeats until every offset fits. Each conditional jump
 * gets at most two trampolines, so this ends after a few passes.
 */
final class BpfAssembler {
    // linux/filter.h (classic BPF opcodes, all with BPF_K operands)
    static final int LD_W_ABS = 0x20;   // BPF_LD | BPF_W | BPF_ABS
    static final int ALU_AND_K = 0x54;  // BPF_ALU | BPF_AND | BPF_K
    static final int JA = 0x05;         // BPF_JMP | BPF_JA
    static final int JEQ = 0x15;        // BPF_JMP | BPF_JEQ | BPF_K
    static final int JGT = 0x25;        // BPF_JMP | BPF_JGT | BPF_K
    static final int JGE = 0x35;        // BPF_JMP | BPF_JGE | BPF_K
    static final int JSET = 0x45;       // BPF_JMP | BPF_JSET | BPF_K
    static final int RET_K = 0x06;      // BPF_RET | BPF_K

    /** BPF_MAXINSNS: the kernel refuses longer filters. */
    static final int MAX_INSNS = 4096;

    /** A jump target; bound to the instruction emitted after {@link #bind}. */
    static final class Label {
        private Insn target;
    }

    private static final class Insn {
        final int code;
        final int k;
        Label jt;
        Label jf;
        int pos;

        Insn(int code, int k, Label jt, Label jf) {
            this.code = code;
            this.k = k;
            this.jt = jt;
            this.jf = jf;
        }

        boolean conditional() {
            return (code & 0x07) == 0x05 && code != JA;
        }
    }

    private final List<Insn> insns = new ArrayList<>();
    private final List<Label> pending = new ArrayList<>();

    Label label() {
        return new Label();
    }

    /** Binds the label to the next instruction emitted. */
    void bind(Label label) {
        if (label.target != null || pending.contains(label)) {
            throw new IllegalStateException("label bound twice");
        }
        pending.add(label);
    }

    void load(int offset) {
        emit(new Insn(LD_W_ABS, offset, null, null));
    }

    void and(int k) {
        emit(new Insn(ALU_AND_K, k, null, null));
    }

    void ret(int k) {
        emit(new Insn(RET_K, k, null, null));
    }

    void ja(Label target) {
        emit(new Insn(JA, 0, target, null));
    }

    /** A conditional jump; a null target means the next instruction. */
    void jump(int code, int k, Label jt, Label jf) {
        Label next = null;
        if (jt == null || jf == null) {
            next = label();
        }
        emit(new Insn(code, k, jt == null ? next : jt, jf == null ? next : jf));
        if (next != null) {
            bind(next);
        }
    }

    /** Instructions emitted so far (before long-jump fixing). */
    int size() {
        return insns.size();
    }

    private void emit(Insn insn) {
        for (Label label : pending) {
            label.target = insn;
        }
        pending.clear();
        insns.add(insn);
    }

    private static Label at(Insn insn) {
        Label label = new Label();
        label.target = insn;
        return label;
    }

    /** Resolves every jump, adding trampolines for far ones, and returns the instruction count. */
    private List<Insn> layout() {
        if (!pending.isEmpty()) {
            throw new IllegalStateException("label bound past the last instruction");
        }
        List<Insn> code = insns;
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = 0; i < code.size(); i++) {
                code.get(i).pos = i;
            }
            List<Insn> out = new ArrayList<>(code.size() + 16);
            for (Insn insn : code) {
                out.add(insn);
                if (insn.code == JA) {
                    distance(insn, insn.jt);
                } else if (insn.conditional()) {
                    Insn trueTrampoline = null;
                    Insn falseTrampoline = null;
                    if (distance(insn, insn.jt) > 255) {
                        trueTrampoline = new Insn(JA, 0, insn.jt, null);
                        insn.jt = at(trueTrampoline);
                    }
                    if (distance(insn, insn.jf) > 255) {
                        falseTrampoline = new Insn(JA, 0, insn.jf, null);
                        insn.jf = at(falseTrampoline);
                    }
                    if (trueTrampoline != null) {
                        out.add(trueTrampoline);
                    }
                    if (falseTrampoline != null) {
                        out.add(falseTrampoline);
                    }
                    changed |= trueTrampoline != null || falseTrampoline != null;
                }
            }
            code = out;
        }
        for (int i = 0; i < code.size(); i++) {
            code.get(i).pos = i;
        }
        return code;
    }

    private static int distance(Insn from, Label to) {
        if (to.target == null) {
            throw new IllegalStateException("jump to an unbound label");
        }
        int d = to.target.pos - from.pos - 1;
        if (d < 0) {
            throw new IllegalStateException("backward jump in a seccomp program");
        }
        return d;
    }

    /**
     * The program as {@code struct sock_filter[]} bytes ({@code u16 code; u8 jt; u8 jf; u32 k}, little-endian).
     * The caller checks the length against {@link #MAX_INSNS}.
     */
    byte[] assemble() {
        List<Insn> code = layout();
        ByteBuffer buf = ByteBuffer.allocate(code.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (Insn insn : code) {
            int jt = 0;
            int jf = 0;
            int k = insn.k;
            if (insn.code == JA) {
                k = distance(insn, insn.jt);
            } else if (insn.conditional()) {
                jt = distance(insn, insn.jt);
                jf = distance(insn, insn.jf);
            }
            buf.putShort((short) insn.code).put((byte) jt).put((byte) jf).putInt(k);
        }
        return buf.array();
    }
}
