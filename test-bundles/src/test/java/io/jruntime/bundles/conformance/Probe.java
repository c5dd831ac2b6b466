package io.jruntime.bundles.conformance;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The probe every corpus bundle runs: busybox shell commands that print, section by section, what a process can
 * observe of its container. Sections start with "==name"; a missing "==probe" line means the process never ran.
 */
final class Probe {
    static final String SCRIPT = String.join("\n",
            "echo ==probe",
            "echo ==env; env | sort",
            "echo ==cwd; pwd",
            "echo ==id; id",
            "echo ==status; grep -E '^(Uid|Gid|Groups|Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp|Seccomp_filters):' /proc/self/status",
            "echo ==mountinfo; cat /proc/self/mountinfo",
            "echo ==dev; for f in /dev/* /dev/pts/* /dev/shm /dev/mqueue; do if [ -e \"$f\" ] || [ -L \"$f\" ]; then stat -c '%n %F %a %u:%g %t:%T' \"$f\"; fi; done",
            "echo ==cgroup; cat /proc/self/cgroup",
            "echo ==devices; cat /sys/fs/cgroup/devices/devices.list 2>&1 | sort", // a set: the kernel keeps write order
            "echo ==cgfiles; for f in memory/memory.limit_in_bytes pids/pids.max cpu/cpu.shares cpu,cpuacct/cpu.shares memory.max pids.max cpu.weight; do [ -f /sys/fs/cgroup/$f ] && echo \"$f $(cat /sys/fs/cgroup/$f)\"; done",
            "echo ==ns; for n in cgroup ipc mnt net pid time user uts; do echo \"$n $(readlink /proc/self/ns/$n)\"; done",
            "echo ==limits; cat /proc/self/limits",
            "echo ==uts; hostname; cat /proc/sys/kernel/domainname",
            "echo ==sysctl; for s in net/ipv4/ip_forward kernel/shmmax kernel/msgmax fs/mqueue/msg_max net/core/somaxconn; do echo \"$s $(cat /proc/sys/$s 2>&1)\"; done",
            "echo ==umask; umask",
            "echo ==actions; mkdir /tmp/.p 2>/dev/null; echo \"mkdir $?\"; touch /.p 2>/dev/null; echo \"rootwrite $?\";"
                    + " chown 1:1 /tmp/.p 2>/dev/null; echo \"chown $?\"; mknod /tmp/.n c 1 3 2>/dev/null; echo \"mknod $?\";"
                    + " echo x > /dev/null; echo \"devnull $?\"; rm -rf /tmp/.p /tmp/.n /.p 2>/dev/null",
            "echo ==end",
            "exit ${PROBE_EXIT:-0}");

    private Probe() {
    }

    /** Section name to its text; empty when the probe did not run. */
    static Map<String, String> sections(String stdout) {
        Map<String, String> out = new LinkedHashMap<>();
        String current = null;
        StringBuilder sb = new StringBuilder();
        for (String line : stdout.split("\n", -1)) {
            if (line.startsWith("==")) {
                if (current != null) {
                    out.put(current, sb.toString());
                }
                current = line.substring(2);
                sb.setLength(0);
            } else if (current != null) {
                sb.append(line).append('\n');
            }
        }
        if (current != null) {
            out.put(current, sb.toString());
        }
        return out;
    }
}
