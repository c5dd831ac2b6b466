package io.jruntime.core.lifecycle;

import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.ops.ExecOptions;
import io.jruntime.spec.Process;
import io.jruntime.spec.Spec;
import io.jruntime.spec.SpecIO;
import io.jruntime.spec.SpecValidator;

import java.util.ArrayList;
import java.util.List;

/**
 * The process an exec runs, built as runc builds it: from --process JSON, or from the container's own
 * config.json process with the command line's args; then the flags override (cwd, env appended, terminal,
 * user, additional gids appended, capabilities added, no_new_privs turned on, AppArmor, label).
 */
public final class ExecProcessBuilder {
    private ExecProcessBuilder() {
    }

    public static Process build(ExecOptions o, Spec containerConfig) {
        Process base;
        if (o.process() != null) {
            base = SpecIO.read(o.process(), Process.class);
        } else {
            if (o.args().isEmpty()) {
                throw new InvalidArgumentException("exec: give the command to run after the container id, or --process");
            }
            Process c = containerConfig == null ? null : containerConfig.process();
            base = c == null ? new Process(false, null, null, o.args(), null, List.of(), "/", null, null, null, null,
                    null, null, null, null, null, null)
                    : new Process(false, null, c.user(), o.args(), null, c.env(), c.cwd(), c.capabilities(), c.rlimits(),
                    c.noNewPrivileges(), c.apparmorProfile(), c.oomScoreAdj(), c.scheduler(), c.selinuxLabel(),
                    c.ioPriority(), c.execCPUAffinity(), null);
        }
        List<String> env = new ArrayList<>(Nulls.list(base.env()));
        env.addAll(o.env());
        Process.User u = base.user();
        Long uid = o.uid() != null ? o.uid() : u == null ? null : u.uid();
        Long gid = o.gid() != null ? o.gid() : u == null ? null : u.gid();
        List<Long> gids = new ArrayList<>(u == null ? List.of() : Nulls.list(u.additionalGids()));
        gids.addAll(o.additionalGids());
        Process.User user = new Process.User(uid == null ? 0L : uid, gid == null ? 0L : gid,
                u == null ? null : u.umask(), gids.isEmpty() ? null : gids, null, null);
        Process.Capabilities caps = base.capabilities();
        if (!o.capabilities().isEmpty()) {
            caps = new Process.Capabilities(plus(caps == null ? null : caps.bounding(), o.capabilities()),
                    plus(caps == null ? null : caps.effective(), o.capabilities()),
                    caps == null ? null : caps.inheritable(),
                    plus(caps == null ? null : caps.permitted(), o.capabilities()),
                    caps == null ? null : caps.ambient(), null);
        }
        Process p = new Process(o.tty() || Boolean.TRUE.equals(base.terminal()) && o.process() != null,
                base.consoleSize(), user, base.args(), null, env,
                o.cwd() != null ? o.cwd() : base.cwd() == null ? "/" : base.cwd(), caps, base.rlimits(),
                o.noNewPrivs() || Boolean.TRUE.equals(base.noNewPrivileges()),
                o.apparmor() != null ? o.apparmor() : base.apparmorProfile(), base.oomScoreAdj(), base.scheduler(),
                o.processLabel() != null ? o.processLabel() : base.selinuxLabel(), base.ioPriority(),
                base.execCPUAffinity(), null);
        SpecValidator.checkProcess(p, o.process() != null ? "process" : "exec");
        return p;
    }

    private static List<String> plus(List<String> set, List<String> extra) {
        List<String> out = new ArrayList<>(Nulls.list(set));
        for (String c : extra) {
            String name = c.startsWith("CAP_") ? c : "CAP_" + c;
            if (!out.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }
}
