package io.jruntime.core.security.seccomp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.sys.Fds;
import io.jruntime.core.sys.Sockets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Hands a seccomp notify fd to the agent listening on linux.seccomp.listenerPath, with runtime-spec's
 * ContainerProcessState as the message: {"ociVersion", "fds": ["seccompFd"], "pid", "metadata", "state"}; the fd
 * travels with it as SCM_RIGHTS on a SOCK_STREAM unix connection (runc's seccomp agent protocol).
 */
public final class SeccompAgent {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String OCI_VERSION = "1.0.2";

    private SeccompAgent() {
    }

    /** The message for the agent. stateJson is the container's state (status "creating" or "running"). */
    public static String message(int pid, String metadata, String stateJson) {
        ObjectNode m = JSON.createObjectNode();
        m.put("ociVersion", OCI_VERSION);
        m.putArray("fds").add("seccompFd");
        m.put("pid", pid);
        m.put("metadata", metadata == null ? "" : metadata);
        try {
            m.set("state", JSON.readTree(stateJson));
            return JSON.writeValueAsString(m);
        } catch (IOException e) {
            throw new JRuntimeException("seccomp agent message: " + e.getMessage(), e);
        }
    }

    /** Connects, sends the message with the fd, closes the connection. Does not close notifyFd. */
    public static void send(String listenerPath, int pid, String metadata, String stateJson, int notifyFd) {
        int sock;
        try {
            sock = Sockets.connectUnix(listenerPath);
        } catch (JRuntimeException e) {
            // runc's words, which engines match on.
            throw new JRuntimeException("linux.seccomp.listenerPath: failed to connect with seccomp agent specified in"
                    + " the seccomp profile: " + listenerPath + ": " + e.getMessage(), e);
        }
        try {
            Sockets.sendmsg(sock, message(pid, metadata, stateJson).getBytes(StandardCharsets.UTF_8), notifyFd,
                    "seccomp agent " + listenerPath);
        } finally {
            Fds.close(sock);
        }
    }
}
