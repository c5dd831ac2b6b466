package io.jruntime.core.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jruntime.core.state.ContainerState;
import io.jruntime.core.state.ContainerStatus;
import io.jruntime.spec.Spec;

/** The OCI state document hooks read on stdin (runtime-spec runtime.md "State"). */
public final class StateJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StateJson() {
    }

    public static String of(ContainerState s, ContainerStatus status) {
        ObjectNode n = JSON.createObjectNode();
        n.put("ociVersion", Spec.OCI_VERSION);
        n.put("id", s.id());
        n.put("status", status.json());
        if (s.initPid() > 0 && status != ContainerStatus.STOPPED) {
            n.put("pid", s.initPid());
        }
        n.put("bundle", s.bundle());
        if (!s.annotations().isEmpty()) {
            ObjectNode a = n.putObject("annotations");
            s.annotations().forEach(a::put);
        }
        return n.toString();
    }
}
