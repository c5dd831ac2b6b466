package io.jruntime.core.state;

import io.jruntime.spec.JsonString;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * state.json without Jackson. Every lifecycle command reads it, and a cold Jackson costs ~60-80 ms per call for
 * this one small, flat document, so it gets a reader and writer of its own: an object of strings, integers,
 * booleans, string lists and string maps. Unknown fields (from newer versions) are skipped; the output is the
 * same JSON Jackson would write.
 */
final class StateCodec {
    private final byte[] in;
    private int pos;

    private StateCodec(byte[] in) {
        this.in = in;
    }

    // ---- writing --------------------------------------------------------------------------------------

    static byte[] encode(ContainerState s) {
        StringBuilder b = new StringBuilder(512).append('{');
        field(b, "ociVersion", s.ociVersion());
        field(b, "id", s.id());
        b.append("\"initPid\":").append(s.initPid()).append(',');
        b.append("\"initStartTime\":").append(s.initStartTime()).append(',');
        field(b, "bundle", s.bundle());
        field(b, "rootfs", s.rootfs());
        field(b, "created", s.created());
        field(b, "owner", s.owner());
        map(b, "annotations", s.annotations());
        map(b, "cgroupPaths", s.cgroupPaths());
        map(b, "namespacePaths", s.namespacePaths());
        b.append("\"rootlessEuid\":").append(s.rootlessEuid()).append(',');
        b.append("\"rootlessCgroups\":").append(s.rootlessCgroups()).append(',');
        b.append("\"stdioPaths\":[");
        for (int i = 0; i < s.stdioPaths().size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            string(b, s.stdioPaths().get(i));
        }
        b.append("],\"rootless\":").append(s.rootless());
        if (s.phase() != null) {
            b.append(",\"phase\":");
            string(b, s.phase());
        }
        if (s.helperPid() != 0) {
            b.append(",\"helperPid\":").append(s.helperPid());
        }
        if (s.helperStartTime() != 0) {
            b.append(",\"helperStartTime\":").append(s.helperStartTime());
        }
        if (s.hookPid() != 0) {
            b.append(",\"hookPid\":").append(s.hookPid());
        }
        if (s.hookStartTime() != 0) {
            b.append(",\"hookStartTime\":").append(s.hookStartTime());
        }
        b.append('}');
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void field(StringBuilder b, String name, String value) {
        if (value != null) {
            b.append('"').append(name).append("\":");
            string(b, value);
            b.append(',');
        }
    }

    private static void map(StringBuilder b, String name, Map<String, String> m) {
        b.append('"').append(name).append("\":{");
        boolean first = true;
        for (Map.Entry<String, String> e : m.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            string(b, e.getKey());
            b.append(':');
            string(b, e.getValue());
        }
        b.append("},");
    }

    private static void string(StringBuilder b, String s) {
        JsonString.appendPlain(b, s);
    }

    // ---- reading --------------------------------------------------------------------------------------

    static ContainerState decode(byte[] json) {
        return new StateCodec(json).state();
    }

    private ContainerState state() {
        String ociVersion = null;
        String id = null;
        String bundle = null;
        String rootfs = null;
        String created = null;
        String owner = null;
        int initPid = 0;
        long initStartTime = 0;
        Map<String, String> annotations = null;
        Map<String, String> cgroupPaths = null;
        Map<String, String> namespacePaths = null;
        boolean rootlessEuid = false;
        boolean rootlessCgroups = false;
        List<String> stdioPaths = null;
        String phase = null;
        int helperPid = 0;
        long helperStartTime = 0;
        int hookPid = 0;
        long hookStartTime = 0;
        expect('{');
        if (!peekIs('}')) {
            do {
                String name = readString();
                expect(':');
                switch (name) {
                    case "ociVersion" -> ociVersion = readStringOrNull();
                    case "id" -> id = readStringOrNull();
                    case "bundle" -> bundle = readStringOrNull();
                    case "rootfs" -> rootfs = readStringOrNull();
                    case "created" -> created = readStringOrNull();
                    case "owner" -> owner = readStringOrNull();
                    case "initPid" -> initPid = (int) readLong();
                    case "initStartTime" -> initStartTime = readLong();
                    case "annotations" -> annotations = readStringMap();
                    case "cgroupPaths" -> cgroupPaths = readStringMap();
                    case "namespacePaths" -> namespacePaths = readStringMap();
                    case "rootlessEuid" -> rootlessEuid = readBoolean();
                    case "rootlessCgroups" -> rootlessCgroups = readBoolean();
                    case "stdioPaths" -> stdioPaths = readStringList();
                    case "phase" -> phase = readStringOrNull();
                    case "helperPid" -> helperPid = (int) readLong();
                    case "helperStartTime" -> helperStartTime = readLong();
                    case "hookPid" -> hookPid = (int) readLong();
                    case "hookStartTime" -> hookStartTime = readLong();
                    default -> skipValue();
                }
            } while (next(',', '}'));
        } else {
            pos++;
        }
        return new ContainerState(ociVersion, id, initPid, initStartTime, bundle, rootfs, created, owner, annotations,
                cgroupPaths, namespacePaths, rootlessEuid, rootlessCgroups, stdioPaths, phase, helperPid, helperStartTime,
                hookPid, hookStartTime);
    }

    private void ws() {
        while (pos < in.length && (in[pos] == ' ' || in[pos] == '\n' || in[pos] == '\r' || in[pos] == '\t')) {
            pos++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at byte " + pos);
    }

    private void expect(char c) {
        ws();
        if (pos >= in.length || in[pos] != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private boolean peekIs(char c) {
        ws();
        return pos < in.length && in[pos] == c;
    }

    /** Consumes a separator or the closing bracket; true when another element follows. */
    private boolean next(char sep, char close) {
        ws();
        if (pos < in.length && in[pos] == sep) {
            pos++;
            return true;
        }
        expect(close);
        return false;
    }

    private String readStringOrNull() {
        if (peekIs('n')) {
            literal("null");
            return null;
        }
        return readString();
    }

    private String readString() {
        expect('"');
        StringBuilder sb = null;
        int start = pos;
        while (true) {
            if (pos >= in.length) {
                throw error("unterminated string");
            }
            byte c = in[pos];
            if (c == '"') {
                String tail = new String(in, start, pos - start, StandardCharsets.UTF_8);
                pos++;
                return sb == null ? tail : sb.append(tail).toString();
            }
            if (c == '\\') {
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(new String(in, start, pos - start, StandardCharsets.UTF_8));
                char e = (char) in[pos + 1];
                pos += 2;
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(new String(in, pos, 4, StandardCharsets.US_ASCII), 16));
                        pos += 4;
                    }
                    default -> throw error("bad escape");
                }
                start = pos;
                continue;
            }
            pos++;
        }
    }

    private long readLong() {
        ws();
        int start = pos;
        while (pos < in.length && (in[pos] == '-' || (in[pos] >= '0' && in[pos] <= '9'))) {
            pos++;
        }
        if (start == pos) {
            throw error("expected a number");
        }
        return Long.parseLong(new String(in, start, pos - start, StandardCharsets.US_ASCII));
    }

    private boolean readBoolean() {
        if (peekIs('t')) {
            literal("true");
            return true;
        }
        literal("false");
        return false;
    }

    private void literal(String word) {
        ws();
        for (int i = 0; i < word.length(); i++) {
            if (pos >= in.length || in[pos] != word.charAt(i)) {
                throw error("expected " + word);
            }
            pos++;
        }
    }

    private Map<String, String> readStringMap() {
        if (peekIs('n')) {
            literal("null");
            return null;
        }
        Map<String, String> m = new LinkedHashMap<>();
        expect('{');
        if (peekIs('}')) {
            pos++;
            return m;
        }
        do {
            String k = readString();
            expect(':');
            m.put(k, readStringOrNull());
        } while (next(',', '}'));
        return m;
    }

    private List<String> readStringList() {
        if (peekIs('n')) {
            literal("null");
            return null;
        }
        List<String> l = new ArrayList<>();
        expect('[');
        if (peekIs(']')) {
            pos++;
            return l;
        }
        do {
            l.add(readStringOrNull());
        } while (next(',', ']'));
        return l;
    }

    /** Skips any JSON value (a field from a newer jruntime). */
    private void skipValue() {
        ws();
        if (pos >= in.length) {
            throw error("expected a value");
        }
        switch (in[pos]) {
            case '"' -> readString();
            case '{' -> {
                pos++;
                if (peekIs('}')) {
                    pos++;
                    return;
                }
                do {
                    readString();
                    expect(':');
                    skipValue();
                } while (next(',', '}'));
            }
            case '[' -> {
                pos++;
                if (peekIs(']')) {
                    pos++;
                    return;
                }
                do {
                    skipValue();
                } while (next(',', ']'));
            }
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> {
                int start = pos;
                while (pos < in.length && "+-.eE0123456789".indexOf(in[pos]) >= 0) {
                    pos++;
                }
                if (start == pos) {
                    throw error("unexpected character");
                }
            }
        }
    }
}
