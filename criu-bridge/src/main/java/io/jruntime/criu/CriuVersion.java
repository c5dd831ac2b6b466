package io.jruntime.criu;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CRIU version as CRIU reports it over RPC (VERSION request: major_number, minor_number, sublevel, gitid, name).
 * Also the one place that knows which CRIU release jruntime needs for what.
 */
public record CriuVersion(int major, int minor, int sublevel, String gitId, String name)
        implements Comparable<CriuVersion> {

    /** The oldest CRIU jruntime works with at all. */
    public static final CriuVersion MINIMUM = of(4, 1, 0);
    /** The release jruntime is tested with and that `make deps` installs. */
    public static final CriuVersion RECOMMENDED = of(4, 2, 1);
    /**
     * Dumping/restoring established TCP connections on kernels >= 6.16 needs CRIU 4.2: older CRIU cannot restore
     * TCP sockets there (the kernel's TCP repair changes in 6.16 came with the matching CRIU 4.2 fixes).
     */
    public static final CriuVersion TCP_ESTABLISHED_ON_6_16 = of(4, 2, 0);

    private static final Pattern TEXT = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    public static CriuVersion of(int major, int minor, int sublevel) {
        return new CriuVersion(major, minor, sublevel, null, null);
    }

    /** Parses "4.2.1" or the "Version: 4.2.1" line of `criu --version`. */
    public static CriuVersion parse(String text) {
        Matcher m = TEXT.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException("not a CRIU version: " + text);
        }
        return of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    }

    public boolean atLeast(CriuVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(CriuVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(sublevel, o.sublevel);
    }

    /**
     * The features of a request that this CRIU cannot provide on the given kernel, each as a sentence naming the
     * release needed. Empty when everything is fine. Today only established TCP connections depend on the kernel:
     * on kernels >= 6.16 they need CRIU >= 4.2; every other feature jruntime uses works from {@link #MINIMUM}.
     */
    public List<String> unsupported(boolean tcpEstablished, KernelVersion kernel) {
        List<String> out = new ArrayList<>();
        if (!atLeast(MINIMUM)) {
            out.add("CRIU " + this + " is too old: jruntime needs CRIU >= " + MINIMUM + " (install " + RECOMMENDED
                    + " with `make deps`, or pass --criu PATH)");
        }
        if (tcpEstablished && kernel != null && kernel.atLeast(6, 16) && !atLeast(TCP_ESTABLISHED_ON_6_16)) {
            out.add("checkpointing established TCP connections on kernel " + kernel + " needs CRIU >= "
                    + TCP_ESTABLISHED_ON_6_16 + ", this is CRIU " + this);
        }
        return out;
    }

    /** "4.2.1", or "3.17" when the sublevel is 0, as CRIU prints its own version. */
    @Override
    public String toString() {
        return sublevel == 0 ? major + "." + minor : major + "." + minor + "." + sublevel;
    }
}
