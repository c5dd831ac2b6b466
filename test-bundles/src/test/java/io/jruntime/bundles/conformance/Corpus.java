package io.jruntime.bundles.conformance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The corpus: every container-observable item of issue 13, then configurations generated across the spec's fields
 * (mounts and their options, propagation, symlinked destinations, users and groups, capabilities, env and cwd,
 * devices, sysctls, seccomp, hooks, namespaces by path, rlimits, resources, invalid values). Every generated
 * case is one field changed from the base config, so a difference points at the field.
 */
final class Corpus {
    private Corpus() {
    }

    /** Every {@code fastEvery}-th generated case (and every issue case) is in the fast subset. */
    static List<Case> all(int nsHelperPid, int fastEvery) {
        List<Case> out = new ArrayList<>(issue13(nsHelperPid));
        List<Case> gen = generated(nsHelperPid);
        for (int i = 0; i < gen.size(); i++) {
            Case c = gen.get(i);
            out.add(new Case(c.name(), i % fastEvery == 0, c.edit(), c.setup(), c.steps()));
        }
        return out;
    }

    // ---- helpers on config.json ------------------------------------------------------------------------------

    static ObjectNode process(ObjectNode c) {
        return (ObjectNode) c.path("process");
    }

    static ObjectNode linux(ObjectNode c) {
        return (ObjectNode) c.path("linux");
    }

    static ArrayNode env(ObjectNode c) {
        return (ArrayNode) process(c).path("env");
    }

    static ObjectNode mount(ObjectNode c, String dest, String type, String source, String... options) {
        ObjectNode m = ((ArrayNode) c.path("mounts")).addObject();
        m.put("destination", dest).put("type", type).put("source", source);
        ArrayNode o = m.putArray("options");
        for (String s : options) {
            o.add(s);
        }
        return m;
    }

    static ArrayNode devices(ObjectNode c) {
        ObjectNode l = linux(c);
        return l.has("devices") ? (ArrayNode) l.path("devices") : l.putArray("devices");
    }

    static ObjectNode resources(ObjectNode c) {
        ObjectNode l = linux(c);
        return l.has("resources") ? (ObjectNode) l.path("resources") : l.putObject("resources");
    }

    static void caps(ObjectNode c, String... names) {
        ObjectNode caps = process(c).putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            ArrayNode a = caps.putArray(set);
            for (String n : names) {
                a.add(n);
            }
        }
    }

    static void user(ObjectNode c, int uid, int gid, int... extra) {
        ObjectNode u = process(c).putObject("user");
        u.put("uid", uid).put("gid", gid);
        if (extra.length > 0) {
            ArrayNode a = u.putArray("additionalGids");
            for (int g : extra) {
                a.add(g);
            }
        }
    }

    static void removeNamespace(ObjectNode c, String type) {
        ArrayNode ns = (ArrayNode) linux(c).path("namespaces");
        for (int i = ns.size() - 1; i >= 0; i--) {
            if (ns.get(i).path("type").asText().equals(type)) {
                ns.remove(i);
            }
        }
    }

    static void addNamespace(ObjectNode c, String type, String path) {
        removeNamespace(c, type);
        ObjectNode n = ((ArrayNode) linux(c).path("namespaces")).addObject().put("type", type);
        if (path != null) {
            n.put("path", path);
        }
    }

    /** A user namespace mapping root to 100000 (65536 ids), as rootless-like engines configure. */
    static void userns(ObjectNode c) {
        addNamespace(c, "user", null);
        linux(c).putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
        linux(c).putArray("gidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
    }

    /** A hook that logs its kind, working directory and whether PATH was set to the run's hooks.log. */
    static ObjectNode hook(ObjectNode c, String kind, Path run, String label, int exit) {
        ObjectNode hooks = c.has("hooks") ? (ObjectNode) c.path("hooks") : c.putObject("hooks");
        ArrayNode list = hooks.has(kind) ? (ArrayNode) hooks.path(kind) : hooks.putArray(kind);
        ObjectNode h = list.addObject();
        h.put("path", "/bin/sh");
        h.putArray("args").add("sh").add("-c").add("cat >/dev/null; echo \"" + kind + " " + label
                + " cwd=$(pwd) path=${PATH:+set}\" >> " + run.resolve("hooks.log") + "; exit " + exit);
        return h;
    }

    static ObjectNode seccomp(ObjectNode c, String defaultAction) {
        ObjectNode s = linux(c).putObject("seccomp");
        s.put("defaultAction", defaultAction);
        s.putArray("architectures").add("SCMP_ARCH_X86_64").add("SCMP_ARCH_X86").add("SCMP_ARCH_X32");
        s.putArray("syscalls");
        return s;
    }

    static ObjectNode rule(ObjectNode seccomp, String action, String... names) {
        ObjectNode r = ((ArrayNode) seccomp.path("syscalls")).addObject();
        ArrayNode n = r.putArray("names");
        for (String s : names) {
            n.add(s);
        }
        r.put("action", action);
        return r;
    }

    // ---- issue 13 ----------------------------------------------------------------------------------------

    static List<Case> issue13(int helper) {
        List<Case> l = new ArrayList<>();
        l.add(Case.of("issue13-00-seccomp-without-nnp-close-range", true, (c, d) -> {
            process(c).put("noNewPrivileges", false);
            ObjectNode s = seccomp(c, "SCMP_ACT_ALLOW");
            rule(s, "SCMP_ACT_ERRNO", "close_range").put("errnoRet", 1);
        }));
        l.add(Case.of("issue13-01-checkpoint-destroys", false, (c, d) -> process(c).putArray("args").add("sleep").add("1000"))
                .withSteps(List.of(List.of("run", "-d", "--bundle", "BUNDLE", "ID"),
                        List.of("checkpoint", "--image-path", "RUN/images", "ID"), List.of("state", "ID"),
                        List.of("restore", "-d", "--image-path", "RUN/images", "--bundle", "BUNDLE", "ID"),
                        List.of("state", "ID"))));
        l.add(Case.of("issue13-03-parent-path-absolute", false, (c, d) -> process(c).putArray("args").add("sleep").add("1000"))
                .withSteps(List.of(List.of("run", "-d", "--bundle", "BUNDLE", "ID"),
                        List.of("checkpoint", "--image-path", "RUN/images", "--parent-path", "/abs", "ID"),
                        List.of("checkpoint", "--image-path", "RUN/images", "--parent-path", "../missing", "ID"),
                        List.of("state", "ID"))));
        l.add(Case.of("issue13-05-home-root", true, (c, d) -> { }));
        l.add(Case.of("issue13-05-home-user", true, (c, d) -> user(c, 1000, 1000)));
        l.add(Case.of("issue13-05-home-unknown-user", true, (c, d) -> user(c, 4242, 4242)));
        l.add(Case.of("issue13-06-exec-env-override", true, (c, d) -> {
            process(c).putArray("args").add("sleep").add("1000");
            env(c).add("FOO=config");
        }).withSteps(List.of(List.of("run", "-d", "--bundle", "BUNDLE", "ID"),
                List.of("exec", "--env", "FOO=exec", "ID", "sh", "-c", "env | grep FOO"),
                List.of("exec", "--user", "1000", "ID", "sh", "-c", "echo $HOME"))));
        l.add(Case.of("issue13-07-missing-cwd", true, (c, d) -> process(c).put("cwd", "/doesnotexist/deeper")));
        l.add(Case.of("issue13-08-cwd-root-only", true, (c, d) -> {
            process(c).put("cwd", "/root");
            user(c, 42, 42);
        }).withSetup((r, d) -> Runner.sh("chmod", "0700", r.resolve("root").toString())));
        l.add(Case.of("issue13-09-unknown-capability", true, (c, d) -> caps(c, "CAP_CHOWN", "CAP_UNKNOWN")));
        l.add(Case.of("issue13-10-poststart-failure-runs-the-rest", true, (c, d) -> {
            hook(c, "poststart", d, "first", 1);
            hook(c, "poststart", d, "second", 0);
        }));
        l.add(Case.of("issue13-10-poststop-failure-runs-the-rest", true, (c, d) -> {
            hook(c, "poststop", d, "first", 1);
            hook(c, "poststop", d, "second", 0);
        }));
        l.add(Case.of("issue13-10-hook-env-and-cwd", true, (c, d) -> {
            hook(c, "prestart", d, "p", 0);
            hook(c, "createRuntime", d, "cr", 0);
            hook(c, "createContainer", d, "cc", 0);
        }));
        l.add(Case.of("issue13-11-exec-with-cgroupns", true, (c, d) -> {
            process(c).putArray("args").add("sleep").add("1000");
            addNamespace(c, "cgroup", null);
        }).withSteps(List.of(List.of("run", "-d", "--bundle", "BUNDLE", "ID"),
                List.of("exec", "ID", "cat", "/proc/self/cgroup"))));
        l.add(Case.of("issue13-cgroupspath-relative", true, (c, d) -> linux(c).put("cgroupsPath", "conformance/" + d.getParent().getFileName() + "-" + d.getFileName())));
        l.add(Case.of("issue13-rootfs-propagation-unbindable", true, (c, d) -> linux(c).put("rootfsPropagation", "unbindable")));
        l.add(Case.of("issue13-12-dangling-symlink-bind", true, (c, d) -> {
            Files.createDirectories(d.resolve("src"));
            mount(c, "/etc/not-existing", "bind", d.resolve("src").toString(), "rbind");
        }).withSetup((r, d) -> Files.createSymbolicLink(r.resolve("etc/not-existing"), Path.of("../foo/bar/not/here"))));
        l.add(Case.of("issue13-12-dangling-symlink-tmpfs", true, (c, d) -> mount(c, "/etc/resolv-dir", "tmpfs", "tmpfs"))
                .withSetup((r, d) -> Files.createSymbolicLink(r.resolve("etc/resolv-dir"), Path.of("../run/systemd/resolve"))));
        l.add(Case.of("issue13-13-userns-root-only-bind-source", true, (c, d) -> {
            userns(c);
            Path p = d.resolve("private/data");
            Files.createDirectories(p);
            Runner.sh("chmod", "0700", d.resolve("private").toString());
            mount(c, "/data", "bind", p.toString(), "rbind");
        }).withSetup((r, d) -> Runner.sh("chown", "-R", "100000:100000", r.toString())));
        l.add(Case.of("issue13-14-dev-tmpfs-ro", true, (c, d) -> {
            for (var m : c.path("mounts")) {
                if (m.path("destination").asText().equals("/dev")) {
                    ((ArrayNode) m.path("options")).add("ro");
                }
            }
        }));
        l.add(Case.of("issue13-15-rootfs-propagation-shared", true, (c, d) -> linux(c).put("rootfsPropagation", "shared")));
        l.add(Case.of("issue13-15-rootfs-propagation-rshared", true, (c, d) -> linux(c).put("rootfsPropagation", "rshared")));
        l.add(Case.of("issue13-idmap-bind", true, (c, d) -> {
            userns(c);
            Files.createDirectories(d.resolve("idsrc"));
            Files.writeString(d.resolve("idsrc/f"), "x");
            ObjectNode m = mount(c, "/idmapped", "bind", d.resolve("idsrc").toString(), "rbind", "idmap");
            m.putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
            m.putArray("gidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
            process(c).putArray("args").add("sh").add("-c").add("stat -c '%u:%g' /idmapped/f");
        }).withSetup((r, d) -> Runner.sh("chown", "-R", "100000:100000", r.toString())));
        l.add(Case.of("issue13-17-large-seccomp-profile", true, (c, d) -> {
            ObjectNode s = seccomp(c, "SCMP_ACT_ERRNO");
            s.putArray("architectures").add("SCMP_ARCH_X86_64").add("SCMP_ARCH_X86").add("SCMP_ARCH_X32")
                    .add("SCMP_ARCH_AARCH64").add("SCMP_ARCH_ARM");
            rule(s, "SCMP_ACT_ALLOW", SyscallNames.ALL.toArray(String[]::new));
            for (int i = 0; i < 40; i++) {
                ObjectNode r = rule(s, "SCMP_ACT_ALLOW", "personality");
                r.putArray("args").addObject().put("index", 0).put("value", i).put("op", "SCMP_CMP_EQ");
            }
        }));
        l.add(Case.of("issue13-18-sysctl-kernel-hostname", true,
                (c, d) -> linux(c).putObject("sysctl").put("kernel.hostname", "other")));
        l.add(Case.of("issue13-18-unified-on-v1", true,
                (c, d) -> resources(c).putObject("unified").put("pids.max", "10")));
        l.add(Case.of("issue13-18-device-access-rwa", true, (c, d) -> {
            ArrayNode dev = resources(c).putArray("devices");
            dev.addObject().put("allow", false).put("access", "rwm");
            dev.addObject().put("allow", true).put("type", "c").put("major", 1).put("minor", 3).put("access", "rwa");
        }));
        l.add(Case.of("issue13-20-proc-symlink-destination", true, (c, d) -> { })
                .withSetup((r, d) -> {
                    Files.delete(r.resolve("proc"));
                    Files.createDirectories(r.resolve("realproc"));
                    Files.createSymbolicLink(r.resolve("proc"), Path.of("realproc"));
                }));
        l.add(Case.of("issue13-20-seccomp-agent-missing", true, (c, d) -> {
            ObjectNode s = seccomp(c, "SCMP_ACT_ALLOW");
            s.put("listenerPath", d.resolve("no-agent.sock").toString());
            rule(s, "SCMP_ACT_NOTIFY", "mkdir");
        }));
        l.add(Case.of("issue13-16-frozen-cgroup", false, (c, d) -> {
            String path = "/conformance-frozen-" + d.getParent().getFileName() + "-" + d.getFileName();
            linux(c).put("cgroupsPath", path);
            Path f = Path.of("/sys/fs/cgroup/freezer" + path);
            Files.createDirectories(f);
            Files.writeString(f.resolve("freezer.state"), "FROZEN");
        }));
        return l;
    }

    // ---- generated --------------------------------------------------------------------------------------

    static List<Case> generated(int helper) {
        List<Case> l = new ArrayList<>();
        // tmpfs with each mount option
        for (String o : List.of("ro", "rw", "nosuid", "suid", "nodev", "dev", "noexec", "exec", "noatime", "atime",
                "relatime", "norelatime", "strictatime", "nostrictatime", "nodiratime", "diratime", "sync", "async",
                "dirsync", "lazytime", "nolazytime", "mand", "nomand", "silent", "loud", "defaults", "private",
                "rprivate", "shared", "rshared", "slave", "rslave", "unbindable", "runbindable", "tmpcopyup",
                "mode=700", "size=1m", "uid=1000", "nr_inodes=100", "bogus-option=1")) {
            l.add(Case.of("gen-mount-tmpfs-" + o.replace('=', '_'), false, (c, d) -> mount(c, "/mnt/t", "tmpfs", "tmpfs", o)));
        }
        // tmpcopyup over a non-empty directory
        l.add(Case.of("gen-mount-tmpfs-tmpcopyup-content", false, (c, d) -> mount(c, "/etc", "tmpfs", "tmpfs", "tmpcopyup")));
        // bind mounts with options
        for (List<String> opts : List.<List<String>>of(List.of("bind"), List.of("rbind"), List.of("bind", "ro"), List.of("rbind", "ro"),
                List.of("rbind", "nosuid", "nodev", "noexec"), List.of("rbind", "rprivate"), List.of("rbind", "rslave"),
                List.of("rbind", "rshared"), List.of("rbind", "runbindable"), List.of("bind", "noatime"),
                List.of("rbind", "ro", "remount"), List.of())) {
            String n = opts.isEmpty() ? "none" : String.join("-", opts);
            l.add(Case.of("gen-mount-bind-" + n, false, (c, d) -> {
                Files.createDirectories(d.resolve("bindsrc"));
                Files.writeString(d.resolve("bindsrc/file"), "content");
                mount(c, "/mnt/b", opts.isEmpty() ? "none" : "bind", d.resolve("bindsrc").toString(), opts.toArray(String[]::new));
            }));
        }
        l.add(Case.of("gen-mount-bind-file", false, (c, d) -> {
            Files.writeString(d.resolve("afile"), "x");
            mount(c, "/etc/afile", "bind", d.resolve("afile").toString(), "rbind", "ro");
        }));
        l.add(Case.of("gen-mount-bind-missing-source", false, (c, d) -> mount(c, "/mnt/x", "bind", d.resolve("nope").toString(), "rbind")));
        l.add(Case.of("gen-mount-relative-destination", false, (c, d) -> mount(c, "mnt/rel", "tmpfs", "tmpfs")));
        l.add(Case.of("gen-mount-unknown-type", false, (c, d) -> mount(c, "/mnt/u", "nosuchfs", "none")));
        l.add(Case.of("gen-mount-proc-twice", false, (c, d) -> mount(c, "/mnt/proc", "proc", "proc")));
        l.add(Case.of("gen-mount-mqueue", false, (c, d) -> mount(c, "/mnt/mq", "mqueue", "mqueue", "nosuid")));
        l.add(Case.of("gen-mount-sysfs-ro", false, (c, d) -> mount(c, "/mnt/sys", "sysfs", "sysfs", "ro", "nosuid")));
        l.add(Case.of("gen-mount-devpts-extra", false, (c, d) -> mount(c, "/mnt/pts", "devpts", "devpts", "newinstance")));
        l.add(Case.of("gen-mount-nested-tmpfs", false, (c, d) -> {
            mount(c, "/mnt/a", "tmpfs", "tmpfs");
            mount(c, "/mnt/a/b/c", "tmpfs", "tmpfs", "ro");
        }));
        l.add(Case.of("gen-mount-over-etc-file", false, (c, d) -> mount(c, "/etc/passwd", "tmpfs", "tmpfs")));
        // propagation of the rootfs
        for (String p : List.of("private", "rprivate", "slave", "rslave", "runbindable", "bogus")) {
            l.add(Case.of("gen-rootfs-propagation-" + p, false, (c, d) -> linux(c).put("rootfsPropagation", p)));
        }
        // symlinked destinations
        for (String[] s : new String[][] {{"abs", "/real/dir"}, {"rel", "real/dir"}, {"dotdot", "../../real/dir"},
                {"chain", "link2"}, {"to-file", "/etc/hostname-file"}}) {
            l.add(Case.of("gen-symlink-dest-" + s[0], false, (c, d) -> {
                Files.createDirectories(d.resolve("ssrc"));
                mount(c, "/link", "bind", d.resolve("ssrc").toString(), "rbind");
            }).withSetup((r, d) -> {
                Files.createDirectories(r.resolve("real/dir"));
                Files.writeString(r.resolve("etc/hostname-file"), "h");
                if (s[0].equals("chain")) {
                    Files.createSymbolicLink(r.resolve("link2"), Path.of("/real/dir"));
                }
                Files.createSymbolicLink(r.resolve("link"), Path.of(s[1]));
            }));
        }
        // users and groups
        for (int[] u : new int[][] {{0, 0}, {1000, 1000}, {42, 42}, {65534, 65534}, {1000, 0}, {0, 1000}, {1000, 1000, 5},
                {1000, 1000, 5, 1000, 65534}, {4242, 4242}}) {
            StringBuilder n = new StringBuilder("gen-user");
            for (int x : u) {
                n.append('-').append(x);
            }
            l.add(Case.of(n.toString(), false, (c, d) -> user(c, u[0], u[1], java.util.Arrays.copyOfRange(u, 2, u.length))));
        }
        for (int m : new int[] {0, 022, 027, 077, 0777}) {
            l.add(Case.of("gen-umask-" + Integer.toOctalString(m), false, (c, d) -> ((ObjectNode) process(c).path("user")).put("umask", m)));
        }
        l.add(Case.of("gen-user-username-field", false, (c, d) -> ((ObjectNode) process(c).path("user")).put("username", "user")));
        // capabilities
        for (String cap : List.of("CAP_CHOWN", "CAP_MKNOD", "CAP_SYS_ADMIN", "CAP_NET_RAW", "CAP_DAC_OVERRIDE",
                "CAP_SETUID", "CAP_SYS_NICE", "CAP_KILL", "CAP_BPF", "CAP_CHECKPOINT_RESTORE")) {
            l.add(Case.of("gen-cap-only-" + cap, false, (c, d) -> caps(c, cap)));
        }
        l.add(Case.of("gen-cap-none", false, (c, d) -> caps(c)));
        l.add(Case.of("gen-cap-ambient-user", false, (c, d) -> {
            user(c, 1000, 1000);
            caps(c, "CAP_CHOWN", "CAP_NET_BIND_SERVICE");
            ObjectNode caps = (ObjectNode) process(c).path("capabilities");
            caps.putArray("inheritable").add("CAP_CHOWN").add("CAP_NET_BIND_SERVICE");
            caps.putArray("ambient").add("CAP_CHOWN").add("CAP_NET_BIND_SERVICE");
        }));
        l.add(Case.of("gen-cap-ambient-not-inheritable", false, (c, d) -> {
            caps(c, "CAP_CHOWN");
            ((ObjectNode) process(c).path("capabilities")).putArray("ambient").add("CAP_CHOWN");
        }));
        l.add(Case.of("gen-cap-lowercase-name", false, (c, d) -> caps(c, "cap_chown")));
        l.add(Case.of("gen-cap-no-prefix", false, (c, d) -> caps(c, "CHOWN")));
        l.add(Case.of("gen-cap-all-known", false, (c, d) -> caps(c, "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH",
                "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_SYS_ADMIN",
                "CAP_MKNOD", "CAP_AUDIT_WRITE", "CAP_SETFCAP", "CAP_SYS_PTRACE", "CAP_NET_ADMIN")));
        l.add(Case.of("gen-no-new-privileges", false, (c, d) -> process(c).put("noNewPrivileges", true)));
        l.add(Case.of("gen-no-new-privileges-false", false, (c, d) -> process(c).put("noNewPrivileges", false)));
        // env and cwd
        l.add(Case.of("gen-env-empty", false, (c, d) -> process(c).putArray("env")));
        l.add(Case.of("gen-env-no-path", false, (c, d) -> process(c).putArray("env").add("TERM=xterm")));
        l.add(Case.of("gen-env-home-set", false, (c, d) -> env(c).add("HOME=/custom")));
        l.add(Case.of("gen-env-duplicate", false, (c, d) -> env(c).add("DUP=1").add("DUP=2")));
        l.add(Case.of("gen-env-empty-value", false, (c, d) -> env(c).add("EMPTY=")));
        l.add(Case.of("gen-env-no-equals", false, (c, d) -> env(c).add("NOEQUALS")));
        l.add(Case.of("gen-env-equals-in-value", false, (c, d) -> env(c).add("A=b=c")));
        l.add(Case.of("gen-env-unicode", false, (c, d) -> env(c).add("U=\u00e9\u00e8")));
        l.add(Case.of("gen-env-exit-code", false, (c, d) -> env(c).add("PROBE_EXIT=7")));
        for (String cwd : List.of("/", "/tmp", "/etc/", "/tmp/../etc", "/etc/passwd", "relative", "")) {
            l.add(Case.of("gen-cwd-" + (cwd.isEmpty() ? "empty" : cwd.replace('/', '_')), false, (c, d) -> process(c).put("cwd", cwd)));
        }
        l.add(Case.of("gen-cwd-symlink", false, (c, d) -> process(c).put("cwd", "/cwdlink"))
                .withSetup((r, d) -> Files.createSymbolicLink(r.resolve("cwdlink"), Path.of("/etc"))));
        l.add(Case.of("gen-args-missing-binary", false, (c, d) -> process(c).putArray("args").add("/no/such/binary")));
        l.add(Case.of("gen-args-empty", false, (c, d) -> process(c).putArray("args")));
        l.add(Case.of("gen-args-not-executable", false, (c, d) -> process(c).putArray("args").add("/etc/passwd")));
        l.add(Case.of("gen-args-path-lookup", false, (c, d) -> process(c).putArray("args").add("true")));
        // devices
        l.add(Case.of("gen-device-char", false, (c, d) -> devices(c).addObject()
                .put("path", "/dev/xnull").put("type", "c").put("major", 1).put("minor", 3).put("fileMode", 0666)));
        l.add(Case.of("gen-device-fifo", false, (c, d) -> devices(c).addObject()
                .put("path", "/dev/xfifo").put("type", "p").put("fileMode", 0600)));
        l.add(Case.of("gen-device-owner", false, (c, d) -> devices(c).addObject()
                .put("path", "/dev/xzero").put("type", "c").put("major", 1).put("minor", 5).put("uid", 1000).put("gid", 5)));
        l.add(Case.of("gen-device-nested-path", false, (c, d) -> devices(c).addObject()
                .put("path", "/dev/sub/dir/xnull").put("type", "c").put("major", 1).put("minor", 3)));
        l.add(Case.of("gen-device-bad-type", false, (c, d) -> devices(c).addObject()
                .put("path", "/dev/xbad").put("type", "z").put("major", 1).put("minor", 3)));
        l.add(Case.of("gen-device-outside-dev", false, (c, d) -> devices(c).addObject()
                .put("path", "/xnull").put("type", "c").put("major", 1).put("minor", 3)));
        for (String access : List.of("r", "rw", "rwm", "m", "", "rwa")) {
            l.add(Case.of("gen-device-cgroup-access-" + (access.isEmpty() ? "empty" : access), false, (c, d) -> {
                ArrayNode dev = resources(c).putArray("devices");
                dev.addObject().put("allow", false).put("access", "rwm");
                dev.addObject().put("allow", true).put("type", "c").put("major", 1).put("minor", 3).put("access", access);
            }));
        }
        l.add(Case.of("gen-device-cgroup-allow-all", false, (c, d) -> resources(c).putArray("devices").addObject().put("allow", true).put("access", "rwm")));
        // sysctls
        for (String[] s : new String[][] {{"net.ipv4.ip_forward", "1"}, {"kernel.shmmax", "12345678"}, {"kernel.msgmax", "4096"},
                {"fs.mqueue.msg_max", "20"}, {"net.core.somaxconn", "100"}, {"vm.swappiness", "10"}, {"kernel.domainname", "x"},
                {"net.nonexistent.key", "1"}}) {
            l.add(Case.of("gen-sysctl-" + s[0], false, (c, d) -> linux(c).putObject("sysctl").put(s[0], s[1])));
        }
        l.add(Case.of("gen-sysctl-net-without-netns", false, (c, d) -> {
            removeNamespace(c, "network");
            linux(c).putObject("sysctl").put("net.ipv4.ip_forward", "1");
        }));
        // seccomp
        l.add(Case.of("gen-seccomp-allow-all", false, (c, d) -> seccomp(c, "SCMP_ACT_ALLOW")));
        l.add(Case.of("gen-seccomp-errno-mkdir", false, (c, d) -> rule(seccomp(c, "SCMP_ACT_ALLOW"), "SCMP_ACT_ERRNO", "mkdir", "mkdirat")));
        l.add(Case.of("gen-seccomp-errnoret", false, (c, d) -> rule(seccomp(c, "SCMP_ACT_ALLOW"), "SCMP_ACT_ERRNO", "chown", "fchownat").put("errnoRet", 13)));
        l.add(Case.of("gen-seccomp-log", false, (c, d) -> rule(seccomp(c, "SCMP_ACT_ALLOW"), "SCMP_ACT_LOG", "mknodat", "mknod")));
        l.add(Case.of("gen-seccomp-unknown-syscall", false, (c, d) -> rule(seccomp(c, "SCMP_ACT_ALLOW"), "SCMP_ACT_ERRNO", "no_such_syscall", "mkdir")));
        l.add(Case.of("gen-seccomp-bad-action", false, (c, d) -> rule(seccomp(c, "SCMP_ACT_ALLOW"), "SCMP_ACT_BOGUS", "mkdir")));
        l.add(Case.of("gen-seccomp-bad-arch", false, (c, d) -> seccomp(c, "SCMP_ACT_ALLOW").putArray("architectures").add("SCMP_ARCH_NOPE")));
        l.add(Case.of("gen-seccomp-arg-condition", false, (c, d) -> rule(seccomp(c, "SCMP_ACT_ALLOW"), "SCMP_ACT_ERRNO", "personality")
                .putArray("args").addObject().put("index", 0).put("value", 0xffffffffL).put("op", "SCMP_CMP_EQ")));
        l.add(Case.of("gen-seccomp-notify-without-listener", false, (c, d) -> rule(seccomp(c, "SCMP_ACT_ALLOW"), "SCMP_ACT_NOTIFY", "mkdir")));
        l.add(Case.of("gen-seccomp-flag-log", false, (c, d) -> seccomp(c, "SCMP_ACT_ALLOW").putArray("flags").add("SECCOMP_FILTER_FLAG_LOG")));
        l.add(Case.of("gen-seccomp-flag-bogus", false, (c, d) -> seccomp(c, "SCMP_ACT_ALLOW").putArray("flags").add("SECCOMP_FILTER_FLAG_BOGUS")));
        l.add(Case.of("gen-seccomp-default-errno-nnp", false, (c, d) -> {
            process(c).put("noNewPrivileges", true);
            ObjectNode s = seccomp(c, "SCMP_ACT_ERRNO");
            rule(s, "SCMP_ACT_ALLOW", SyscallNames.ALL.toArray(String[]::new));
            rule(s, "SCMP_ACT_ERRNO", "mkdir", "mkdirat").put("errnoRet", 1);
        }));
        // hooks
        l.add(Case.of("gen-hook-prestart", false, (c, d) -> hook(c, "prestart", d, "a", 0)));
        l.add(Case.of("gen-hook-create-runtime-fails", false, (c, d) -> hook(c, "createRuntime", d, "a", 1)));
        l.add(Case.of("gen-hook-prestart-fails", false, (c, d) -> hook(c, "prestart", d, "a", 3)));
        l.add(Case.of("gen-hook-poststop", false, (c, d) -> hook(c, "poststop", d, "a", 0)));
        l.add(Case.of("gen-hook-order", false, (c, d) -> {
            hook(c, "prestart", d, "1", 0);
            hook(c, "createRuntime", d, "2", 0);
            hook(c, "poststart", d, "3", 0);
            hook(c, "poststop", d, "4", 0);
        }));
        l.add(Case.of("gen-hook-env-given", false, (c, d) -> hook(c, "prestart", d, "e", 0).putArray("env").add("PATH=/bin")));
        l.add(Case.of("gen-hook-missing-binary", false, (c, d) -> ((ArrayNode) c.putObject("hooks").putArray("prestart")).addObject()
                .put("path", "/no/such/hook")));
        l.add(Case.of("gen-hook-relative-path", false, (c, d) -> ((ArrayNode) c.putObject("hooks").putArray("prestart")).addObject()
                .put("path", "bin/true")));
        // namespaces
        for (String ns : List.of("ipc", "uts", "network", "pid", "cgroup")) {
            l.add(Case.of("gen-ns-without-" + ns, false, (c, d) -> removeNamespace(c, ns)));
        }
        l.add(Case.of("gen-ns-with-cgroup", false, (c, d) -> addNamespace(c, "cgroup", null)));
        l.add(Case.of("gen-ns-with-time", false, (c, d) -> addNamespace(c, "time", null)));
        l.add(Case.of("gen-ns-with-user", false, (c, d) -> userns(c)).withSetup((r, d) -> Runner.sh("chown", "-R", "100000:100000", r.toString())));
        l.add(Case.of("gen-ns-user-without-mappings", false, (c, d) -> addNamespace(c, "user", null)));
        l.add(Case.of("gen-ns-path-net", false, (c, d) -> addNamespace(c, "network", "/proc/" + helper + "/ns/net")));
        l.add(Case.of("gen-ns-path-uts", false, (c, d) -> addNamespace(c, "uts", "/proc/" + helper + "/ns/uts")));
        l.add(Case.of("gen-ns-path-ipc", false, (c, d) -> addNamespace(c, "ipc", "/proc/" + helper + "/ns/ipc")));
        l.add(Case.of("gen-ns-path-missing", false, (c, d) -> addNamespace(c, "network", "/proc/999999999/ns/net")));
        l.add(Case.of("gen-ns-path-wrong-type", false, (c, d) -> addNamespace(c, "network", "/proc/" + helper + "/ns/uts")));
        l.add(Case.of("gen-ns-unknown-type", false, (c, d) -> addNamespace(c, "bogus", null)));
        l.add(Case.of("gen-ns-duplicate", false, (c, d) -> ((ArrayNode) linux(c).path("namespaces")).addObject().put("type", "ipc")));
        l.add(Case.of("gen-hostname-without-uts", false, (c, d) -> {
            removeNamespace(c, "uts");
            c.put("hostname", "nope");
        }));
        l.add(Case.of("gen-hostname-set", false, (c, d) -> c.put("hostname", "conformance-host")));
        l.add(Case.of("gen-hostname-empty", false, (c, d) -> c.put("hostname", "")));
        l.add(Case.of("gen-domainname-set", false, (c, d) -> c.put("domainname", "example.org")));
        // rlimits
        for (String[] r : new String[][] {{"RLIMIT_NOFILE", "333", "444"}, {"RLIMIT_NPROC", "100", "200"}, {"RLIMIT_CORE", "0", "0"},
                {"RLIMIT_STACK", "8388608", "16777216"}, {"RLIMIT_BOGUS", "1", "1"}, {"RLIMIT_NOFILE", "10", "5"}}) {
            l.add(Case.of("gen-rlimit-" + r[0] + "-" + r[1] + "-" + r[2], false, (c, d) -> process(c).putArray("rlimits").addObject()
                    .put("type", r[0]).put("soft", Long.parseLong(r[1])).put("hard", Long.parseLong(r[2]))));
        }
        l.add(Case.of("gen-rlimit-duplicate", false, (c, d) -> {
            ArrayNode a = process(c).putArray("rlimits");
            a.addObject().put("type", "RLIMIT_NOFILE").put("soft", 100).put("hard", 100);
            a.addObject().put("type", "RLIMIT_NOFILE").put("soft", 200).put("hard", 200);
        }));
        // masked and read-only paths, root
        l.add(Case.of("gen-masked-none", false, (c, d) -> linux(c).putArray("maskedPaths")));
        l.add(Case.of("gen-masked-extra-file", false, (c, d) -> ((ArrayNode) linux(c).path("maskedPaths")).add("/etc/passwd")));
        l.add(Case.of("gen-masked-extra-dir", false, (c, d) -> ((ArrayNode) linux(c).path("maskedPaths")).add("/etc")));
        l.add(Case.of("gen-masked-missing", false, (c, d) -> ((ArrayNode) linux(c).path("maskedPaths")).add("/no/such")));
        l.add(Case.of("gen-readonly-none", false, (c, d) -> linux(c).putArray("readonlyPaths")));
        l.add(Case.of("gen-readonly-extra", false, (c, d) -> ((ArrayNode) linux(c).path("readonlyPaths")).add("/etc")));
        l.add(Case.of("gen-root-readonly", false, (c, d) -> ((ObjectNode) c.path("root")).put("readonly", true)));
        l.add(Case.of("gen-root-missing", false, (c, d) -> ((ObjectNode) c.path("root")).put("path", "no-such-rootfs")));
        l.add(Case.of("gen-oom-score-adj", false, (c, d) -> process(c).put("oomScoreAdj", 500)));
        l.add(Case.of("gen-oom-score-adj-invalid", false, (c, d) -> process(c).put("oomScoreAdj", 5000)));
        // resources
        l.add(Case.of("gen-resources-memory", false, (c, d) -> resources(c).putObject("memory").put("limit", 67108864)));
        l.add(Case.of("gen-resources-pids", false, (c, d) -> resources(c).putObject("pids").put("limit", 50)));
        l.add(Case.of("gen-resources-cpu-shares", false, (c, d) -> resources(c).putObject("cpu").put("shares", 512)));
        l.add(Case.of("gen-resources-cpu-quota", false, (c, d) -> resources(c).putObject("cpu").put("quota", 50000).put("period", 100000)));
        l.add(Case.of("gen-resources-memory-too-low", false, (c, d) -> resources(c).putObject("memory").put("limit", 4096)));
        l.add(Case.of("gen-cgroupspath-absolute", false, (c, d) -> linux(c).put("cgroupsPath", "/conformance-" + d.getParent().getFileName() + "-" + d.getFileName())));
        // top-level invalid values
        l.add(Case.of("gen-oci-version-missing", false, (c, d) -> c.remove("ociVersion")));
        l.add(Case.of("gen-oci-version-old", false, (c, d) -> c.put("ociVersion", "0.5.0")));
        l.add(Case.of("gen-process-missing", false, (c, d) -> c.remove("process")));
        l.add(Case.of("gen-terminal-without-socket", false, (c, d) -> process(c).put("terminal", true)));
        l.add(Case.of("gen-annotations", false, (c, d) -> c.putObject("annotations").put("org.example.key", "value")));
        return l;
    }
}
