package io.jruntime.cli.daemon;

import io.jruntime.cli.Cli;
import io.jruntime.core.sys.Fds;
import io.jruntime.core.sys.Sockets;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** HELLO parsing (over a real socketpair, as launcher.c lays it out) and which command lines are served. */
class RequestTest {
    private static DaemonProtocol.Packet roundTrip(int tag, String... fields) {
        int[] pair = Sockets.socketpair(Sockets.SOCK_SEQPACKET);
        try {
            DaemonProtocol.send(pair[0], tag, -1, fields);
            return DaemonProtocol.receive(pair[1]);
        } finally {
            Fds.close(pair[0]);
            Fds.close(pair[1]);
        }
    }

    @Test
    void helloParsesItsFieldsArgvAndEnvironment() {
        DaemonProtocol.Packet p = roundTrip(DaemonProtocol.HELLO, "/lib/jruntime.jar:1:2.000000003", "/work", "18", "2",
                "list", "-q", "PATH=/bin", "A=b=c", "junk");
        DaemonServer.Request r = DaemonServer.Request.parse(p);
        assertEquals("/lib/jruntime.jar:1:2.000000003", r.buildId());
        assertEquals("/work", r.cwd());
        assertEquals(18, r.umask());
        assertEquals(List.of("list", "-q"), r.args());
        assertEquals(Map.of("PATH", "/bin", "A", "b=c"), r.env());
    }

    @Test
    void malformedHellosAreRejected() {
        assertThrows(RuntimeException.class, () -> DaemonServer.Request.parse(roundTrip(DaemonProtocol.HELLO, "id", "/", "18", "5", "list")));
        assertThrows(RuntimeException.class, () -> DaemonServer.Request.parse(roundTrip(DaemonProtocol.HELLO, "id", "/", "18", "-1")));
        assertThrows(RuntimeException.class, () -> DaemonServer.Request.parse(roundTrip(DaemonProtocol.HELLO, "id", "/", "x", "0")));
        assertThrows(RuntimeException.class, () -> DaemonServer.Request.parse(roundTrip(DaemonProtocol.HELLO, "id")));
    }

    @Test
    void unservedCommands() {
        assertNull(DaemonServer.unserved(Cli.parseCommand(List.of("--root", "/r", "list"))));
        assertNull(DaemonServer.unserved(Cli.parseCommand(List.of("exec", "-d", "c", "true"))));
        assertNull(DaemonServer.unserved(Cli.parseCommand(List.of("exec", "c", "true"))), "foreground exec: the client waits");
        assertNull(DaemonServer.unserved(Cli.parseCommand(List.of("exec", "-t", "--console-socket", "/s", "c", "sh"))));
        assertNotNull(DaemonServer.unserved(Cli.parseCommand(List.of("exec", "-t", "c", "sh"))), "a proxied terminal");
        assertNotNull(DaemonServer.unserved(Cli.parseCommand(List.of("exec", "-p", "/p.json", "c"))), "-p may ask for one");
        assertNotNull(DaemonServer.unserved(Cli.parseCommand(List.of("run", "c"))));
        assertNotNull(DaemonServer.unserved(Cli.parseCommand(List.of("checkpoint", "--lazy-pages", "c"))));
        assertNotNull(DaemonServer.unserved(Cli.parseCommand(List.of("spec"))));
        assertNotNull(DaemonServer.unserved(Cli.parseCommand(List.of("--bogus-flag", "list"))));
        assertNotNull(DaemonServer.unserved(null));
    }
}
