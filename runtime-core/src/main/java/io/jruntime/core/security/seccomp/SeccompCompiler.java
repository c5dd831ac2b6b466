package io.jruntime.core.security.seccomp;

import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.sys.LibSeccomp;
import io.jruntime.spec.JsonString;
import io.jruntime.spec.KnownValues;
import io.jruntime.spec.Seccomp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Compiles {@code linux.seccomp} into a classic BPF seccomp filter with libseccomp (through {@link LibSeccomp}), as
 * runc 1.1.5 does, and hands the exported program on: the init helper installs it with seccomp(2) and the flags
 * computed here, so the SCMP_ACT_NOTIFY listener fd comes back to jruntime.
 *
 * <h2>Steps</h2>
 * <ol>
 * <li>{@link #validate}: every wrong value is reported with its JSON path, before anything is created.</li>
 * <li>{@code seccomp_init(defaultAction)} (which adds the native architecture; runc keeps it), TSYNC off,
 *     {@code SCMP_FLTATR_CTL_OPTIMIZE = 2} (a binary tree over syscall numbers), {@code seccomp_arch_add} for every
 *     listed architecture (an architecture the installed libseccomp lacks is an error naming its path). The
 *     bad-architecture action stays libseccomp's default, SCMP_ACT_KILL ({@link #BAD_ARCH_ACTION}).</li>
 * <li>Each name is resolved with {@code seccomp_syscall_resolve_name} on the native architecture; a name libseccomp
 *     knows on no architecture is skipped and reported in {@link SeccompProgram#skippedSyscalls()} (runc: "unknown
 *     seccomp syscall ... ignored", at debug level). {@code seccomp_rule_add_array} adds the rule on every
 *     architecture of the filter that has the syscall.</li>
 * <li>{@code seccomp_export_bpf}, then runc's -ENOSYS stub in front: unless the default action is an "allow"
 *     action (ALLOW, LOG, TRACE) or {@code defaultErrnoRet} is already ENOSYS, a syscall numbered above every
 *     syscall the profile names for an architecture listed in {@code architectures} returns ENOSYS, so that a
 *     newer libc falls back from syscalls the profile predates (clone3, ...).</li>
 * </ol>
 *
 * <h2>Rule semantics (runc's)</h2>
 * <ul>
 * <li>A rule whose action (errno included) equals the default action is dropped.</li>
 * <li>The conditions of one rule are ANDed, except when two of them test the same argument index: then each
 *     condition becomes a rule of its own (ORed).</li>
 * <li>SCMP_CMP_MASKED_EQ passes {@code value} as the mask and {@code valueTwo} as the datum:
 *     {@code (arg & value) == valueTwo}.</li>
 * <li>{@code errnoRet}/{@code defaultErrnoRet} default to EPERM for SCMP_ACT_ERRNO and SCMP_ACT_TRACE.</li>
 * </ul>
 *
 * <p>There is no second, hand-written code generator: the one jruntime had produced programs over the kernel's 4096
 * instructions for profiles libseccomp compiles in about 1000 (Docker's default), and libseccomp is what every
 * other runtime uses, so behaving as runc does comes from using the same library.
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
    private static final int OFFSET_NR = 0;
    private static final int OFFSET_ARCH = 4;
    private static final int EEXIST = 17;
    private static final int EDOM = 33;

    /** SCMP_ARCH_* (config.json) to the name libseccomp's seccomp_arch_resolve_name takes. */
    private static final Map<String, String> ARCH_NAMES = Map.ofEntries(
            Map.entry("SCMP_ARCH_X86", "x86"), Map.entry("SCMP_ARCH_X86_64", "x86_64"),
            Map.entry("SCMP_ARCH_X32", "x32"), Map.entry("SCMP_ARCH_ARM", "arm"),
            Map.entry("SCMP_ARCH_AARCH64", "aarch64"), Map.entry("SCMP_ARCH_MIPS", "mips"),
            Map.entry("SCMP_ARCH_MIPS64", "mips64"), Map.entry("SCMP_ARCH_MIPS64N32", "mips64n32"),
            Map.entry("SCMP_ARCH_MIPSEL", "mipsel"), Map.entry("SCMP_ARCH_MIPSEL64", "mipsel64"),
            Map.entry("SCMP_ARCH_MIPSEL64N32", "mipsel64n32"), Map.entry("SCMP_ARCH_PPC", "ppc"),
            Map.entry("SCMP_ARCH_PPC64", "ppc64"), Map.entry("SCMP_ARCH_PPC64LE", "ppc64le"),
            Map.entry("SCMP_ARCH_S390", "s390"), Map.entry("SCMP_ARCH_S390X", "s390x"),
            Map.entry("SCMP_ARCH_PARISC", "parisc"), Map.entry("SCMP_ARCH_PARISC64", "parisc64"),
            Map.entry("SCMP_ARCH_RISCV64", "riscv64"), Map.entry("SCMP_ARCH_LOONGARCH64", "loongarch64"),
            Map.entry("SCMP_ARCH_M68K", "m68k"), Map.entry("SCMP_ARCH_SH", "sh"), Map.entry("SCMP_ARCH_SHEB", "sheb"));

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
        NE(LibSeccomp.CMP_NE), LT(LibSeccomp.CMP_LT), LE(LibSeccomp.CMP_LE), EQ(LibSeccomp.CMP_EQ),
        GE(LibSeccomp.CMP_GE), GT(LibSeccomp.CMP_GT), MASKED_EQ(LibSeccomp.CMP_MASKED_EQ);

        /** enum scmp_compare */
        final int code;

        Op(int code) {
            this.code = code;
        }

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

    /** One libseccomp rule: {@code index} is its entry in linux.seccomp.syscalls (for messages). */
    private record Rule(int index, int action, List<String> names, List<Cond> conds) {
        /** As {@link LibSeccomp.Filter#addRule} takes them: index, operator, datum_a, datum_b per condition. */
        long[] conditions() {
            long[] out = new long[4 * conds.size()];
            for (int i = 0; i < conds.size(); i++) {
                Cond c = conds.get(i);
                out[4 * i] = c.index();
                out[4 * i + 1] = c.op().code;
                // SCMP_CMP_MASKED_EQ: datum_a is the mask (value), datum_b the datum (valueTwo), as runc passes them
                out[4 * i + 2] = c.value();
                out[4 * i + 3] = c.valueTwo();
            }
            return out;
        }
    }

    /**
     * The validated config: resolved actions, the rules to add, every syscall name, the listed architectures
     * (SCMP_ARCH_* names in config order, and those of them the -ENOSYS stub knows).
     */
    private record Resolved(int defaultAction, long flags, boolean needsListener, List<Rule> rules,
                            List<String> allNames, List<String> archNames, Set<SeccompArch> listedArches) {
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
     * Compiles a filter whose native architecture is {@code nativeArch} (tests build filters for another host's
     * native architecture; the runtime always passes this host's).
     *
     * @throws InvalidArgumentException naming the JSON path of every wrong value, or if the program would exceed
     *                                  the kernel's 4096 instructions
     */
    public static SeccompProgram compile(Seccomp config, SeccompArch nativeArch) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(nativeArch, "nativeArch");
        Resolved resolved = resolve(config);
        List<String> skipped = new ArrayList<>();
        byte[] body;
        try (LibSeccomp.Filter filter = LibSeccomp.init(resolved.defaultAction())) {
            check(filter.setAttr(LibSeccomp.FLTATR_CTL_TSYNC, 0), PATH, "seccomp_attr_set(SCMP_FLTATR_CTL_TSYNC)");
            check(filter.setAttr(LibSeccomp.FLTATR_CTL_OPTIMIZE, 2), PATH,
                    "seccomp_attr_set(SCMP_FLTATR_CTL_OPTIMIZE, 2)");
            architectures(filter, nativeArch, resolved);
            for (Rule rule : resolved.rules()) {
                for (String name : rule.names()) {
                    // as runc 1.1.5: resolved on the native architecture; libseccomp adds the rule on every
                    // architecture of the filter that has the syscall, and only a name it knows nowhere is skipped
                    int nr = LibSeccomp.resolve(name);
                    if (nr == LibSeccomp.NR_SCMP_ERROR) {
                        if (!skipped.contains(name)) {
                            skipped.add(name);
                        }
                        continue;
                    }
                    check(filter.addRule(rule.action(), nr, rule.conditions()), rulePath(rule.index()),
                            "adding the rule for " + name);
                }
            }
            body = filter.exportBpf();
        }
        byte[] program = withEnosysStub(config, resolved, body);
        int count = program.length / 8;
        if (count > BpfAssembler.MAX_INSNS) {
            throw new InvalidArgumentException(PATH + ": the seccomp filter needs " + count
                    + " BPF instructions, more than the kernel's limit of " + BpfAssembler.MAX_INSNS
                    + " (BPF_MAXINSNS); use fewer rules or argument conditions, or fewer architectures");
        }
        return new SeccompProgram(program, resolved.flags(), resolved.needsListener(), skipped);
    }

    /**
     * The native architecture (seccomp_init adds it, and runc keeps it) plus every listed one. A native architecture
     * other than this host's (tests only) replaces the host's unless that one is listed.
     */
    private static void architectures(LibSeccomp.Filter filter, SeccompArch nativeArch, Resolved resolved) {
        int hostToken = LibSeccomp.nativeArch();
        int nativeToken = token(nativeArch.scmpName());
        boolean keepHost = nativeToken == hostToken;
        List<String> names = resolved.archNames();
        for (int i = 0; i < names.size(); i++) {
            String path = PATH + ".architectures[" + i + "]";
            int token = token(names.get(i));
            if (token == 0) {
                throw new InvalidArgumentException(path + ": " + names.get(i) + " is not supported by the installed "
                        + "libseccomp " + LibSeccomp.version() + "; remove it or install a newer libseccomp2");
            }
            keepHost |= token == hostToken;
            if (filter.addArch(token) == -EDOM) { // as runc: "error adding architecture to seccomp filter"
                throw new InvalidArgumentException(path + ": " + names.get(i) + " cannot be in one filter with "
                        + nativeArch.scmpName() + " (libseccomp only combines architectures of the same byte order)");
            }
            addArch(filter, token, path);
        }
        if (!keepHost || nativeToken != hostToken) {
            addArch(filter, nativeToken, PATH);
            if (!keepHost) {
                check(filter.removeArch(hostToken), PATH, "seccomp_arch_remove");
            }
        }
    }

    private static void addArch(LibSeccomp.Filter filter, int token, String path) {
        int rc = filter.addArch(token);
        if (rc != -EEXIST) { // already there (the native one): as libseccomp-golang, not an error
            check(rc, path, "seccomp_arch_add");
        }
    }

    /** libseccomp's token for an SCMP_ARCH_* name, 0 if the installed library does not know it. */
    private static int token(String scmpName) {
        String name = ARCH_NAMES.get(scmpName);
        return name == null ? 0 : LibSeccomp.archToken(name);
    }

    private static void check(int rc, String path, String what) {
        if (rc < 0) {
            throw new InvalidArgumentException(path + ": libseccomp refused it (" + what + ": "
                    + LibSeccomp.strerror(rc) + ")");
        }
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
        List<String> goodArches = new ArrayList<>();
        for (int i = 0; i < archNames.size(); i++) {
            String name = archNames.get(i);
            if (name == null || !KnownValues.SECCOMP_ARCHITECTURES.contains(name)) {
                problems.add(PATH + ".architectures[" + i + "]: unknown architecture " + quote(name) + "; use "
                        + "SCMP_ARCH_* names such as SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32, "
                        + "SCMP_ARCH_AARCH64, SCMP_ARCH_ARM");
                continue;
            }
            goodArches.add(name);
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
                rules.add(new Rule(i, action, names, conds));
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
        return new Resolved(defaultAction, flags, needsListener, rules, List.copyOf(allNames), goodArches, listed);
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

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? Collections.emptyList() : list;
    }

    private static String quote(String s) {
        return s == null ? "null" : JsonString.quotePlain(s);
    }

    // ---------------------------------------------------------------------------------------------------------
    // runc's -ENOSYS stub, prepended to libseccomp's program

    /**
     * For each of jruntime's architectures listed in the config, the largest syscall number the profile names there
     * (per libseccomp's tables, as runc's patchbpf does); empty when the stub does not apply.
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
            int token = token(arch.scmpName());
            int max = -1;
            for (String name : resolved.allNames()) {
                max = Math.max(max, LibSeccomp.resolve(token, name));
            }
            if (max > 0) {
                largest.put(arch, max);
            }
        }
        return largest;
    }

    /**
     * {@code body} behind a stub that returns ENOSYS for syscalls numbered above {@link #enosysStub}'s limit of
     * their architecture and otherwise falls through to the body (which starts by loading the architecture itself).
     * On AUDIT_ARCH_X86_64 the x32 bit tells the two ABIs apart.
     */
    private static byte[] withEnosysStub(Seccomp config, Resolved resolved, byte[] body) {
        Map<SeccompArch, Integer> above = enosysStub(config, resolved);
        if (above.isEmpty()) {
            return body;
        }
        BpfAssembler asm = new BpfAssembler();
        BpfAssembler.Label end = asm.label();
        BpfAssembler.Label enosys = asm.label();
        Map<Integer, BpfAssembler.Label> entries = new LinkedHashMap<>();
        asm.load(OFFSET_ARCH);
        for (SeccompArch arch : above.keySet()) {
            if (!entries.containsKey(arch.auditArch())) {
                BpfAssembler.Label label = asm.label();
                entries.put(arch.auditArch(), label);
                asm.jump(BpfAssembler.JEQ, arch.auditArch(), label, null);
            }
        }
        asm.ja(end);
        for (Map.Entry<Integer, BpfAssembler.Label> entry : entries.entrySet()) {
            asm.bind(entry.getValue());
            asm.load(OFFSET_NR);
            if (entry.getKey() == SeccompArch.X86_64.auditArch()) {
                Integer x64 = above.get(SeccompArch.X86_64);
                Integer x32 = above.get(SeccompArch.X32);
                BpfAssembler.Label x32Section = asm.label();
                asm.jump(BpfAssembler.JSET, SeccompArch.X32_SYSCALL_BIT, x32Section, null);
                limit(asm, x64, enosys, end);
                asm.bind(x32Section);
                limit(asm, x32, enosys, end);
            } else {
                for (SeccompArch arch : above.keySet()) {
                    if (arch.auditArch() == entry.getKey()) {
                        limit(asm, above.get(arch), enosys, end);
                    }
                }
            }
        }
        asm.bind(enosys);
        asm.ret(RET_ERRNO | ENOSYS);
        // the body reloads the accumulator first; this load only gives the jumps to the body a target
        asm.bind(end);
        asm.load(OFFSET_ARCH);
        byte[] stub = asm.assemble();
        byte[] program = Arrays.copyOf(stub, stub.length + body.length);
        System.arraycopy(body, 0, program, stub.length, body.length);
        return program;
    }

    /** ENOSYS above {@code max} (none: no limit), otherwise on to the body. */
    private static void limit(BpfAssembler asm, Integer max, BpfAssembler.Label enosys, BpfAssembler.Label end) {
        if (max != null) {
            asm.jump(BpfAssembler.JGT, max, enosys, end);
        } else {
            asm.ja(end);
        }
    }
}
