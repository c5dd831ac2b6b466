package io.jruntime.core;

/**
 * Signal names and numbers as Linux (x86-64 and arm64) numbers them, and the parsing rule runc applies to the
 * {@code kill} argument: a decimal number is taken as is (no range check: the kernel rejects bad ones with
 * EINVAL), anything else is upper-cased, gets a "SIG" prefix if it lacks one, and must then be one of the
 * 31 classic names below. Real-time signals have no names here, as in runc; pass them as numbers.
 */
public final class Signals {
    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGQUIT = 3;
    public static final int SIGKILL = 9;
    public static final int SIGUSR1 = 10;
    public static final int SIGUSR2 = 12;
    public static final int SIGPIPE = 13;
    public static final int SIGTERM = 15;
    public static final int SIGCHLD = 17;
    public static final int SIGCONT = 18;
    public static final int SIGSTOP = 19;
    public static final int SIGWINCH = 28;

    /** Index = signal number; entry 0 is unused. */
    private static final String[] NAMES = {
        null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
        "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
        "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
        "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    };

    private Signals() {
    }

    /**
     * Parses a {@code kill} signal argument: {@code 9}, {@code KILL}, {@code SIGKILL}, {@code sigkill}.
     *
     * @throws InvalidArgumentException {@code unknown signal "X"} (runc's text) for anything else
     */
    public static int parse(String raw) {
        Integer n = parseDecimal(raw);
        if (n != null) {
            return n;
        }
        String s = raw.toUpperCase(java.util.Locale.ROOT);
        if (!s.startsWith("SIG")) {
            s = "SIG".concat(s);
        }
        for (int i = 1; i < NAMES.length; i++) {
            if (NAMES[i].equals(s)) {
                return i;
            }
        }
        throw new InvalidArgumentException("unknown signal \"".concat(raw).concat("\""));
    }

    /** "SIGKILL" for 9; "SIGRTMIN", "SIGRTMIN+n", "SIGRTMAX-n", "SIGRTMAX" for 34..64 (as kill -l); null otherwise. */
    public static String name(int signal) {
        if (signal > 0 && signal < NAMES.length) {
            return NAMES[signal];
        }
        if (signal >= 34 && signal <= 64) {
            int up = signal - 34;
            int down = 64 - signal;
            if (up == 0) {
                return "SIGRTMIN";
            }
            if (down == 0) {
                return "SIGRTMAX";
            }
            return up <= down ? "SIGRTMIN+" + up : "SIGRTMAX-" + down;
        }
        return null;
    }

    /** Go's strconv.Atoi: optional sign, then decimal digits only, must fit in an int; else null. */
    private static Integer parseDecimal(String s) {
        int i = 0;
        int len = s.length();
        if (len > 0 && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            i = 1;
        }
        if (i == len) {
            return null;
        }
        for (int j = i; j < len; j++) {
            char c = s.charAt(j);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
