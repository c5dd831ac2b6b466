package io.jruntime.core.ops;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * {@code exec [flags] <id> <command> [args...]} or {@code exec [flags] --process/-p process.json <id>}.
 * Flags given on the command line override the matching process.json fields (runc's rule). Any failure in the
 * exec operation is reported as {@code exec failed: ...} with exit status 255.
 *
 * @param id             container id
 * @param args           the command and its arguments (everything after the id, never parsed as flags);
 *                       runc ignores them when a process file is given
 * @param process        absolute path of a process.json (runtime-spec "process" object); null when not given
 * @param consoleSocket  AF_UNIX socket to send the pty master to (with tty), as given; null when not given
 * @param cwd            working directory inside the container; null when not given
 * @param env            extra "KEY=value" entries, in order ({@code --env/-e}, repeatable)
 * @param tty            {@code --tty/-t}: allocate a pseudo-terminal
 * @param uid            {@code --user/-u} uid part ("uid[:gid]"); null when not given
 * @param gid            {@code --user/-u} gid part; null when not given
 * @param additionalGids {@code --additional-gids/-g} (repeatable), each 0..2^32-1
 * @param detach         {@code --detach/-d}: return once started (the caller reaps the process)
 * @param pidFile        absolute path to write the process pid to; null when not given
 * @param processLabel   SELinux label of the process; null when not given
 * @param apparmor       AppArmor profile of the process; null when not given
 * @param noNewPrivs     {@code --no-new-privs}: set no_new_privs (only ever turns it on)
 * @param capabilities   {@code --cap/-c} (repeatable): capabilities added to the process's sets
 * @param preserveFds    extra fds after stdio (and $LISTEN_FDS) passed to the process, 0 by default
 * @param cgroups        {@code --cgroup} (repeatable): "[controller:]path" sub-cgroups to run in
 * @param ignorePaused   {@code --ignore-paused}: allow exec into a paused container
 */
public record ExecOptions(
        String id,
        List<String> args,
        Path process,
        Path consoleSocket,
        String cwd,
        List<String> env,
        boolean tty,
        Long uid,
        Long gid,
        List<Long> additionalGids,
        boolean detach,
        Path pidFile,
        String processLabel,
        String apparmor,
        boolean noNewPrivs,
        List<String> capabilities,
        int preserveFds,
        List<String> cgroups,
        boolean ignorePaused) {

    public ExecOptions {
        Objects.requireNonNull(id, "id");
        args = List.copyOf(args);
        env = List.copyOf(env);
        additionalGids = List.copyOf(additionalGids);
        capabilities = List.copyOf(capabilities);
        cgroups = List.copyOf(cgroups);
    }
}
