package io.jruntime.cli;

import io.jruntime.cli.commands.BaseCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command and flag of runc 1.1.5, spelled as runc spells them, with the same kind (switch or value). The
 * expected lists were generated from {@code runc <cmd> --help} on this machine ("name/alias:V" takes a value,
 * ":B" is a switch); hidden runc flags found by probing runc are listed separately.
 */
class FlagTablesTest {
    static final Map<String, String> RUNC = new LinkedHashMap<>();

    static {
        RUNC.put("create", "bundle/b:V console-socket:V pid-file:V no-pivot:B no-new-keyring:B preserve-fds:V");
        RUNC.put("run", "bundle/b:V console-socket:V detach/d:B keep:B pid-file:V no-subreaper:B no-pivot:B no-new-keyring:B preserve-fds:V");
        RUNC.put("start", "");
        RUNC.put("state", "");
        RUNC.put("list", "format/f:V quiet/q:B");
        RUNC.put("kill", "all/a:B");
        RUNC.put("delete", "force/f:B");
        RUNC.put("exec", "console-socket:V cwd:V env/e:V tty/t:B user/u:V additional-gids/g:V process/p:V detach/d:B pid-file:V "
                + "process-label:V apparmor:V no-new-privs:B cap/c:V preserve-fds:V cgroup:V ignore-paused:B");
        RUNC.put("pause", "");
        RUNC.put("resume", "");
        RUNC.put("ps", "format/f:V");
        RUNC.put("events", "interval:V stats:B");
        RUNC.put("update", "resources/r:V blkio-weight:V cpu-period:V cpu-quota:V cpu-share:V cpu-rt-period:V cpu-rt-runtime:V "
                + "cpuset-cpus:V cpuset-mems:V memory:V memory-reservation:V memory-swap:V pids-limit:V l3-cache-schema:V "
                + "mem-bw-schema:V kernel-memory:V kernel-memory-tcp:V");
        RUNC.put("spec", "bundle/b:V rootless:B");
        RUNC.put("features", "");
        RUNC.put("checkpoint", "image-path:V work-path:V parent-path:V leave-running:B tcp-established:B ext-unix-sk:B shell-job:B "
                + "lazy-pages:B status-fd:V page-server:V file-locks:B pre-dump:B manage-cgroups-mode:V empty-ns:V auto-dedup:B");
        RUNC.put("restore", "console-socket:V image-path:V work-path:V tcp-established:B ext-unix-sk:B shell-job:B file-locks:B "
                + "manage-cgroups-mode:V bundle/b:V detach/d:B pid-file:V no-subreaper:B no-pivot:B empty-ns:V auto-dedup:B "
                + "lazy-pages:B lsm-profile:V lsm-mount-context:V");
    }

    static final String RUNC_GLOBAL = "debug:B log:V log-format:V root:V criu:V systemd-cgroup:B rootless:V version/v:B";

    /** Flags jruntime accepts that runc 1.1.5 does not. */
    static final Map<String, String> EXTRA = Map.of("restore", "no-new-keyring:B import:V mount:V",
            "checkpoint", "export:V with-rootfs:B");

    @TempDir
    Path tmp;

    private static Set<String> describe(FlagSpec spec) {
        Set<String> s = new TreeSet<>();
        for (FlagSpec.Flag f : spec.flags()) {
            s.add(f.name() + (f.alias() == null ? "" : "/" + f.alias()) + (f.kind() == FlagSpec.Kind.BOOL ? ":B" : ":V"));
        }
        return s;
    }

    private static Set<String> split(String s) {
        Set<String> out = new TreeSet<>();
        for (String x : s.split(" ")) {
            if (!x.isEmpty()) {
                out.add(x);
            }
        }
        return out;
    }

    @Test
    void sameCommandsAsRunc() {
        assertEquals(new TreeSet<>(RUNC.keySet()), new TreeSet<>(Commands.NAMES));
    }

    @Test
    void sameFlagsAsRunc() {
        for (Map.Entry<String, String> e : RUNC.entrySet()) {
            Set<String> expected = split(e.getValue());
            expected.addAll(split(EXTRA.getOrDefault(e.getKey(), "")));
            assertEquals(expected, describe(Commands.create(e.getKey()).spec()), e.getKey());
        }
        assertEquals(split(RUNC_GLOBAL), describe(GlobalFlags.SPEC));
    }

    @Test
    void repeatableFlagsKeepEveryValue() {
        Set<String> lists = new TreeSet<>();
        for (String c : Commands.NAMES) {
            for (FlagSpec.Flag f : Commands.create(c).spec().flags()) {
                if (f.kind() == FlagSpec.Kind.LIST) {
                    lists.add(c + " " + f.name());
                }
            }
        }
        assertEquals(Set.of("exec env", "exec additional-gids", "exec cap", "exec cgroup", "checkpoint empty-ns", "restore empty-ns",
                "restore mount"), lists);
    }

    @Test
    void everyFlagOfEveryCommandParsesInEveryGoForm() {
        for (String c : Commands.NAMES) {
            BaseCommand cmd = Commands.create(c);
            for (FlagSpec.Flag f : cmd.spec().flags()) {
                for (String n : f.alias() == null ? new String[] {f.name()} : new String[] {f.name(), f.alias()}) {
                    for (String dash : new String[] {"-", "--"}) {
                        java.util.List<String> args = f.kind() == FlagSpec.Kind.BOOL
                                ? java.util.List.of(dash + n, dash + n + "=true")
                                : java.util.List.of(dash + n, "1", dash + n + "=1");
                        ParsedArgs p = GoArgs.parse(cmd.spec(), args, 0, args.size(), false, c);
                        assertTrue(p.has(f.name()), c + " " + dash + n);
                        assertTrue(p.positionals().isEmpty(), c + " " + dash + n);
                    }
                }
            }
        }
    }

    @Test
    void everyCommandHasHelpListingItsVisibleFlags() {
        for (String c : Commands.NAMES) {
            CliHarness.Result r = CliHarness.recording(tmp).run(c, "--help");
            assertEquals(0, r.exit(), c);
            assertTrue(r.out().contains("jruntime " + c), r.out());
            for (FlagSpec.Flag f : Commands.create(c).spec().flags()) {
                if (!f.hidden()) {
                    assertTrue(r.out().contains("--" + f.name()), c + " help lacks --" + f.name() + ":\n" + r.out());
                }
            }
            assertTrue(r.calls().isEmpty());
        }
    }

    @Test
    void globalHelpListsEveryCommand() {
        CliHarness.Result r = CliHarness.recording(tmp).run("--help");
        assertEquals(0, r.exit());
        for (String c : Commands.NAMES) {
            assertTrue(r.out().contains("  " + c + " "), c + " missing from\n" + r.out());
        }
        for (FlagSpec.Flag f : GlobalFlags.SPEC.flags()) {
            assertTrue(r.out().contains("--" + f.name()), f.name());
        }
        assertNotNull(Commands.create("features").summary());
    }
}
