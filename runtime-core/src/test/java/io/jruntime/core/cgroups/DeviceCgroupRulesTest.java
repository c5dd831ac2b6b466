package io.jruntime.core.cgroups;

import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.cgroups.CgroupResources.DeviceRule;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.jruntime.core.cgroups.DeviceCgroupRules.ACC_MKNOD;
import static io.jruntime.core.cgroups.DeviceCgroupRules.ACC_READ;
import static io.jruntime.core.cgroups.DeviceCgroupRules.ACC_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceCgroupRulesTest {
    @Test
    void allowListInOrder() {
        List<DeviceRule> rules = List.of(
                DeviceRule.denyAll(),
                DeviceRule.allow("c", 1L, 3L, "rwm"),
                DeviceRule.allow("c", 1L, 5L, "rw"),
                DeviceRule.allow("c", 136L, null, "rwm"),
                DeviceRule.deny("c", 1L, 5L, "w"),
                DeviceRule.allow("b", -1L, -1L, "m"));
        DeviceCgroupRules.State s = DeviceCgroupRules.emulate(rules);
        assertFalse(s.defaultAllow());
        assertEquals(List.of("c 1:3 rwm", "c 1:5 r", "c 136:* rwm", "b *:* m"), s.listText());
        assertTrue(s.permits('c', 1, 3, ACC_READ | ACC_WRITE));
        assertTrue(s.permits('c', 1, 5, ACC_READ));
        assertFalse(s.permits('c', 1, 5, ACC_WRITE));
        assertTrue(s.permits('c', 136, 7, ACC_READ));
        assertTrue(s.permits('b', 8, 0, ACC_MKNOD));
        assertFalse(s.permits('b', 8, 0, ACC_READ));
        assertFalse(s.permits('c', 1, 7, ACC_READ));
    }

    @Test
    void denyListAfterAllowAll() {
        DeviceCgroupRules.State s = DeviceCgroupRules.emulate(List.of(
                DeviceRule.allow(null, null, null, null),
                DeviceRule.deny("b", 8L, null, "w"),
                DeviceRule.deny("c", 10L, 200L, "rwm"),
                DeviceRule.allow("c", 10L, 200L, "r")));
        assertTrue(s.defaultAllow());
        assertEquals(List.of("a *:* rwm"), s.listText(), "v1 shows only the default in allow mode");
        assertEquals(List.of(new DeviceCgroupRules.Entry('b', 8, -1, ACC_WRITE), new DeviceCgroupRules.Entry('c', 10, 200, ACC_WRITE | ACC_MKNOD)),
                s.exceptions());
        assertFalse(s.permits('b', 8, 1, ACC_READ | ACC_WRITE), "partial overlap with a deny entry denies");
        assertTrue(s.permits('b', 8, 1, ACC_READ));
        assertTrue(s.permits('c', 10, 200, ACC_READ));
        assertFalse(s.permits('c', 10, 200, ACC_MKNOD));
    }

    @Test
    void removalIsExactMatchOnly() {
        // like the kernel: denying 1:3 does not punch a hole into a c *:* allow entry
        DeviceCgroupRules.State s = DeviceCgroupRules.emulate(List.of(DeviceRule.allow("c", null, null, "rwm"), DeviceRule.deny("c", 1L, 3L, "rwm")));
        assertEquals(List.of("c *:* rwm"), s.listText());
    }

    @Test
    void textForms() {
        assertEquals("a", DeviceCgroupRules.v1Text(DeviceRule.denyAll(), 0));
        assertEquals("c 1:3 rwm", DeviceCgroupRules.v1Text(DeviceRule.allow("c", 1L, 3L, null), 0));
        assertEquals("b *:* m", DeviceCgroupRules.v1Text(DeviceRule.allow("b", -1L, null, "m"), 0));
        DeviceCgroupRules.State parsed = DeviceCgroupRules.parseList("c 1:3 rwm\nc 136:* rw\n");
        assertFalse(parsed.defaultAllow());
        assertEquals(List.of("c 1:3 rwm", "c 136:* rw"), parsed.listText());
        assertTrue(DeviceCgroupRules.parseList("a *:* rwm\n").defaultAllow());
    }

    @Test
    void badRulesNameTheIndex() {
        var e = assertThrows(InvalidArgumentException.class,
                () -> DeviceCgroupRules.emulate(List.of(DeviceRule.denyAll(), DeviceRule.allow("u", 1L, 1L, "r"))));
        assertTrue(e.getMessage().startsWith("linux.resources.devices[1].type"), e.getMessage());
    }

    @Test
    void accessLettersOtherThanRwmAreDroppedAsRuncDrops() {
        assertEquals(List.of("c 1:1 r"), DeviceCgroupRules.emulate(List.of(DeviceRule.allow("c", 1L, 1L, "rx"))).listText());
        assertEquals(List.of("c 1:3 rw"), DeviceCgroupRules.emulate(List.of(DeviceRule.denyAll(),
                DeviceRule.allow("c", 1L, 3L, "rwa"))).listText());
        // nothing left: the rule is a no-op, not an empty exception
        assertEquals(List.of(), DeviceCgroupRules.emulate(List.of(DeviceRule.allow("c", 1L, 1L, "xyz"))).listText());
        assertEquals("a", DeviceCgroupRules.unknownAccess("rwa"));
    }

    // ---- eBPF ------------------------------------------------------------------------------------------------------

    @Test
    void bpfDenyAllIsProloguePlusReturnZero() {
        DeviceFilter f = DeviceFilter.compile(List.of(DeviceRule.denyAll()));
        assertEquals(DeviceFilter.PROLOGUE_LENGTH + 2, f.instructions().size());
        assertEquals(BpfInsn.LDX_MEM_W, f.instructions().get(0).opcode());
        assertEquals(new BpfInsn(BpfInsn.ALU32_MOV_K, 0, 0, (short) 0, 0), f.instructions().get(6));
        assertEquals(BpfInsn.JMP_EXIT, f.instructions().get(7).opcode());
        assertEquals(64, f.bytecode().length);
        // r2 = *(u32 *)(r1 + 0): opcode 0x61, regs 0x12
        assertEquals(0x61, f.bytecode()[0] & 0xff);
        assertEquals(0x12, f.bytecode()[1] & 0xff);
    }

    @Test
    void bpfProgramShape() {
        List<DeviceRule> rules = new ArrayList<>();
        rules.add(DeviceRule.denyAll());
        rules.add(DeviceRule.allow("c", 1L, 3L, "rwm"));   // type, major, minor, verdict: 5 insns
        rules.add(DeviceRule.allow("c", 136L, null, "rw")); // type, 3 access, major, verdict: 7 insns
        rules.add(DeviceRule.allow("b", null, null, "m"));  // type, 3 access, verdict: 6 insns
        DeviceFilter f = DeviceFilter.compile(rules);
        assertEquals(6 + 5 + 7 + 6 + 2, f.instructions().size(), f.disassemble());
        assertFalse(f.defaultAllow());
        List<BpfInsn> in = f.instructions();
        // block 1 starts right after the prologue, and its jumps land on block 2
        assertEquals(BpfInsn.jne(2, DeviceFilter.DEV_CHAR, 4), in.get(6));
        assertEquals(BpfInsn.jne(4, 1, 3), in.get(7));
        assertEquals(BpfInsn.jne(5, 3, 2), in.get(8));
        assertEquals(BpfInsn.mov32(0, 1), in.get(9));
        assertEquals(BpfInsn.exit(), in.get(10));
        // block 2: access subset check
        assertEquals(BpfInsn.jne(2, DeviceFilter.DEV_CHAR, 6), in.get(11));
        assertEquals(BpfInsn.mov32Reg(1, 3), in.get(12));
        assertEquals(BpfInsn.and32(1, ACC_READ | ACC_WRITE), in.get(13));
        assertEquals(BpfInsn.jneReg(1, 3, 3), in.get(14));
        assertEquals(BpfInsn.jne(4, 136, 2), in.get(15));
        // last two: default deny
        assertEquals(BpfInsn.mov32(0, 0), in.get(in.size() - 2));
        assertEquals(BpfInsn.exit(), in.get(in.size() - 1));
        for (int i = 0; i < in.size(); i++) {
            BpfInsn x = in.get(i);
            if (x.isJump()) {
                int target = i + 1 + x.off();
                assertTrue(target > i && target < in.size(), "jump at " + i + " stays inside the program");
            }
        }
    }

    @Test
    void bpfDefaultAllowUsesOverlapForDenyEntries() {
        DeviceFilter f = DeviceFilter.compile(List.of(DeviceRule.allow(null, null, null, null), DeviceRule.deny("c", 1L, 3L, "w")));
        assertTrue(f.defaultAllow());
        assertEquals(6 + 8 + 2, f.instructions().size(), f.disassemble());
        assertEquals(BpfInsn.jeq(1, 0, 4), f.instructions().get(9));
        assertFalse(f.evaluate(DeviceFilter.DEV_CHAR, 1, 3, ACC_READ | ACC_WRITE));
        assertTrue(f.evaluate(DeviceFilter.DEV_CHAR, 1, 3, ACC_READ));
        assertTrue(f.evaluate(DeviceFilter.DEV_BLOCK, 1, 3, ACC_WRITE));
    }

    /** The compiled program decides exactly like the v1 emulator, for random rule lists and accesses. */
    @Test
    void bpfAgreesWithV1Semantics() {
        Random rnd = new Random(42);
        String[] types = {"a", "c", "b"};
        String[] acc = {"r", "w", "m", "rw", "rm", "wm", "rwm"};
        for (int round = 0; round < 300; round++) {
            List<DeviceRule> rules = new ArrayList<>();
            int n = 1 + rnd.nextInt(8);
            for (int i = 0; i < n; i++) {
                String t = types[rnd.nextInt(i == 0 ? 3 : 10) < 1 ? 0 : 1 + rnd.nextInt(2)];
                Long major = rnd.nextInt(3) == 0 ? null : (long) rnd.nextInt(3);
                Long minor = rnd.nextInt(3) == 0 ? null : (long) rnd.nextInt(3);
                rules.add(new DeviceRule(rnd.nextBoolean(), t, major, minor, acc[rnd.nextInt(acc.length)]));
            }
            DeviceCgroupRules.State s = DeviceCgroupRules.emulate(rules);
            DeviceFilter f = DeviceFilter.compile(s);
            for (char type : new char[]{'c', 'b'}) {
                for (int major = 0; major < 4; major++) {
                    for (int minor = 0; minor < 4; minor++) {
                        for (int a = 1; a < 8; a++) {
                            boolean want = s.permits(type, major, minor, a);
                            boolean got = f.evaluate(type == 'c' ? DeviceFilter.DEV_CHAR : DeviceFilter.DEV_BLOCK, major, minor, a);
                            assertEquals(want, got, () -> rules + " on " + type + " " + "\n" + f.disassemble());
                        }
                    }
                }
            }
        }
    }

    @Test
    void runcDefaultsCompile() {
        List<DeviceRule> rules = new ArrayList<>();
        rules.add(DeviceRule.denyAll());
        rules.addAll(DeviceCgroupRules.runcDefaultRules());
        DeviceFilter f = DeviceFilter.compile(rules);
        assertTrue(f.evaluate(DeviceFilter.DEV_CHAR, 1, 3, ACC_READ | ACC_WRITE));
        assertTrue(f.evaluate(DeviceFilter.DEV_CHAR, 136, 4, ACC_READ));
        assertTrue(f.evaluate(DeviceFilter.DEV_BLOCK, 8, 0, ACC_MKNOD));
        assertFalse(f.evaluate(DeviceFilter.DEV_BLOCK, 8, 0, ACC_READ));
        // runc 1.1.5's list has /dev/net/tun; nothing else outside it (e.g. /dev/kmsg 1:11)
        assertTrue(f.evaluate(DeviceFilter.DEV_CHAR, 10, 200, ACC_READ));
        assertFalse(f.evaluate(DeviceFilter.DEV_CHAR, 1, 11, ACC_WRITE));
    }
}
