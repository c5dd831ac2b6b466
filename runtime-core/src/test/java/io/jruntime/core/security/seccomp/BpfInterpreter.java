package io.jruntime.core.security.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A classic BPF interpreter for seccomp programs, for tests: runs a {@code struct sock_filter[]} on a synthetic
 * {@code struct seccomp_data} and returns the SECCOMP_RET_* value. {@link #verify} applies the kernel's load-time
 * checks (bpf_check_classic + seccomp_check_filter) so that a program that passes here also loads.
 */
final class BpfInterpreter {
    static final int SECCOMP_DATA_SIZE = 64;

    private final int[] code;
    private final int[] jt;
    private final int[] jf;
    private final int[] k;
    /** Instructions executed by the last {@link #run}. */
    int steps;

    BpfInterpreter(byte[] program) {
        if (program.length % 8 != 0) {
            throw new IllegalArgumentException("program length " + program.length + " is not a multiple of 8");
        }
        int n = program.length / 8;
        code = new int[n];
        jt = new int[n];
        jf = new int[n];
        k = new int[n];
        ByteBuffer buf = ByteBuffer.wrap(program).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            code[i] = buf.getShort() & 0xffff;
            jt[i] = buf.get() & 0xff;
            jf[i] = buf.get() & 0xff;
            k[i] = buf.getInt();
        }
    }

    int length() {
        return code.length;
    }

    int code(int i) {
        return code[i];
    }

    int k(int i) {
        return k[i];
    }

    /** The kernel's checks; throws IllegalStateException describing the first violation. */
    void verify() {
        int n = code.length;
        if (n == 0 || n > 4096) {
            throw new IllegalStateException("program length " + n + " outside 1..4096");
        }
        for (int i = 0; i < n; i++) {
            int c = code[i];
            switch (c) {
                case 0x20 -> { // LD W ABS: seccomp only allows aligned loads inside seccomp_data
                    if ((k[i] & 3) != 0 || k[i] < 0 || k[i] >= SECCOMP_DATA_SIZE) {
                        throw new IllegalStateException("insn " + i + ": bad load offset " + k[i]);
                    }
                }
                case 0x80, 0x81, 0x00, 0x01, 0x60, 0x61, 0x02, 0x03, 0x06, 0x16, 0x07, 0x87 -> {
                    if ((c == 0x60 || c == 0x61 || c == 0x02 || c == 0x03) && (k[i] < 0 || k[i] >= 16)) {
                        throw new IllegalStateException("insn " + i + ": bad scratch slot " + k[i]);
                    }
                }
                case 0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c, 0x44, 0x4c, 0x54, 0x5c, 0x64, 0x6c, 0x74, 0x7c,
                     0x84, 0x94, 0x9c, 0xa4, 0xac -> {
                    if ((c == 0x34 || c == 0x94) && k[i] == 0) {
                        throw new IllegalStateException("insn " + i + ": division by constant zero");
                    }
                }
                case 0x05 -> {
                    if (Integer.toUnsignedLong(k[i]) >= n - i - 1) {
                        throw new IllegalStateException("insn " + i + ": JA out of range");
                    }
                }
                case 0x15, 0x1d, 0x25, 0x2d, 0x35, 0x3d, 0x45, 0x4d -> {
                    if (i + 1 + jt[i] >= n || i + 1 + jf[i] >= n) {
                        throw new IllegalStateException("insn " + i + ": conditional jump out of range");
                    }
                }
                default -> throw new IllegalStateException("insn " + i + ": opcode 0x" + Integer.toHexString(c)
                        + " not allowed in seccomp filters");
            }
        }
        int last = code[n - 1];
        if (last != 0x06 && last != 0x16) {
            throw new IllegalStateException("program does not end in a return");
        }
    }

    /** Runs the filter for a syscall; args are the six 64-bit arguments (missing ones are 0). */
    int run(int arch, int nr, long... args) {
        ByteBuffer data = ByteBuffer.allocate(SECCOMP_DATA_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        data.putInt(0, nr).putInt(4, arch).putLong(8, 0x7f0000001000L);
        for (int i = 0; i < args.length; i++) {
            data.putLong(16 + 8 * i, args[i]);
        }
        int a = 0;
        int x = 0;
        int[] mem = new int[16];
        steps = 0;
        int pc = 0;
        while (true) {
            if (pc >= code.length) {
                throw new IllegalStateException("ran off the end of the program");
            }
            steps++;
            int c = code[pc];
            int kk = k[pc];
            int next = pc + 1;
            switch (c) {
                case 0x20 -> a = data.getInt(kk);
                case 0x80 -> a = SECCOMP_DATA_SIZE;
                case 0x81 -> x = SECCOMP_DATA_SIZE;
                case 0x00 -> a = kk;
                case 0x01 -> x = kk;
                case 0x60 -> a = mem[kk];
                case 0x61 -> x = mem[kk];
                case 0x02 -> mem[kk] = a;
                case 0x03 -> mem[kk] = x;
                case 0x07 -> x = a;
                case 0x87 -> a = x;
                case 0x04 -> a += kk;
                case 0x0c -> a += x;
                case 0x14 -> a -= kk;
                case 0x1c -> a -= x;
                case 0x24 -> a *= kk;
                case 0x2c -> a *= x;
                case 0x34 -> a = Integer.divideUnsigned(a, kk);
                case 0x3c -> {
                    if (x == 0) {
                        return 0;
                    }
                    a = Integer.divideUnsigned(a, x);
                }
                case 0x44 -> a |= kk;
                case 0x4c -> a |= x;
                case 0x54 -> a &= kk;
                case 0x5c -> a &= x;
                case 0x64 -> a = kk >= 32 ? 0 : a << kk;
                case 0x6c -> a = x >= 32 ? 0 : a << x;
                case 0x74 -> a = kk >= 32 ? 0 : a >>> kk;
                case 0x7c -> a = x >= 32 ? 0 : a >>> x;
                case 0x84 -> a = -a;
                case 0x94 -> a = Integer.remainderUnsigned(a, kk);
                case 0x9c -> {
                    if (x == 0) {
                        return 0;
                    }
                    a = Integer.remainderUnsigned(a, x);
                }
                case 0xa4 -> a ^= kk;
                case 0xac -> a ^= x;
                case 0x05 -> next = pc + 1 + kk;
                case 0x15 -> next = pc + 1 + (a == kk ? jt[pc] : jf[pc]);
                case 0x1d -> next = pc + 1 + (a == x ? jt[pc] : jf[pc]);
                case 0x25 -> next = pc + 1 + (Integer.compareUnsigned(a, kk) > 0 ? jt[pc] : jf[pc]);
                case 0x2d -> next = pc + 1 + (Integer.compareUnsigned(a, x) > 0 ? jt[pc] : jf[pc]);
                case 0x35 -> next = pc + 1 + (Integer.compareUnsigned(a, kk) >= 0 ? jt[pc] : jf[pc]);
                case 0x3d -> next = pc + 1 + (Integer.compareUnsigned(a, x) >= 0 ? jt[pc] : jf[pc]);
                case 0x45 -> next = pc + 1 + ((a & kk) != 0 ? jt[pc] : jf[pc]);
                case 0x4d -> next = pc + 1 + ((a & x) != 0 ? jt[pc] : jf[pc]);
                case 0x06 -> {
                    return kk;
                }
                case 0x16 -> {
                    return a;
                }
                default -> throw new IllegalStateException("opcode 0x" + Integer.toHexString(c) + " at " + pc);
            }
            pc = next;
        }
    }
}
