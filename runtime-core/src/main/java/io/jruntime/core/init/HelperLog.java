package io.jruntime.core.init;

import io.jruntime.core.log.Debug;
import io.jruntime.core.sys.Fds;
import io.jruntime.core.sys.Sockets;

import java.nio.charset.StandardCharsets;

/**
 * The debug log channel of one jruntime-init run (runc's _LIBCONTAINER_LOGPIPE), made only with --debug: a
 * SOCK_SEQPACKET pair whose write end the helper gets (its number in the plan's LOG_FD record) and whose read
 * end a thread of ours reads, relaying each packet ("level\0init-S[PID]: message") to the --log destination
 * through {@link Debug#helper}. The helper writes without ever blocking (a full channel drops lines and says
 * how many) and closes its end before anything the container controls runs, so the relay ends at EOF.
 */
final class HelperLog {
    /**
     * Test only (the same two switches as {@link io.jruntime.core.FaultInjection}): the relay reads nothing until
     * {@link #finish}, so the helper meets a full channel and must go on without blocking.
     */
    private static final boolean STALL_FOR_TEST = Boolean.getBoolean(io.jruntime.core.FaultInjection.ENABLE_PROPERTY)
            && "debug-log.stall".equals(System.getenv(io.jruntime.core.FaultInjection.ENV));

    private final java.util.concurrent.CountDownLatch finishing = new java.util.concurrent.CountDownLatch(1);
    private final int readEnd;
    private int writeEnd;
    private final Thread relay;

    private HelperLog() {
        int[] pair = Sockets.socketpair(Sockets.SOCK_SEQPACKET);
        readEnd = pair[0];
        writeEnd = pair[1];
        relay = new Thread(this::relay, "jruntime-init log");
        relay.setDaemon(true);
    }

    /** A channel and its relay thread (running), or null without --debug. */
    static HelperLog openIfDebug() {
        if (!Debug.on()) {
            return null;
        }
        HelperLog l = new HelperLog();
        l.relay.start();
        return l;
    }

    /** Our copy of the write end, to hand to the helper in its fd map. */
    int writeEnd() {
        return writeEnd;
    }

    /** Closes our copy of the write end once the helper has its own: EOF then means every helper copy is closed. */
    void spawned() {
        if (writeEnd >= 0) {
            Fds.close(writeEnd);
            writeEnd = -1;
        }
    }

    private void relay() {
        try {
            if (STALL_FOR_TEST) {
                finishing.await();
            }
            while (true) {
                Sockets.Received r = Sockets.recvmsg(readEnd, 2048, "from the jruntime-init log channel");
                if (r.eof()) {
                    return;
                }
                if (r.fd() >= 0) {
                    Fds.close(r.fd());
                }
                relayPacket(r.data());
            }
        } catch (RuntimeException e) {
            Debug.helper("warning", "jruntime-init log channel: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Fds.close(readEnd);
        }
    }

    /** "level\0message"; a packet without a level is relayed at debug level as it is. */
    static void relayPacket(byte[] d) {
        int nul = 0;
        while (nul < d.length && d[nul] != 0) {
            nul++;
        }
        if (nul == d.length) {
            Debug.helper("debug", new String(d, StandardCharsets.UTF_8));
        } else {
            Debug.helper(new String(d, 0, nul, StandardCharsets.US_ASCII),
                    new String(d, nul + 1, d.length - nul - 1, StandardCharsets.UTF_8));
        }
    }

    /**
     * Waits until the helper closed its end (its lines are all relayed before ours that follow). Bounded: a
     * process that still held the end (it cannot, see init.c) must not hold up jruntime; the relay thread is a
     * daemon thread and goes on by itself.
     */
    void finish() {
        spawned();
        finishing.countDown();
        try {
            relay.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
