package io.jruntime.criu;

/**
 * Restore tasks into an existing namespace instead of creating one (criu --join-ns NS:FILE[,EXTRA]).
 *
 * @param ns       namespace type as CRIU names it: net, uts, ipc, pid, mnt, time, user
 * @param nsFile   /proc/PID/ns/NS path or a bind-mounted namespace file
 * @param extraOpt for user namespaces, "UID,GID" to use inside; else null
 */
public record JoinNamespace(String ns, String nsFile, String extraOpt) {
    public JoinNamespace {
        if (ns == null || ns.isEmpty() || nsFile == null || nsFile.isEmpty()) {
            throw new IllegalArgumentException("join namespace needs a type and a file");
        }
    }
}
