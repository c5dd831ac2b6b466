package io.jruntime.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** STUB (cli branch): starter configs for {@code jruntime spec}. The spec branch provides the real ones. */
public final class SpecTemplates {
    private static final String DEFAULT = """
            {"ociVersion":"1.2.0",
             "process":{"terminal":true,"user":{"uid":0,"gid":0},"args":["sh"],
              "env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","TERM=xterm"],
              "cwd":"/",
              "capabilities":{"bounding":["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"],
               "effective":["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"],
               "permitted":["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"]},
              "rlimits":[{"type":"RLIMIT_NOFILE","hard":1024,"soft":1024}],
              "noNewPrivileges":true},
             "root":{"path":"rootfs","readonly":true},
             "hostname":"jruntime",
             "mounts":[
              {"destination":"/proc","type":"proc","source":"proc"},
              {"destination":"/dev","type":"tmpfs","source":"tmpfs","options":["nosuid","strictatime","mode=755","size=65536k"]},
              {"destination":"/dev/pts","type":"devpts","source":"devpts","options":["nosuid","noexec","newinstance","ptmxmode=0666","mode=0620","gid=5"]},
              {"destination":"/dev/shm","type":"tmpfs","source":"shm","options":["nosuid","noexec","nodev","mode=1777","size=65536k"]},
              {"destination":"/dev/mqueue","type":"mqueue","source":"mqueue","options":["nosuid","noexec","nodev"]},
              {"destination":"/sys","type":"sysfs","source":"sysfs","options":["nosuid","noexec","nodev","ro"]},
              {"destination":"/sys/fs/cgroup","type":"cgroup","source":"cgroup","options":["nosuid","noexec","nodev","relatime","ro"]}],
             "linux":{"resources":{"devices":[{"allow":false,"access":"rwm"}]},
              "namespaces":[{"type":"pid"},{"type":"network"},{"type":"ipc"},{"type":"uts"},{"type":"mount"},{"type":"cgroup"}],
              "maskedPaths":["/proc/acpi","/proc/asound","/proc/kcore","/proc/keys","/proc/latency_stats","/proc/timer_list",
               "/proc/timer_stats","/proc/sched_debug","/sys/firmware","/proc/scsi"],
              "readonlyPaths":["/proc/bus","/proc/fs","/proc/irq","/proc/sys","/proc/sysrq-trigger"]}}
            """;

    private SpecTemplates() {
    }

    public static Spec runcDefault() {
        try {
            return new Spec((ObjectNode) new ObjectMapper().readTree(DEFAULT));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The default made rootless: a user namespace mapping uid/gid to root, no network namespace, /sys bind-mounted. */
    public static Spec rootless(int uid, int gid) {
        ObjectNode t = runcDefault().tree();
        ObjectNode linux = (ObjectNode) t.get("linux");
        linux.remove("resources");
        ArrayNode ns = linux.putArray("namespaces");
        for (String n : new String[] {"pid", "ipc", "uts", "mount", "cgroup", "user"}) {
            ns.addObject().put("type", n);
        }
        linux.putArray("uidMappings").addObject().put("containerID", 0).put("hostID", uid).put("size", 1);
        linux.putArray("gidMappings").addObject().put("containerID", 0).put("hostID", gid).put("size", 1);
        for (var m : t.get("mounts")) {
            ObjectNode mount = (ObjectNode) m;
            String dest = mount.get("destination").asText();
            if (dest.equals("/sys")) {
                mount.put("type", "none").put("source", "/sys");
                mount.putArray("options").add("rbind").add("nosuid").add("noexec").add("nodev").add("ro");
            } else if (dest.equals("/dev/pts")) {
                mount.putArray("options").add("nosuid").add("noexec").add("newinstance").add("ptmxmode=0666").add("mode=0620");
            }
        }
        return new Spec(t);
    }
}
