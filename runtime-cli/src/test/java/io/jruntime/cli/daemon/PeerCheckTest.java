package io.jruntime.cli.daemon;

import io.jruntime.core.sys.PidFds;
import io.jruntime.core.sys.Fds;
import io.jruntime.core.sys.Processes;
import io.jruntime.core.sys.Sockets;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PeerCheckTest {
    @Test
    void aPeerIdenticalToTheDaemonIsServed() {
        int[] pair = Sockets.socketpair(Sockets.SOCK_SEQPACKET);
        try (PeerCheck.Peer peer = PeerCheck.Peer.pin(pair[0])) {
            assertEquals(ProcessHandle.current().pid(), peer.pid(), "our own socketpair: we are the peer");
            assertTrue(peer.pidfd() >= 0, peer.how());
            assertNull(PeerCheck.ofThisProcess(Processes.geteuid()).refusal(peer));
            assertTrue(new PeerCheck(Processes.geteuid() + 1, PeerCheck.identity(Path.of("/proc/self")))
                    .refusal(peer).startsWith("client uid "));
        } finally {
            Fds.close(pair[0]);
            Fds.close(pair[1]);
        }
    }

    @Test
    void aPeerThatExitedIsRefusedEvenIfItsPidIsTaken() throws Exception {
        Process p = new ProcessBuilder("sleep", "1000").start();
        int pid = (int) p.pid();
        int pidfd = PidFds.open(pid);
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        // whatever process has that pid now, the pinned one is gone
        try (PeerCheck.Peer peer = new PeerCheck.Peer(pid, Processes.geteuid(), pidfd, "test")) {
            String why = PeerCheck.ofThisProcess(Processes.geteuid()).refusal(peer);
            assertNotNull(why);
            assertTrue(why.contains("has exited"), why);
        }
    }

    @Test
    void aPeerInAnotherMountNamespaceIsRefused() throws Exception {
        assumeTrue(Processes.geteuid() == 0, "unshare -m needs root");
        Process p = new ProcessBuilder("unshare", "-m", "sleep", "1000").start();
        try {
            Path ns = Path.of("/proc/" + p.pid() + "/ns/mnt");
            long deadline = System.currentTimeMillis() + 30_000;
            while (Files.readSymbolicLink(ns).equals(Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")))
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(10); // until unshare has unshared and exec'd sleep
            }
            try (PeerCheck.Peer peer = new PeerCheck.Peer((int) p.pid(), 0, PidFds.open((int) p.pid()), "test")) {
                String why = PeerCheck.ofThisProcess(0).refusal(peer);
                assertNotNull(why);
                assertTrue(why.contains("ns/mnt="), why);
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void differenceNamesTheFirstMismatch() {
        assertNull(PeerCheck.difference(List.of("a=1", "b=2"), List.of("a=1", "b=2")));
        assertEquals("client differs from the daemon in b=3 (daemon: b=2)",
                PeerCheck.difference(List.of("a=1", "b=2"), List.of("a=1", "b=3")));
        assertTrue(PeerCheck.difference(List.of("a=1"), List.of()).contains("nothing"));
    }

    @Test
    void startTimeIsReadFromStat() {
        long self = PeerCheck.startTicks((int) ProcessHandle.current().pid());
        assertTrue(self > 0 && self < Long.MAX_VALUE, "start ticks " + self);
        assertEquals(Long.MAX_VALUE, PeerCheck.startTicks(-5));
    }
}
