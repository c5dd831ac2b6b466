package io.jruntime.bundles;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * process.terminal: the pty master arrives over --console-socket (SCM_RIGHTS), as conmon and containerd receive
 * it. The receiving end is a small Python program, an independent implementation of the engine side.
 */
class TerminalIT extends ContainerTestBase {
    private static final String RECEIVER = """
            import os, socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.bind(sys.argv[1]); s.listen(1)
            open(sys.argv[1] + '.ready', 'w').close()
            c, _ = s.accept()
            msg, fds, flags, addr = socket.recv_fds(c, 1024, 1)
            data = b''
            while True:
                try:
                    chunk = os.read(fds[0], 4096)
                except OSError:
                    break
                if not chunk:
                    break
                data += chunk
            open(sys.argv[2], 'wb').write(msg + b'\\n' + data)
            """;

    private Process startReceiver(Path sock, Path out) throws Exception {
        Path script = work.resolve("receiver.py");
        Files.writeString(script, RECEIVER);
        Process p = new ProcessBuilder("python3", script.toString(), sock.toString(), out.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("receiver.log").toFile()).start();
        Path ready = Path.of(sock + ".ready");
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Files.exists(ready) && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(Files.exists(ready), "the console receiver did not listen within 60 s");
        return p;
    }

    @Test
    void consoleSocketReceivesTheTerminal() throws Exception {
        Path sock = work.resolve("console.sock");
        Path out = work.resolve("console.out");
        Process receiver = startReceiver(sock, out);
        try {
            Bundle b = bundle("b", "sh", "-c", "tty; [ -t 0 ] && [ -t 1 ] && echo both-ttys; echo done");
            b.edit(c -> ((com.fasterxml.jackson.databind.node.ObjectNode) c.path("process")).put("terminal", true));
            jr.run("run", "--detach", "--console-socket", sock.toString(), "--bundle", b.dir().toString(), id("c")).assertOk();
            assertTrue(receiver.waitFor(20, TimeUnit.SECONDS), "receiver finished reading the terminal");
            List<String> lines = Files.readAllLines(out).stream().map(String::strip).toList();
            assertEquals("/dev/ptmx", lines.get(0));
            assertEquals(List.of("/dev/pts/0", "both-ttys", "done"), lines.subList(1, 4));
        } finally {
            receiver.destroyForcibly();
        }
    }

    @Test
    void execWithTtyThroughConsoleSocket() throws Exception {
        Bundle b = bundle("b", "sleep", "1000");
        jr.run("run", "-d", "--bundle", b.dir().toString(), id("c")).assertOk();
        awaitStatus(id("c"), "running", 5000);
        Path sock = work.resolve("exec.sock");
        Path out = work.resolve("exec.out");
        Process receiver = startReceiver(sock, out);
        try {
            jr.run("exec", "--tty", "--detach", "--console-socket", sock.toString(), id("c"), "sh", "-c", "tty; echo exec-done").assertOk();
            assertTrue(receiver.waitFor(20, TimeUnit.SECONDS));
            List<String> lines = Files.readAllLines(out).stream().map(String::strip).toList();
            assertTrue(lines.get(1).startsWith("/dev/pts/"), lines.toString());
            assertEquals("exec-done", lines.get(2));
        } finally {
            receiver.destroyForcibly();
        }
    }

    @Test
    void terminalWithoutConsoleSocketIsRefusedForDetachedContainers() {
        Bundle b = bundle("b", "true");
        b.edit(c -> ((com.fasterxml.jackson.databind.node.ObjectNode) c.path("process")).put("terminal", true));
        Jruntime.Result r = jr.run("create", "--bundle", b.dir().toString(), id("c"));
        assertTrue(r.exitCode() != 0 && r.stderr().contains("console"), r.stderr());
    }
}
