package io.jruntime.cli.daemon;

import io.jruntime.core.JRuntimeException;
import io.jruntime.core.sys.Fds;
import io.jruntime.core.sys.Sockets;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The packets between bin/jruntime (runtime-cli/src/main/c/launcher.c) and {@code jruntime daemon}, over an
 * AF_UNIX SOCK_SEQPACKET socket: a little-endian u32 tag, then NUL-terminated UTF-8 strings. A packet carries at
 * most one fd (SCM_RIGHTS). The tag numbers are duplicated in launcher.c; change both together.
 *
 * <pre>
 * client                                   daemon
 * HELLO buildId cwd umask argc argv.. env..  →
 *                                          ← DECLINE reason          (client runs the command in its own JVM)
 *                                          ← ACCEPT
 * FD n (+fd) ... FDS_DONE                  →  every fd the client has open
 *                                          ← SPAWN_FD target (+fd) ... [SPAWN_HOOK cwd] SPAWN path argc argv.. env..
 * SPAWNED pid | -errno                     →
 *                                          ← WAIT pid options
 * WAITED none | status | -errno            →
 *                                          ← FOREGROUND pid          (foreground exec: the client waits for its
 *                                                                     child pid, forwarding its signals to it)
 * WAITED status | -errno                   →
 *                                          ← EXIT code               (client exits with it)
 * STATUS / STOP                            →
 *                                          ← INFO text
 * </pre>
 */
final class DaemonProtocol {
    static final int HELLO = 1;
    static final int FD = 2;
    static final int FDS_DONE = 3;
    static final int SPAWNED = 4;
    static final int WAITED = 5;
    static final int STOP = 6;
    static final int STATUS = 7;

    static final int DECLINE = 10;
    static final int ACCEPT = 11;
    static final int SPAWN_FD = 12;
    static final int SPAWN = 13;
    static final int WAIT = 14;
    static final int EXIT = 15;
    static final int INFO = 16;
    static final int FOREGROUND = 17;
    /** The next SPAWN is a hook: in a session of its own, in the given directory ("": the caller's). */
    static final int SPAWN_HOOK = 18;

    // field positions (the names launcher.c uses; DaemonProtocolConformanceTest compares the two files)
    static final int HELLO_BUILD_ID = 0;
    static final int HELLO_CWD = 1;
    static final int HELLO_UMASK = 2;
    static final int HELLO_ARGC = 3;
    /** argc arguments from here, then the environment's NAME=value strings to the end. */
    static final int HELLO_ARGV = 4;
    static final int FD_NUMBER = 0;
    static final int SPAWN_FD_TARGET = 0;
    static final int SPAWN_HOOK_CWD = 0;
    static final int SPAWN_PATH = 0;
    static final int SPAWN_ARGC = 1;
    /** argc arguments from here, then the environment to the end. */
    static final int SPAWN_ARGV = 2;
    static final int SPAWNED_RESULT = 0;
    static final int WAIT_PID = 0;
    static final int WAIT_OPTIONS = 1;
    static final int WAITED_RESULT = 0;
    static final int EXIT_CODE = 0;
    static final int FOREGROUND_PID = 0;

    /** Largest packet either side sends (the client falls back to its own JVM for a bigger environment). */
    static final int MAX_PACKET = 192 * 1024;

    private DaemonProtocol() {
    }

    /** One received packet. */
    record Packet(int tag, List<String> fields, int fd) {
        String field(int i) {
            if (i >= fields.size()) {
                throw new JRuntimeException("daemon protocol: packet " + tag + " has no field " + i);
            }
            return fields.get(i);
        }
    }

    static void send(int sock, int tag, int fd, String... fields) {
        send(sock, tag, fd, List.of(fields));
    }

    static void send(int sock, int tag, int fd, List<String> fields) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(tag);
        b.write(tag >> 8);
        b.write(tag >> 16);
        b.write(tag >> 24);
        for (String f : fields) {
            b.writeBytes(f.getBytes(StandardCharsets.UTF_8));
            b.write(0);
        }
        Sockets.sendmsg(sock, b.toByteArray(), fd, "to the daemon client");
    }

    /** The next packet; null at EOF (the peer closed). */
    static Packet receive(int sock) {
        Sockets.Received r = Sockets.recvmsg(sock, MAX_PACKET, "from the daemon client");
        if (r.eof()) {
            if (r.fd() >= 0) {
                Fds.close(r.fd());
            }
            return null;
        }
        byte[] d = r.data();
        if (d.length < 4) {
            throw new JRuntimeException("daemon protocol: short packet");
        }
        int tag = (d[0] & 0xff) | (d[1] & 0xff) << 8 | (d[2] & 0xff) << 16 | (d[3] & 0xff) << 24;
        List<String> fields = new ArrayList<>();
        int start = 4;
        for (int i = 4; i < d.length; i++) {
            if (d[i] == 0) {
                fields.add(new String(d, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return new Packet(tag, fields, r.fd());
    }
}
