package io.jruntime.core.security.seccomp;

import io.jruntime.core.InvalidArgumentException;
import io.jruntime.spec.KnownValues;
import io.jruntime.spec.Seccomp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compiles {@code linux.seccomp} into a classic BPF seccomp filter, in Java, with the semantics runc gets from
 * libseccomp.
 *
 * <h2>Program layout</h2>
 * <ol>
 * <li>{@code seccomp_data.arch} is checked against the filter's architectures: the native one (always, as
 *     libseccomp does) plus those in {@code architectures} that jruntime has a syscall table for (x86_64, x86, x32,
 *     aarch64, arm; other names are accepted and ignored: no process on this host can use them). Any other
 *     architecture gets {@link #BAD_ARCH_ACTION}, SECCOMP_RET_KILL_THREAD, which is libseccomp's default bad-arch
 *     action ({@code SCMP_ACT_KILL}) and so what runc does. On AUDIT_ARCH_X86_64 the syscall number's
 *     {@code __X32_SYSCALL_BIT} tells x32 from x86_64; an ABI not in the filter gets the bad-arch action.</li>
 * <li>runc's -ENOSYS stub: unless the default action is an "allow" action (ALLOW, LOG, TRACE) or
 *     {@code defaultErrnoRet} is already ENOSYS, a syscall numbered above every syscall the profile names for an
 *     architecture listed in {@code architectures} returns ENOSYS, so that a newer libc falls back from syscalls the
 *     profile predates (clone3, ...).</li>
 * <li>The syscall number is looked up in a binary tree of {@code JGE} splits with short linear leaves (like
 *     libseccomp's optimize level 2), then the syscall's rules run; anything else gets the default action.</li>
 * </ol>
 *
 * <h2>Rule semantics</h2>
 * <ul>
 * <li>A rule whose action (errno included) equals the default action is dropped, as runc does.</li>
 * <li>Rules for the same syscall are tried in config order; the first whose conditions all hold decides. A rule
 *     without conditions ends the list.</li>
 * <li>The conditions of one rule are ANDed, except when two of them test the same argument index: then, like runc,
 *     each condition becomes a rule of its own (ORed).</li>
 * <li>Comparisons are unsigned 64-bit on x86_64 and aarch64 (two 32-bit halves, high word first) and on the low 32
 *     bits only on x86, x32 and arm, as in libseccomp. SCMP_CMP_MASKED_EQ takes {@code value} as the mask and
 *     {@code valueTwo} as the datum: {@code (arg & value) == valueTwo}.</li>
 * <li>{@code errnoRet}/{@code defaultErrnoRet} default to EPERM for SCMP_ACT_ERRNO and SCMP_ACT_TRACE.</li>
 * <li>A syscall name missing from an architecture's table is skipped there; names found on no architecture of the
 *     filter are reported in {@link SeccompProgram#skippedSyscalls()} (runc logs them at debug level).</li>
 * <li>i386 socketcall/ipc multiplexing is not expanded: rules match the direct socket syscalls (Linux 4.3+).</li>
 * </ul>
 */
public final class SeccompCompiler {
    // linux/seccomp.h
    public static final int RET_KILL_PROCESS = 0x80000000;
    public static final int RET_KILL_THREAD = 0x00000000;
    public static final int RET_TRAP = 0x00030000;
    public static final int RET_ERRNO = 0x00050000;
    public static final int RET_USER_NOTIF = 0x7fc00000;
    public static final int RET_TRACE = 0x7ff00000;
    public static final int RET_LOG = 0x7ffc0000;
    public static final int RET_ALLOW = 0x7fff0000;
    /** What a syscall from an architecture outside the filter gets: libseccomp's default SCMP_ACT_KILL. */
    public static final int BAD_ARCH_ACTION = RET_KILL_THREAD;

    public static final long FLAG_TSYNC = 1;
    public static final long FLAG_LOG = 2;
    public static final long FLAG_SPEC_ALLOW = 4;
    public static final long FLAG_NEW_LISTENER = 8;
    public static final long FLAG_TSYNC_ESRCH = 16;
    public static final long FLAG_WAIT_KILLABLE_RECV = 32;

    static final int EPERM = 1;
    static final int ENOSYS = 38;

    private static final String PATH = "linux.seccomp";
    private static final int MAX_ARGS = 6;
    private static final int LEAF_SIZE = 4;
    private static final int OFFSET_NR = 0;
    private static final int OFFSET_ARCH = 4;
    private static final int OFFSET_ARGS = 16;

    private static final Map<String, Long> FLAGS = Map.of(
            "SECCOMP_FILTER_FLAG_TSYNC", FLAG_TSYNC,
            "SECCOMP_FILTER_FLAG_LOG", FLAG_LOG,
            "SECCOMP_FILTER_FLAG_SPEC_ALLOW", FLAG_SPEC_ALLOW,
            "SECCOMP_FILTER_FLAG_NEW_LISTENER", FLAG_NEW_LISTENER,
            "SECCOMP_FILTER_FLAG_TSYNC_ESRCH", FLAG_TSYNC_ESRCH,
            "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", FLAG_WAIT_KILLABLE_RECV);

    private static final List<String> ACTIONS = List.of("SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD",
            "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW",
            "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY");

    private enum Op {
        NE, LT, LE, EQ, GE, GT, MASKED_EQ;

        static Op of(String name) {
            if (name == null || !name.startsWith("SCMP_CMP_")) {
                return null;
            }
            try {
                return valueOf(name.substring("SCMP_CMP_".length()));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    private record Cond(int index, Op op, long value, long valueTwo) {
    }

    private record Rule(int action, List<Cond> conds) {
    }

    /** The validated config: resolved actions, and per rule the names it applies to. */
    private record Resolved(int defaultAction, long flags, boolean needsListener, List<Rule> rules,
                            List<List<String>> ruleNames, List<String> allNames, Set<SeccompArch> listedArches) {
    }

    private SeccompCompiler() {
    }

    /** Every SCMP_ACT_* name the compiler accepts (SCMP_ACT_NOTIFY also needs the listener, see lifecycle.Seccomp). */
    public static List<String> actions() {
        return ACTIONS;
    }

    /** Every SCMP_CMP_* operator the compiler accepts. */
    public static List<String> operators() {
        List<String> l = new java.util.ArrayList<>();
        for (Op op : Op.values()) {
            l.add("SCMP_CMP_" + op.name());
        }
        return l;
    }

    /** Every SECCOMP_FILTER_FLAG_* name accepted in linux.seccomp.flags, in bit order. */
    public static List<String> flags() {
        return FLAGS.entrySet().stream().sorted(Map.Entry.comparingByValue()).map(Map.Entry::getKey).toList();
    }

    /** Compiles for the architecture this JVM runs on. */
    public static SeccompProgram compile(Seccomp config) {
        return compile(config, SeccompArch.nativeArch());
    }

    /**
     * Compiles a filter whose native architecture is {@code nativeArch}.
     *
     * @throws InvalidArgumentException naming the JSON path of every wrong value, or if the program would exceed
     *                                  the kernel's 4096 instructions
     */
    public static SeccompProgram compile(Seccomp config, SeccompArch nativeArch) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(nativeArch, "nativeArch");
        Resolved resolved = resolve(config);

        Set<SeccompArch> arches = EnumSet.of(nativeArch);
        arches.addAll(resolved.listedArches());

        // per architecture: syscall number -> rules in config order
        Map<SeccompArch, TreeMap<Integer, List<Rule>>> bySyscall = new LinkedHashMap<>();
        for (SeccompArch arch : arches) {
            TreeMap<Integer, List<Rule>> table = new TreeMap<>(); // numbers are below 2^31: signed order is fine
            for (int r = 0; r < resolved.rules().size(); r++) {
                Rule rule = resolved.rules().get(r);
                for (String name : resolved.ruleNames().get(r)) {
                    int nr = SyscallTable.number(arch, name);
                    if (nr < 0) {
                        continue;
                    }
                    List<Rule> list = table.get(nr);
                    if (list == null) {
                        list = new ArrayList<>(2);
                        table.put(nr, list);
                    }
                    boolean closed = !list.isEmpty() && list.getLast().conds().isEmpty();
                    if (!closed && (list.isEmpty() || list.getLast() != rule)) {
                        list.add(rule);
                    }
                }
            }
            bySyscall.put(arch, table);
        }
        List<String> skipped = new ArrayList<>();
        for (String name : resolved.allNames()) {
            boolean anywhere = false;
            for (SeccompArch arch : arches) {
                anywhere |= SyscallTable.number(arch, name) >= 0;
            }
            if (!anywhere) {
                skipped.add(name);
            }
        }

        Map<SeccompArch, Integer> enosysAbove = enosysStub(config, resolved);
        BpfAssembler asm = new BpfAssembler();
        emit(asm, nativeArch, arches, bySyscall, resolved.defaultAction(), enosysAbove);
        byte[] filter = asm.assemble();
        int count = filter.length / 8;
        if (count > BpfAssembler.MAX_INSNS) {
            throw new InvalidArgumentException(PATH + ": the seccomp filter needs " + count
                    + " BPF instructions, more than the kernel's limit of " + BpfAssembler.MAX_INSNS
                    + " (BPF_MAXINSNS); use fewer rules or argument conditions, or fewer architectures");
        }
        return new SeccompProgram(filter, resolved.flags(), resolved.needsListener(), skipped);
    }

    /**
     * Checks {@code linux.seccomp} the way {@link #compile} does, without building a program.
     *
     * @throws InvalidArgumentException listing every wrong value with its JSON path
     */
    public static void validate(Seccomp config) {
        Objects.requireNonNull(config, "config");
        resolve(config);
    }

    // ---------------------------------------------------------------------------------------------------------
    // validation and resolution

    private static Resolved resolve(Seccomp config) {
        List<String> problems = new ArrayList<>();
        int defaultAction = 0;
        if (config.defaultAction() == null) {
            problems.add(actionPath(-1) + ": is required; give the action for syscalls no rule matches, e.g. "
                    + "\"SCMP_ACT_ERRNO\"");
        } else if ("SCMP_ACT_NOTIFY".equals(config.defaultAction())) {
            problems.add(actionPath(-1) + ": SCMP_ACT_NOTIFY cannot be the default action; use it in a syscalls "
                    + "rule");
        } else {
            Integer action = action(-1, config.defaultAction(), config.defaultErrnoRet(), problems);
            defaultAction = action == null ? 0 : action;
        }

        Set<SeccompArch> listed = EnumSet.noneOf(SeccompArch.class);
        List<String> archNames = nonNull(config.architectures());
        for (int i = 0; i < archNames.size(); i++) {
            String name = archNames.get(i);
            if (name == null || !KnownValues.SECCOMP_ARCHITECTURES.contains(name)) {
                problems.add(PATH + ".architectures[" + i + "]: unknown architecture " + quote(name) + "; use "
                        + "SCMP_ARCH_* names such as SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32, "
                        + "SCMP_ARCH_AARCH64, SCMP_ARCH_ARM");
                continue;
            }
            SeccompArch arch = SeccompArch.fromScmpName(name);
            if (arch != null) {
                listed.add(arch);
            }
        }

        long flags = 0;
        List<String> flagNames = nonNull(config.flags());
        for (int i = 0; i < flagNames.size(); i++) {
            Long bit = flagNames.get(i) == null ? null : FLAGS.get(flagNames.get(i));
            if (bit == null) {
                problems.add(PATH + ".flags[" + i + "]: unknown seccomp flag " + quote(flagNames.get(i)) + "; use "
                        + String.join(", ", FLAGS.keySet().stream().sorted().toList()));
            } else {
                flags |= bit;
            }
        }

        boolean needsListener = false;
        List<Rule> rules = new ArrayList<>();
        List<List<String>> ruleNames = new ArrayList<>();
        Set<String> allNames = new LinkedHashSet<>();
        List<Seccomp.Syscall> syscalls = nonNull(config.syscalls());
        for (int i = 0; i < syscalls.size(); i++) {
            Seccomp.Syscall syscall = syscalls.get(i);
            if (syscall == null) {
                problems.add(rulePath(i) + ": must be an object with names and action");
                continue;
            }
            List<String> names = checkNames(i, syscall.names(), problems);
            Integer action = null;
            if (syscall.action() == null) {
                problems.add(actionPath(i) + ": is required, e.g. \"SCMP_ACT_ALLOW\"");
            } else {
                action = action(i, syscall.action(), syscall.errnoRet(), problems);
            }
            if ("SCMP_ACT_NOTIFY".equals(syscall.action()) && names.contains("write")) {
                problems.add(actionPath(i) + ": SCMP_ACT_NOTIFY cannot be used for the write syscall (the runtime "
                        + "needs write to hand the notify fd over)");
            }
            List<List<Cond>> condSets = conditions(i, syscall.args(), problems);
            allNames.addAll(names);
            if (action == null || condSets == null || names.isEmpty()) {
                continue;
            }
            if (action == RET_USER_NOTIF) {
                needsListener = true;
            }
            if (action == defaultAction) {
                continue;
            }
            for (List<Cond> conds : condSets) {
                rules.add(new Rule(action, conds));
                ruleNames.add(names);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidArgumentException(String.join("; ", problems));
        }
        if (needsListener) {
            flags |= FLAG_NEW_LISTENER;
            if ((flags & FLAG_TSYNC) != 0) {
                flags |= FLAG_TSYNC_ESRCH; // the kernel refuses TSYNC with NEW_LISTENER unless TSYNC_ESRCH is set
            }
        }
        return new Resolved(defaultAction, flags, needsListener, rules, ruleNames, List.copyOf(allNames), listed);
    }

    // JSON paths are only built for messages: string concatenation costs a bootstrap on a cold JVM
    private static String rulePath(int rule) {
        return PATH + ".syscalls[" + rule + "]";
    }

    private static String actionPath(int rule) {
        return rule < 0 ? PATH + ".defaultAction" : rulePath(rule) + ".action";
    }

    private static String errnoPath(int rule) {
        return rule < 0 ? PATH + ".defaultErrnoRet" : rulePath(rule) + ".errnoRet";
    }

    private static List<String> checkNames(int rule, List<String> names, List<String> problems) {
        if (names == null || names.isEmpty()) {
            problems.add(rulePath(rule) + ".names: must list at least one syscall name, e.g. [\"mkdir\"]");
            return List.of();
        }
        List<String> good = new ArrayList<>(names.size());
        for (int j = 0; j < names.size(); j++) {
            String name = names.get(j);
            if (name == null || name.isBlank()) {
                problems.add(rulePath(rule) + ".names[" + j + "]: a syscall name must not be empty");
            } else {
                good.add(name);
            }
        }
        return good;
    }

    /** The SECCOMP_RET_* value of rule {@code rule}'s action (-1: the default action), or null after a problem. */
    private static Integer action(int rule, String name, Long errno, List<String> problems) {
        boolean takesErrno = "SCMP_ACT_ERRNO".equals(name) || "SCMP_ACT_TRACE".equals(name);
        if (errno != null && ACTIONS.contains(name) && !takesErrno) {
            problems.add(errnoPath(rule) + ": an errno can only be returned by SCMP_ACT_ERRNO or SCMP_ACT_TRACE, "
                    + "but the action is " + name + "; remove it or change the action");
            return null;
        }
        if (errno != null && Long.compareUnsigned(errno, 0xffff) > 0) {
            problems.add(errnoPath(rule) + ": " + Long.toUnsignedString(errno) + " does not fit the 16 bits seccomp "
                    + "returns; use an errno number such as 1 (EPERM) or 38 (ENOSYS)");
            return null;
        }
        int data = errno == null ? EPERM : (int) (long) errno;
        return switch (name) {
            case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD" -> RET_KILL_THREAD;
            case "SCMP_ACT_KILL_PROCESS" -> RET_KILL_PROCESS;
            case "SCMP_ACT_TRAP" -> RET_TRAP;
            case "SCMP_ACT_ERRNO" -> RET_ERRNO | data;
            case "SCMP_ACT_TRACE" -> RET_TRACE | data;
            case "SCMP_ACT_ALLOW" -> RET_ALLOW;
            case "SCMP_ACT_LOG" -> RET_LOG;
            case "SCMP_ACT_NOTIFY" -> RET_USER_NOTIF;
            default -> {
                problems.add(actionPath(rule) + ": unknown action " + quote(name) + "; use one of "
                        + String.join(", ", ACTIONS));
                yield null;
            }
        };
    }

    /**
     * The rule's conditions as one AND-list, or (runc's fallback when an argument index repeats) one single-condition
     * list per condition; null after adding a problem.
     */
    private static List<List<Cond>> conditions(int rule, List<Seccomp.Arg> args, List<String> problems) {
        if (args == null || args.isEmpty()) {
            return List.of(List.of());
        }
        List<Cond> conds = new ArrayList<>(args.size());
        boolean ok = true;
        boolean[] seen = new boolean[MAX_ARGS];
        boolean repeated = false;
        for (int j = 0; j < args.size(); j++) {
            Seccomp.Arg arg = args.get(j);
            if (arg == null) {
                problems.add(rulePath(rule) + ".args[" + j + "]: must be an object with index, value and op");
                ok = false;
                continue;
            }
            int index = arg.index() == null ? 0 : arg.index();
            if (index < 0 || index >= MAX_ARGS) {
                problems.add(rulePath(rule) + ".args[" + j + "].index: " + index
                        + " is out of range; syscalls take at most 6 arguments (0 to 5)");
                ok = false;
            }
            Op op = Op.of(arg.op());
            if (op == null) {
                problems.add(rulePath(rule) + ".args[" + j + "].op: "
                        + (arg.op() == null ? "is required" : "unknown operator " + quote(arg.op()))
                        + "; use one of SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_EQ, SCMP_CMP_GE, "
                        + "SCMP_CMP_GT, SCMP_CMP_MASKED_EQ");
                ok = false;
            }
            if (!ok) {
                continue;
            }
            repeated |= seen[index];
            seen[index] = true;
            conds.add(new Cond(index, op, arg.value() == null ? 0 : arg.value(),
                    arg.valueTwo() == null ? 0 : arg.valueTwo()));
        }
        if (!ok) {
            return null;
        }
        if (!repeated) {
            return List.of(List.copyOf(conds));
        }
        List<List<Cond>> split = new ArrayList<>(conds.size());
        for (Cond cond : conds) {
            split.add(List.of(cond));
        }
        return split;
    }

    /**
     * runc's -ENOSYS stub: for each architecture listed in the config, the largest syscall number the profile names
     * there; empty when the stub does not apply.
     */
    private static Map<SeccompArch, Integer> enosysStub(Seccomp config, Resolved resolved) {
        int def = resolved.defaultAction();
        if (def == RET_ALLOW || def == RET_LOG || (def & 0xffff0000) == RET_TRACE) {
            return Map.of();
        }
        if (config.defaultErrnoRet() != null && config.defaultErrnoRet() == ENOSYS) {
            return Map.of();
        }
        Map<SeccompArch, Integer> largest = new LinkedHashMap<>();
        for (SeccompArch arch : resolved.listedArches()) {
            int max = -1;
            for (String name : resolved.allNames()) {
                int nr = SyscallTable.number(arch, name);
                max = Math.max(max, nr);
            }
            if (max > 0) {
                largest.put(arch, max);
            }
        }
        return largest;
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? Collections.emptyList() : list;
    }

    private static String quote(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }

    // ---------------------------------------------------------------------------------------------------------
    // code generation

    private static void emit(BpfAssembler asm, SeccompArch nativeArch, Set<SeccompArch> arches,
                             Map<SeccompArch, TreeMap<Integer, List<Rule>>> bySyscall, int defaultAction,
                             Map<SeccompArch, Integer> enosysAbove) {
        // one dispatch entry per AUDIT_ARCH value, the native one first; x86_64 and x32 share theirs
        Map<Integer, List<SeccompArch>> groups = new LinkedHashMap<>();
        groups.put(nativeArch.auditArch(), new ArrayList<>());
        for (SeccompArch arch : arches) {
            List<SeccompArch> members = groups.get(arch.auditArch());
            if (members == null) {
                members = new ArrayList<>();
                groups.put(arch.auditArch(), members);
            }
            members.add(arch);
        }
        Map<Integer, BpfAssembler.Label> entry = new LinkedHashMap<>();
        asm.load(OFFSET_ARCH);
        for (int audit : groups.keySet()) {
            BpfAssembler.Label label = asm.label();
            entry.put(audit, label);
            asm.jump(BpfAssembler.JEQ, audit, label, null);
        }
        asm.ret(BAD_ARCH_ACTION);

        for (Map.Entry<Integer, List<SeccompArch>> group : groups.entrySet()) {
            asm.bind(entry.get(group.getKey()));
            asm.load(OFFSET_NR);
            List<SeccompArch> members = group.getValue();
            boolean x64 = members.contains(SeccompArch.X86_64);
            boolean x32 = members.contains(SeccompArch.X32);
            if (!x64 && !x32) {
                SeccompArch arch = members.getFirst();
                section(asm, arch, bySyscall.get(arch), defaultAction, enosysAbove.get(arch));
            } else if (x64 && x32) {
                BpfAssembler.Label x32Section = asm.label();
                asm.jump(BpfAssembler.JSET, SeccompArch.X32_SYSCALL_BIT, x32Section, null);
                section(asm, SeccompArch.X86_64, bySyscall.get(SeccompArch.X86_64), defaultAction,
                        enosysAbove.get(SeccompArch.X86_64));
                asm.bind(x32Section);
                section(asm, SeccompArch.X32, bySyscall.get(SeccompArch.X32), defaultAction,
                        enosysAbove.get(SeccompArch.X32));
            } else {
                SeccompArch arch = x64 ? SeccompArch.X86_64 : SeccompArch.X32;
                BpfAssembler.Label ok = asm.label();
                BpfAssembler.Label bad = asm.label();
                asm.jump(BpfAssembler.JSET, SeccompArch.X32_SYSCALL_BIT, x64 ? bad : ok, x64 ? ok : bad);
                asm.bind(bad);
                asm.ret(BAD_ARCH_ACTION);
                asm.bind(ok);
                section(asm, arch, bySyscall.get(arch), defaultAction, enosysAbove.get(arch));
            }
        }
    }

    /** One architecture's syscalls; the accumulator holds the syscall number. */
    private static void section(BpfAssembler asm, SeccompArch arch, TreeMap<Integer, List<Rule>> table,
                                int defaultAction, Integer enosysAbove) {
        if (enosysAbove != null) {
            BpfAssembler.Label enosys = asm.label();
            BpfAssembler.Label body = asm.label();
            asm.jump(BpfAssembler.JGT, enosysAbove, enosys, body);
            asm.bind(enosys);
            asm.ret(RET_ERRNO | ENOSYS);
            asm.bind(body);
        }
        List<Map.Entry<Integer, List<Rule>>> entries = new ArrayList<>(table.entrySet());
        tree(asm, arch, entries, 0, entries.size(), defaultAction);
    }

    private static void tree(BpfAssembler asm, SeccompArch arch, List<Map.Entry<Integer, List<Rule>>> entries,
                             int from, int to, int defaultAction) {
        if (to - from <= LEAF_SIZE) {
            for (int i = from; i < to; i++) {
                BpfAssembler.Label next = asm.label();
                asm.jump(BpfAssembler.JEQ, entries.get(i).getKey(), null, next);
                block(asm, arch, entries.get(i).getValue(), defaultAction);
                asm.bind(next);
            }
            asm.ret(defaultAction);
            return;
        }
        int mid = (from + to) >>> 1;
        BpfAssembler.Label upper = asm.label();
        asm.jump(BpfAssembler.JGE, entries.get(mid).getKey(), upper, null);
        tree(asm, arch, entries, from, mid, defaultAction);
        asm.bind(upper);
        tree(asm, arch, entries, mid, to, defaultAction);
    }

    /** The rules of one syscall; every path ends in a return. */
    private static void block(BpfAssembler asm, SeccompArch arch, List<Rule> rules, int defaultAction) {
        for (Rule rule : rules) {
            if (rule.conds().isEmpty()) {
                asm.ret(rule.action());
                return;
            }
            BpfAssembler.Label fail = asm.label();
            for (Cond cond : rule.conds()) {
                condition(asm, arch, cond, fail);
            }
            asm.ret(rule.action());
            asm.bind(fail);
        }
        asm.ret(defaultAction);
    }

    /** Falls through when the condition holds, jumps to {@code fail} when not. Clobbers the accumulator. */
    private static void condition(BpfAssembler asm, SeccompArch arch, Cond cond, BpfAssembler.Label fail) {
        int lo = OFFSET_ARGS + 8 * cond.index();
        int hi = lo + 4;
        int vlo = (int) cond.value();
        int vhi = (int) (cond.value() >>> 32);
        if (!arch.args64()) {
            asm.load(lo);
            switch (cond.op()) {
                case EQ -> asm.jump(BpfAssembler.JEQ, vlo, null, fail);
                case NE -> asm.jump(BpfAssembler.JEQ, vlo, fail, null);
                case GT -> asm.jump(BpfAssembler.JGT, vlo, null, fail);
                case GE -> asm.jump(BpfAssembler.JGE, vlo, null, fail);
                case LT -> asm.jump(BpfAssembler.JGE, vlo, fail, null);
                case LE -> asm.jump(BpfAssembler.JGT, vlo, fail, null);
                case MASKED_EQ -> {
                    asm.and(vlo);
                    asm.jump(BpfAssembler.JEQ, (int) cond.valueTwo(), null, fail);
                }
            }
            return;
        }
        BpfAssembler.Label pass = asm.label();
        asm.load(hi);
        switch (cond.op()) {
            case EQ -> {
                asm.jump(BpfAssembler.JEQ, vhi, null, fail);
                asm.load(lo);
                asm.jump(BpfAssembler.JEQ, vlo, null, fail);
            }
            case NE -> {
                asm.jump(BpfAssembler.JEQ, vhi, null, pass);
                asm.load(lo);
                asm.jump(BpfAssembler.JEQ, vlo, fail, null);
            }
            case GT, GE -> {
                asm.jump(BpfAssembler.JGT, vhi, pass, null);
                asm.jump(BpfAssembler.JEQ, vhi, null, fail);
                asm.load(lo);
                asm.jump(cond.op() == Op.GT ? BpfAssembler.JGT : BpfAssembler.JGE, vlo, null, fail);
            }
            case LT, LE -> {
                asm.jump(BpfAssembler.JGT, vhi, fail, null);
                asm.jump(BpfAssembler.JEQ, vhi, null, pass);
                asm.load(lo);
                asm.jump(cond.op() == Op.LT ? BpfAssembler.JGE : BpfAssembler.JGT, vlo, fail, null);
            }
            case MASKED_EQ -> {
                asm.and(vhi);
                asm.jump(BpfAssembler.JEQ, (int) (cond.valueTwo() >>> 32), null, fail);
                asm.load(lo);
                asm.and(vlo);
                asm.jump(BpfAssembler.JEQ, (int) cond.valueTwo(), null, fail);
            }
        }
        asm.bind(pass);
    }
}
