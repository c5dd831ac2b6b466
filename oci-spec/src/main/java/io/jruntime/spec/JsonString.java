package io.jruntime.spec;

/**
 * The one hand-written JSON string writer (everything else that writes JSON by hand calls it). It escapes as Go's
 * encoding/json does, because engines and tests compare jruntime's output with runc's byte for byte: {@code \" \\ \n
 * \r \t}, other control characters and U+2028/U+2029 as backslash-u escapes, an unpaired surrogate as U+FFFD, and,
 * in {@link #append} only, the HTML-sensitive {@code < > &} (Go's default; {@link #appendPlain} is Go's
 * {@code SetEscapeHTML(false)}, for files and messages a person reads).
 */
public final class JsonString {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonString() {
    }

    /** Appends s as a JSON string literal exactly as runc's encoding/json prints it. */
    public static StringBuilder append(StringBuilder sb, String s) {
        return append(sb, s, true);
    }

    /** Appends s as a JSON string literal, {@code < > &} left as they are. */
    public static StringBuilder appendPlain(StringBuilder sb, String s) {
        return append(sb, s, false);
    }

    /** s as a JSON string literal, as {@link #append}. */
    public static String quote(String s) {
        return append(new StringBuilder(s.length() + 2), s, true).toString();
    }

    /** s as a JSON string literal, as {@link #appendPlain}: for error messages that quote a value. */
    public static String quotePlain(String s) {
        return append(new StringBuilder(s.length() + 2), s, false).toString();
    }

    private static StringBuilder append(StringBuilder sb, String s, boolean escapeHtml) {
        sb.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\u2028', '\u2029' -> unicode(sb, c);
                case '<', '>', '&' -> {
                    if (escapeHtml) {
                        unicode(sb, c);
                    } else {
                        sb.append(c);
                    }
                }
                default -> {
                    if (c < 0x20) {
                        unicode(sb, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        sb.append("\\ufffd");
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }

    private static void unicode(StringBuilder sb, char c) {
        sb.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
    }
}
