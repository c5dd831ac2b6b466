package io.jruntime.bundles;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The same bundles under runc and jruntime give the same observable results: exit code, stdout, and the
 * identity/capability fields of /proc/self/status.
 */
class SideBySideRuncIT extends ContainerTestBase {
    private static final String PROBE = "grep -E '^(Uid|Gid|Groups|Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp):' /proc/self/status;"
            + " hostname; ls /dev; cat /proc/self/mountinfo | cut -d' ' -f5 | sort; ulimit -n; umask; exit 5";

    private Jruntime.Result under(Path runtime, String name, java.util.function.Consumer<ObjectNode> edit) {
        return under(runtime, name, edit, PROBE);
    }

    private Jruntime.Result under(Path runtime, String name, java.util.function.Consumer<ObjectNode> edit,
                                  String script) {
        Jruntime rt = new Jruntime(runtime, work.resolve("state-" + name));
        Bundle b = Bundle.create(work.resolve("bundle-" + name), jr, "sh", "-c", script);
        b.edit(edit);
        Jruntime.Result r = rt.run(b.dir(), 60, "run", id(name));
        rt.run("delete", "--force", id(name));
        return r;
    }

    private void compare(java.util.function.Consumer<ObjectNode> edit) {
        compare(edit, PROBE);
    }

    private void compare(java.util.function.Consumer<ObjectNode> edit, String script) {
        Path runc = Path.of("/usr/sbin/runc");
        if (!Files.isExecutable(runc)) {
            throw new AssertionError("runc is missing: run `make deps`");
        }
        Jruntime.Result a = under(runc, "runc", edit, script);
        Jruntime.Result b = under(Jruntime.defaultBinary(), "jruntime", edit, script);
        assertEquals(a.exitCode(), b.exitCode(), "exit code; runc stderr: " + a.stderr() + " jruntime stderr: " + b.stderr());
        assertEquals(a.stdout(), b.stdout());
    }

    @Test
    void defaultSpec() {
        compare(c -> c.put("hostname", "side-by-side"));
    }

    @Test
    void userWithGroupsRlimitsAndNoNewPrivs() {
        compare(c -> {
            ObjectNode p = (ObjectNode) c.path("process");
            ObjectNode u = p.putObject("user");
            u.put("uid", 1000).put("gid", 1000).put("umask", 027);
            u.putArray("additionalGids").add(5);
            p.put("noNewPrivileges", true);
            p.putArray("rlimits").addObject().put("type", "RLIMIT_NOFILE").put("soft", 333).put("hard", 444);
            ObjectNode caps = (ObjectNode) p.path("capabilities");
            for (String set : List.of("bounding", "effective", "permitted", "ambient")) {
                caps.putArray(set).add("CAP_CHOWN").add("CAP_NET_RAW").add("CAP_SYS_ADMIN");
            }
        });
    }

    @Test
    void dockerLikeSeccompProfile() {
        // issue 13 item 17: runc loads it, and so must jruntime, with the same allowed and refused calls
        compare(c -> ((ObjectNode) c.path("linux")).set("seccomp", SeccompProfiles.dockerLike()),
                PROBE.replace("exit 5", "mkdir /tmp/a; echo mkdir=$?; unshare -U true 2>/dev/null; echo unshare=$?; "
                        + "grep Seccomp_filters: /proc/self/status; exit 5"));
    }
}
