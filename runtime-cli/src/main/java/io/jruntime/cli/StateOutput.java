package io.jruntime.cli;

import io.jruntime.cli.text.GoJson;
import io.jruntime.cli.text.TabWriter;
import io.jruntime.core.state.ContainerState;
import io.jruntime.core.state.ContainerStatus;
import io.jruntime.spec.Spec;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The runtime-spec state object as runc prints it, field order included: ociVersion, id, pid, status, bundle,
 * rootfs, created, annotations (only when there are some, keys sorted), owner. The pid of a stopped container
 * is 0.
 */
final class StateOutput {
    /** One container as state/list report it. */
    record View(ContainerState state, ContainerStatus status, String owner) {
        int pid() {
            return status == ContainerStatus.STOPPED ? 0 : state.initPid();
        }
    }

    private StateOutput() {
    }

    /** {@code state}: two-space indented, no trailing newline (runc writes json.MarshalIndent as is). */
    static String pretty(View v) {
        StringBuilder sb = new StringBuilder(256);
        object(sb, v, "\n  ", "\n");
        return sb.toString();
    }

    /** {@code list --format json}: one compact array and a newline; "null" when there are no containers (Go's nil slice). */
    static String jsonList(List<View> views) {
        if (views.isEmpty()) {
            return "null\n";
        }
        StringBuilder sb = new StringBuilder(256 * views.size());
        sb.append('[');
        for (int i = 0; i < views.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            object(sb, views.get(i), "", "");
        }
        return sb.append("]\n").toString();
    }

    /** {@code list}: runc's tabwriter table. */
    static String table(List<View> views) {
        TabWriter w = new TabWriter(12, 3).row("ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
        for (View v : views) {
            w.row(v.state().id(), Integer.toString(v.pid()), v.status().json(), nz(v.state().bundle()),
                    nz(v.state().created()), v.owner());
        }
        return w.render();
    }

    private static void object(StringBuilder sb, View v, String nl, String end) {
        boolean pretty = !nl.isEmpty();
        String sep = pretty ? ": " : ":";
        ContainerState s = v.state();
        sb.append('{');
        GoJson.string(field(sb, nl, "ociVersion", sep), Spec.OCI_VERSION).append(',');
        GoJson.string(field(sb, nl, "id", sep), s.id()).append(',');
        field(sb, nl, "pid", sep).append(v.pid()).append(',');
        GoJson.string(field(sb, nl, "status", sep), v.status().json()).append(',');
        GoJson.string(field(sb, nl, "bundle", sep), nz(s.bundle())).append(',');
        GoJson.string(field(sb, nl, "rootfs", sep), nz(s.rootfs())).append(',');
        GoJson.string(field(sb, nl, "created", sep), nz(s.created())).append(',');
        Map<String, String> ann = s.annotations();
        if (!ann.isEmpty()) {
            field(sb, nl, "annotations", sep).append('{');
            String inner = pretty ? nl + "  " : "";
            boolean first = true;
            for (Map.Entry<String, String> e : new TreeMap<>(ann).entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                GoJson.string(sb.append(inner), e.getKey()).append(sep);
                GoJson.string(sb, e.getValue());
            }
            sb.append(nl).append('}').append(',');
        }
        GoJson.string(field(sb, nl, "owner", sep), v.owner());
        sb.append(end).append('}');
    }

    private static StringBuilder field(StringBuilder sb, String nl, String name, String sep) {
        sb.append(nl);
        return GoJson.string(sb, name).append(sep);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
