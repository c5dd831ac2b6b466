package io.jruntime.core.cgroups;

import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.cgroups.CgroupResources.DeviceRule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Device rules: validation, the cgroup v1 text form, and an emulator of the kernel's v1 devices controller
 * (security/device_cgroup.c) that computes the state a rule list leads to. The v2 eBPF compiler and the v1 writer both
 * start from that state, so v1 and v2 behave the same.
 */
public final class DeviceCgroupRules {
    public static final int ACC_MKNOD = 1;
    public static final int ACC_READ = 2;
    public static final int ACC_WRITE = 4;
    public static final int ACC_ALL = ACC_MKNOD | ACC_READ | ACC_WRITE;

    private DeviceCgroupRules() {
    }

    /**
     * One exception of the v1 model: a concrete type ('c' or 'b'), major/minor (-1 = any) and access bits.
     */
    public record Entry(char type, long major, long minor, int access) {
        /** "c 1:3 rwm" as devices.list prints it. */
        public String text() {
            return type + " " + num(major) + ":" + num(minor) + " " + accessText(access);
        }

        Key key() {
            return new Key(type, major, minor);
        }
    }

    record Key(char type, long major, long minor) {
    }

    /** The result of applying rules: the default behaviour and the exceptions to it (all of the opposite verdict). */
    public record State(boolean defaultAllow, List<Entry> exceptions) {
        public State {
            exceptions = List.copyOf(exceptions);
        }

        /** What the kernel's devices.list shows for this state (v1 prints "a *:* rwm" for any default-allow state). */
        public List<String> listText() {
            if (defaultAllow) {
                return List.of("a *:* rwm");
            }
            List<String> l = new ArrayList<>();
            for (Entry e : exceptions) {
                l.add(e.text());
            }
            return l;
        }

        /** Whether an access is permitted, by the kernel's v1 matching rules. */
        public boolean permits(char type, long major, long minor, int access) {
            if (defaultAllow) {
                for (Entry e : exceptions) {
                    if (e.type() == type && (e.major() == -1 || e.major() == major) && (e.minor() == -1 || e.minor() == minor)
                            && (access & e.access()) != 0) {
                        return false;
                    }
                }
                return true;
            }
            for (Entry e : exceptions) {
                if (e.type() == type && (e.major() == -1 || e.major() == major) && (e.minor() == -1 || e.minor() == minor)
                        && (access & ~e.access()) == 0) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Everything denied, no exceptions: the state a rule list is applied on (what writing "a" to devices.deny gives). */
    public static final State DENY_ALL = new State(false, List.of());

    /**
     * Applies rules in order on top of {@link #DENY_ALL} (as runc does: its emulator starts as an empty allow-list, and
     * on v1 it is what writing "a" to devices.deny first gives).
     */
    public static State emulate(List<DeviceRule> rules) {
        return emulate(DENY_ALL, rules);
    }

    /** Applies rules in order on top of a state. */
    public static State emulate(State start, List<DeviceRule> rules) {
        boolean defaultAllow = start.defaultAllow();
        Map<Key, Integer> ex = new LinkedHashMap<>();
        for (Entry e : start.exceptions()) {
            ex.merge(e.key(), e.access(), (a, b) -> a | b);
        }
        for (int i = 0; i < rules.size(); i++) {
            DeviceRule r = rules.get(i);
            char type = type(r, i);
            int access = access(r, i);
            if (type == 'a') {
                ex.clear();
                defaultAllow = r.allow();
                continue;
            }
            Key k = new Key(type, wildcard(r.major(), i, "major"), wildcard(r.minor(), i, "minor"));
            if (access == 0) {
                continue; // only letters runc drops ("xyz"): the rule changes nothing
            }
            // allow in allow-mode / deny in deny-mode removes a matching exception; otherwise adds one
            if (r.allow() == defaultAllow) {
                Integer cur = ex.get(k);
                if (cur != null) {
                    int left = cur & ~access;
                    if (left == 0) {
                        ex.remove(k);
                    } else {
                        ex.put(k, left);
                    }
                }
            } else {
                ex.merge(k, access, (a, b) -> a | b);
            }
        }
        List<Entry> out = new ArrayList<>();
        ex.forEach((k, a) -> out.add(new Entry(k.type(), k.major(), k.minor(), a)));
        return new State(defaultAllow, out);
    }

    /** Parses devices.list text ("a *:* rwm" or lines of "c 1:3 rwm") into a state. */
    public static State parseList(String text) {
        List<Entry> l = new ArrayList<>();
        for (String line : text.split("\n")) {
            line = line.trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] p = line.split("\\s+");
            if (p.length != 3) {
                continue;
            }
            if (p[0].equals("a")) {
                return new State(true, List.of());
            }
            String[] mm = p[1].split(":");
            l.add(new Entry(p[0].charAt(0), mm[0].equals("*") ? -1 : Long.parseLong(mm[0]),
                    mm[1].equals("*") ? -1 : Long.parseLong(mm[1]), parseAccess(p[2])));
        }
        return new State(false, l);
    }

    static char type(DeviceRule r, int idx) {
        String t = r.type();
        if (t == null || t.isEmpty() || t.equals("a")) {
            return 'a';
        }
        if (t.equals("c") || t.equals("b")) {
            return t.charAt(0);
        }
        throw new InvalidArgumentException("linux.resources.devices[" + idx + "].type: \"" + t
                + "\" is not a cgroup device type (a, c or b)");
    }

    static int access(DeviceRule r, int idx) {
        String a = r.access();
        if (a == null || a.isEmpty()) {
            return ACC_ALL;
        }
        // Other letters are dropped, as runc's rule emulator drops them ("rwa" is "rw"); the lifecycle warns
        // about them once (see unknownAccess).
        return parseAccess(a);
    }

    /** The letters of an access string that are none of r, w, m (runc ignores them), or "" when there are none. */
    public static String unknownAccess(String access) {
        return access == null ? "" : access.replaceAll("[rwm]", "");
    }

    private static long wildcard(Long v, int idx, String what) {
        if (v == null || v == -1) {
            return -1;
        }
        if (v < 0 || v > 0xFFFFFFFFL) {
            throw new InvalidArgumentException("linux.resources.devices[" + idx + "]." + what + ": " + v + " is out of range");
        }
        return v;
    }

    static int parseAccess(String s) {
        int bits = 0;
        for (char c : s.toCharArray()) {
            if (c == 'r') {
                bits |= ACC_READ;
            } else if (c == 'w') {
                bits |= ACC_WRITE;
            } else if (c == 'm') {
                bits |= ACC_MKNOD;
            }
        }
        return bits;
    }

    static String accessText(int bits) {
        StringBuilder b = new StringBuilder();
        if ((bits & ACC_READ) != 0) {
            b.append('r');
        }
        if ((bits & ACC_WRITE) != 0) {
            b.append('w');
        }
        if ((bits & ACC_MKNOD) != 0) {
            b.append('m');
        }
        return b.toString();
    }

    private static String num(long v) {
        return v == -1 ? "*" : Long.toString(v);
    }

    /** The v1 text of one rule for devices.allow/devices.deny ("a", or "c 1:3 rwm"). */
    public static String v1Text(DeviceRule r, int idx) {
        char t = type(r, idx);
        if (t == 'a') {
            return "a";
        }
        return t + " " + num(wildcard(r.major(), idx, "major")) + ":" + num(wildcard(r.minor(), idx, "minor")) + " "
                + accessText(access(r, idx));
    }

    /**
     * The device rules runc adds after the spec's own (libcontainer/specconv AllowedDevices): mknod of any device, and
     * rwm on /dev/null, zero, full, random, urandom, tty, ptmx, the pty slaves (136:*) and tun (10:200), exactly
     * runc 1.1.5's list (compared with runc's devices.list in HostPolicyEscapeIT). The lifecycle appends these
     * to {@code linux.resources.devices} when it wants runc's behaviour.
     */
    public static List<DeviceRule> runcDefaultRules() {
        return List.of(
                DeviceRule.allow("c", null, null, "m"),
                DeviceRule.allow("b", null, null, "m"),
                DeviceRule.allow("c", 1L, 3L, "rwm"),   // /dev/null
                DeviceRule.allow("c", 1L, 8L, "rwm"),   // /dev/random
                DeviceRule.allow("c", 1L, 7L, "rwm"),   // /dev/full
                DeviceRule.allow("c", 5L, 0L, "rwm"),   // /dev/tty
                DeviceRule.allow("c", 1L, 5L, "rwm"),   // /dev/zero
                DeviceRule.allow("c", 1L, 9L, "rwm"),   // /dev/urandom
                DeviceRule.allow("c", 136L, null, "rwm"), // /dev/pts/*
                DeviceRule.allow("c", 5L, 2L, "rwm"),   // /dev/ptmx
                DeviceRule.allow("c", 10L, 200L, "rwm")); // /dev/net/tun (runc 1.1's list; 1.2 dropped it)
    }

    /** Equality of states ignoring exception order. */
    static boolean sameState(State a, State b) {
        if (a.defaultAllow() != b.defaultAllow()) {
            return false;
        }
        Map<Key, Integer> ma = new LinkedHashMap<>();
        a.exceptions().forEach(e -> ma.merge(e.key(), e.access(), (x, y) -> x | y));
        Map<Key, Integer> mb = new LinkedHashMap<>();
        b.exceptions().forEach(e -> mb.merge(e.key(), e.access(), (x, y) -> x | y));
        return Objects.equals(ma, mb);
    }
}
