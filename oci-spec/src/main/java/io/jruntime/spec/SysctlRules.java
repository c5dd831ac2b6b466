package io.jruntime.spec;

import java.util.Map;
import java.util.Set;

/**
 * linux.sysctl: a sysctl may only be set when the namespace that isolates it is part of the container, otherwise
 * writing it would change the host. The accepted set is the one runc accepts, so configs move freely between them.
 */
final class SysctlRules {

    private static final Set<String> IPC_SYSCTLS = Set.of(
            "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax",
            "kernel.shmmni", "kernel.shm_rmid_forced");
    private static final Set<String> UTS_SYSCTLS = Set.of("kernel.hostname", "kernel.domainname");

    private SysctlRules() {
    }

    static void check(Linux linux, ViolationCollector out) {
        Map<String, String> sysctl = linux.sysctl();
        if (sysctl == null) {
            return;
        }
        for (String key : sysctl.keySet()) {
            String path = JsonPath.key("linux.sysctl", key);
            String namespace = isolatingNamespace(key.replace('/', '.'));
            if (namespace == null) {
                out.add(path, ViolationCollector.quote(key) + " is not isolated by a namespace, so setting it"
                        + " would change the host; remove it (only net.*, fs.mqueue.*, IPC kernel.* and"
                        + " kernel.hostname/domainname can be set)");
            } else if (!NamespaceRules.has(linux, namespace)) {
                out.add(path, NamespaceRules.needs("setting " + ViolationCollector.quote(key), namespace,
                        "the sysctl"));
            } else if (key.replace('/', '.').equals("kernel.hostname")) {
                // runc's validator refuses it (its words, which tools match on): the hostname field sets it.
                out.add(path, "sysctl " + ViolationCollector.quote(key) + " is not allowed as it conflicts with the OCI"
                        + " \"hostname\" field");
            }
        }
    }

    /** The namespace type that isolates the sysctl, or null when none does. Accepts "net/ipv4/x" spelling too. */
    private static String isolatingNamespace(String name) {
        if (name.startsWith("net.")) {
            return "network";
        }
        if (IPC_SYSCTLS.contains(name) || name.startsWith("fs.mqueue.")) {
            return "ipc";
        }
        if (UTS_SYSCTLS.contains(name)) {
            return "uts";
        }
        return null;
    }
}
