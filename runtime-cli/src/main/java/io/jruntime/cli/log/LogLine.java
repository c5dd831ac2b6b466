package io.jruntime.cli.log;

import io.jruntime.cli.text.GoJson;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Formats one log entry exactly as runc's logger (logrus) does, since containerd and Podman parse runc's log
 * lines. JSON: keys sorted ({@code file}, {@code func} when debugging, then {@code level}, {@code msg},
 * {@code time}), Go's string escaping, one object per line. Text: {@code time="..." level=error msg="..."}
 * with values quoted only when they contain characters outside {@code [A-Za-z0-9-._/@^+]}. Times are RFC 3339
 * with second precision in the local zone ("Z" for UTC).
 */
public final class LogLine {
    private LogLine() {
    }

    /** logrus level name for a java.util.logging level value (Level.intValue()); 1100 and above is "fatal". */
    public static String levelName(int v) {
        if (v >= 1100) {
            return "fatal";
        }
        if (v >= 1000) {
            return "error";
        }
        if (v >= 900) {
            return "warning";
        }
        if (v >= 700) {
            return "info";
        }
        if (v >= 500) {
            return "debug";
        }
        return "trace";
    }

    /**
     * @param json   JSON or text layout
     * @param func   caller "pkg.Class.method" or null (only with --debug)
     * @param file   caller "File.java:123" or null (only with --debug)
     * @param time   RFC 3339 time, see {@link #rfc3339}
     * @return the line including the trailing newline
     */
    public static String format(boolean json, String level, String msg, String time, String func, String file) {
        StringBuilder sb = new StringBuilder(64 + msg.length());
        if (json) {
            sb.append('{');
            if (file != null) {
                GoJson.string(sb.append("\"file\":"), file).append(',');
            }
            if (func != null) {
                GoJson.string(sb.append("\"func\":"), func).append(',');
            }
            GoJson.string(sb.append("\"level\":"), level);
            GoJson.string(sb.append(",\"msg\":"), msg);
            GoJson.string(sb.append(",\"time\":"), time);
            sb.append("}\n");
        } else {
            sb.append("time=");
            value(sb, time);
            sb.append(" level=").append(level).append(" msg=");
            value(sb, msg);
            if (func != null) {
                sb.append(" func=");
                value(sb, func);
            }
            if (file != null) {
                sb.append(" file=");
                value(sb, file);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** logrus TextFormatter: bare when every char is in [A-Za-z0-9-._/@^+], else Go-quoted (%q). */
    static void value(StringBuilder sb, String s) {
        boolean bare = true;
        for (int i = 0; i < s.length() && bare; i++) {
            char c = s.charAt(i);
            bare = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '/' || c == '@' || c == '^' || c == '+';
        }
        if (bare) {
            sb.append(s);
        } else {
            goQuote(sb, s);
        }
    }

    /** Go's strconv.Quote for the characters that matter here. */
    static void goQuote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\u0007' -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\u000b' -> sb.append("\\v");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
                    } else if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1)))) {
                        sb.append("\\ufffd");
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** Go's time.RFC3339 ("2006-01-02T15:04:05Z07:00") in the local zone, whole seconds. */
    public static String rfc3339(long epochMillis) {
        Instant now = Instant.ofEpochMilli(epochMillis);
        ZoneOffset off = localOffset(now);
        LocalDateTime t = LocalDateTime.ofEpochSecond(now.getEpochSecond(), 0, off);
        StringBuilder sb = new StringBuilder(25);
        pad(sb, t.getYear(), 4).append('-');
        pad(sb, t.getMonthValue(), 2).append('-');
        pad(sb, t.getDayOfMonth(), 2).append('T');
        pad(sb, t.getHour(), 2).append(':');
        pad(sb, t.getMinute(), 2).append(':');
        pad(sb, t.getSecond(), 2);
        int secs = off.getTotalSeconds();
        if (secs == 0) {
            sb.append('Z');
        } else {
            sb.append(secs < 0 ? '-' : '+');
            secs = Math.abs(secs);
            pad(sb, secs / 3600, 2).append(':');
            pad(sb, secs / 60 % 60, 2);
        }
        return sb.toString();
    }

    private static ZoneOffset utcOrNull;
    private static boolean zoneChecked;

    /**
     * The local offset. UTC is recognised without loading the zone database (TZ=UTC, or /etc/localtime missing
     * or linked to a UTC zone: the usual case on servers), which keeps error logging cheap at start-up.
     */
    private static ZoneOffset localOffset(Instant now) {
        if (!zoneChecked) {
            utcOrNull = looksUtc() ? ZoneOffset.UTC : null;
            zoneChecked = true;
        }
        return utcOrNull != null ? utcOrNull : ZoneId.systemDefault().getRules().getOffset(now);
    }

    private static boolean looksUtc() {
        String tz = System.getenv("TZ");
        if (tz != null) {
            return tz.isEmpty() || isUtcName(tz.startsWith(":") ? tz.substring(1) : tz);
        }
        java.nio.file.Path p = java.nio.file.Path.of("/etc/localtime");
        try {
            return isUtcName(java.nio.file.Files.readSymbolicLink(p).toString());
        } catch (java.nio.file.NoSuchFileException e) {
            return true;
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static boolean isUtcName(String zone) {
        String z = zone.substring(zone.lastIndexOf('/') + 1);
        return z.equals("UTC") || z.equals("UCT") || z.equals("Universal") || z.equals("Zulu")
                || zone.endsWith("Etc/GMT") || z.equals("GMT") && !zone.contains("/");
    }

    private static StringBuilder pad(StringBuilder sb, int v, int width) {
        String s = Integer.toString(v);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s);
    }
}
