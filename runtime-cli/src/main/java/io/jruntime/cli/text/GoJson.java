package io.jruntime.cli.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.jruntime.spec.JsonString;

import java.util.Iterator;
import java.util.Map;

/**
 * Writes JSON byte-for-byte the way Go's encoding/json does, because engines and tests compare runc's output:
 * HTML-sensitive characters escaped ({@code < > &} as backslash-u003c ...), U+2028/U+2029 escaped, other control
 * characters as backslash-u00XX escapes except {@code \n \r \t}, invalid UTF-16 as U+FFFD. Pretty output uses the given
 * indent and ": " like json.MarshalIndent; empty arrays and objects print as {@code []} / {@code {}}.
 */
public final class GoJson {
    private GoJson() {
    }

    /** Appends s as a JSON string literal ({@link JsonString#append}). */
    public static StringBuilder string(StringBuilder sb, String s) {
        return JsonString.append(sb, s);
    }

    /** A Jackson tree, compact when indent is null, else pretty with that indent (no trailing newline). */
    public static String write(JsonNode node, String indent) {
        StringBuilder sb = new StringBuilder(256);
        write(sb, node, indent, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, JsonNode node, String indent, int depth) {
        if (node.isObject()) {
            if (node.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append('{');
            boolean first = true;
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!first) {
                    sb.append(',');
                }
                first = false;
                newline(sb, indent, depth + 1);
                string(sb, e.getKey()).append(indent == null ? ":" : ": ");
                write(sb, e.getValue(), indent, depth + 1);
            }
            newline(sb, indent, depth);
            sb.append('}');
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                newline(sb, indent, depth + 1);
                write(sb, node.get(i), indent, depth + 1);
            }
            newline(sb, indent, depth);
            sb.append(']');
        } else if (node.isTextual()) {
            string(sb, node.textValue());
        } else if (node.isNull() || node.isMissingNode()) {
            sb.append("null");
        } else {
            sb.append(node.asText());
        }
    }

    private static void newline(StringBuilder sb, String indent, int depth) {
        if (indent != null) {
            sb.append('\n');
            for (int i = 0; i < depth; i++) {
                sb.append(indent);
            }
        }
    }
}
