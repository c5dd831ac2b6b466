package io.jruntime.core.init;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One record of a launch plan: a tag and either NUL-separated text fields or raw bytes (seccomp BPF).
 * Immutable; {@link #encode()} gives the packet as sent.
 */
public record PlanRecord(int tag, byte[] payload) {

    public static PlanRecord text(int tag, List<String> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < fields.size(); i++) {
            String f = fields.get(i);
            if (f.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("NUL byte in plan field of record " + tag);
            }
            if (i > 0) {
                out.write(0);
            }
            out.writeBytes(f.getBytes(StandardCharsets.UTF_8));
        }
        return new PlanRecord(tag, out.toByteArray());
    }

    public static PlanRecord text(int tag, String... fields) {
        return text(tag, List.of(fields));
    }

    public static PlanRecord flag(int tag) {
        return new PlanRecord(tag, new byte[0]);
    }

    public static PlanRecord number(int tag, long value) {
        return text(tag, Long.toString(value));
    }

    public byte[] encode() {
        byte[] out = new byte[4 + payload.length];
        out[0] = (byte) tag;
        out[1] = (byte) (tag >> 8);
        out[2] = (byte) (tag >> 16);
        out[3] = (byte) (tag >> 24);
        System.arraycopy(payload, 0, out, 4, payload.length);
        return out;
    }

    /** Payload as text, for messages from the helper. */
    public String textPayload() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
