package io.jruntime.bundles;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** exec joins the container: same namespaces, same root, the exec's own args/env/user/cwd. */
class ExecIT extends ContainerTestBase {

    private String startSleeper() throws Exception {
        Bundle b = bundle("b", "sleep", "1000");
        b.edit(c -> c.put("hostname", "exec-host"));
        jr.run("run", "-d", "--bundle", b.dir().toString(), id("c")).assertOk();
        awaitStatus(id("c"), "running", 5000);
        return id("c");
    }

    @Test
    void execRunsInTheContainersNamespaces() throws Exception {
        String c = startSleeper();
        int initPid = Bundle.parse(jr.run("state", c).stdout()).path("pid").asInt();
        Jruntime.Result r = jr.run("exec", c, "sh", "-c", "hostname; for n in pid mnt uts ipc net; do readlink /proc/self/ns/$n; done");
        assertEquals(0, r.exitCode(), r.stderr());
        String[] lines = r.stdout().strip().split("\n");
        assertEquals("exec-host", lines[0]);
        String[] ns = {"pid", "mnt", "uts", "ipc", "net"};
        for (int i = 0; i < ns.length; i++) {
            assertEquals(Files.readSymbolicLink(Path.of("/proc/" + initPid + "/ns/" + ns[i])).toString(), lines[i + 1], ns[i]);
        }
    }

    @Test
    void execPassesExitCodeEnvUserAndCwd() throws Exception {
        String c = startSleeper();
        Jruntime.Result r = jr.run("exec", "--env", "FOO=bar", "--user", "1000:1000", "--cwd", "/tmp", c,
                "sh", "-c", "echo $FOO; id -u; pwd; exit 7");
        assertEquals(7, r.exitCode(), r.stderr());
        assertEquals("bar\n1000\n/tmp\n", r.stdout());
    }

    @Test
    void execDetachWritesPidFile() throws Exception {
        String c = startSleeper();
        Path pidFile = work.resolve("exec.pid");
        jr.run("exec", "--detach", "--pid-file", pidFile.toString(), c, "sleep", "100").assertOk();
        int pid = Integer.parseInt(Files.readString(pidFile).trim());
        assertTrue(Files.readString(Path.of("/proc/" + pid + "/cmdline")).startsWith("sleep"));
        int initPid = Bundle.parse(jr.run("state", c).stdout()).path("pid").asInt();
        assertEquals(Files.readSymbolicLink(Path.of("/proc/" + initPid + "/ns/pid")),
                Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/pid")));
    }

    @Test
    void execWithProcessJson() throws Exception {
        String c = startSleeper();
        Path proc = work.resolve("process.json");
        Files.writeString(proc, """
                {"terminal": false, "user": {"uid": 0, "gid": 0}, "args": ["sh", "-c", "echo from-json $X"],
                 "env": ["PATH=/bin", "X=42"], "cwd": "/"}
                """);
        Jruntime.Result r = jr.run("exec", "--process", proc.toString(), c);
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("from-json 42\n", r.stdout());
    }

    @Test
    void execOfMissingBinaryFailsWith255AndAClearMessage() throws Exception {
        String c = startSleeper();
        Jruntime.Result r = jr.run("exec", c, "no-such-binary");
        assertEquals(255, r.exitCode());
        assertTrue(r.stderr().contains("executable file not found in $PATH"), r.stderr());
    }

    @Test
    void execInStoppedContainerFails() throws Exception {
        Bundle b = bundle("b", "true");
        jr.run("run", "-d", "--bundle", b.dir().toString(), id("c")).assertOk();
        awaitStatus(id("c"), "stopped", 5000);
        assertNotEquals(0, jr.run("exec", id("c"), "true").exitCode());
    }
}
