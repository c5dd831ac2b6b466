package io.jruntime.core;

/**
 * Test-only crash points: jruntime stops dead at a named step, as if it had been sent SIGKILL there, so the crash
 * consistency tests can prove that whatever a crash at that step leaves, {@code list}/{@code state} report it truly
 * and {@code delete -f} removes it (docs/RELIABILITY.md lists the points).
 *
 * <p>Two switches, both needed: the JVM must be started with the system property {@value #ENABLE_PROPERTY}=true
 * (bin/jruntime never passes it, so an installed jruntime ignores the environment), and the environment variable
 * {@value #ENV} names the point. {@link Runtime#halt} runs no shutdown hook and no finally block: the process ends
 * with status {@value #EXIT_STATUS} and every fd and flock it held is released by the kernel, exactly as on kill -9.
 */
public final class FaultInjection {
    public static final String ENABLE_PROPERTY = "jruntime.test.faultInjection";
    public static final String ENV = "JRUNTIME_CRASH_AT";
    /** 128 + SIGKILL, what a shell reports for a process killed by kill -9. */
    public static final int EXIT_STATUS = 137;

    /** The armed point, or null (the usual case: decided once, costs one property look-up per JVM). */
    private static final String ARMED = Boolean.getBoolean(ENABLE_PROPERTY) ? System.getenv(ENV) : null;

    private FaultInjection() {
    }

    /** Halts the JVM here if this is the armed point; otherwise does nothing. */
    public static void point(String name) {
        if (ARMED != null && ARMED.equals(name)) {
            System.err.println("jruntime: fault injection: halting at " + name);
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
    }
}
