package io.jruntime.cli;

import java.math.BigInteger;
import java.time.Duration;

/**
 * Flag value conversions with the syntax runc accepts (Go's strconv and time packages, docker/go-units), so
 * {@code --preserve-fds 0x3} or {@code --interval 1m30s} mean what they mean to runc. Failures are usage
 * errors worded like Go's flag package: {@code invalid value "x" for flag -preserve-fds: parse error}.
 */
public final class GoValues {
    private GoValues() {
    }

    /** Go flag.Int (strconv.ParseInt with base 0, 64 bits): "12", "-3", "0x1f", "0o17", "017", "0b101", "1_000". */
    public static long parseInt(String value, String flag, String command) {
        BigInteger v = parseInteger(value, true);
        if (v == null) {
            throw invalid(value, flag, command, "parse error");
        }
        if (v.bitLength() > 63) {
            throw invalid(value, flag, command, "value out of range");
        }
        return v.longValue();
    }

    /** {@link #parseInt} limited to the int range (fd counts and the like). */
    public static int parseInt32(String value, String flag, String command) {
        long v = parseInt(value, flag, command);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw invalid(value, flag, command, "value out of range");
        }
        return (int) v;
    }

    /** Go flag.Uint (strconv.ParseUint base 0, 64 bits); values above Long.MAX_VALUE are rejected as out of range. */
    public static long parseUint(String value, String flag, String command) {
        BigInteger v = parseInteger(value, false);
        if (v == null) {
            throw invalid(value, flag, command, "parse error");
        }
        if (v.bitLength() > 63) {
            throw invalid(value, flag, command, "value out of range");
        }
        return v.longValue();
    }

    /** strconv.ParseUint(s, 10, 64): plain decimal digits only; null when malformed. */
    public static Long parseDecimalUint(String s) {
        if (s.isEmpty()) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** strconv.ParseInt(s, 10, 64): optional sign, decimal digits; null when malformed. */
    public static Long parseDecimalInt(String s) {
        int start = !s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+') ? 1 : 0;
        Long abs = parseDecimalUint(s.substring(start));
        if (abs == null) {
            return null;
        }
        return s.charAt(0) == '-' ? -abs : abs;
    }

    private static BigInteger parseInteger(String s, boolean signed) {
        if (s.isEmpty()) {
            return null;
        }
        boolean neg = false;
        int i = 0;
        if (signed && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            neg = s.charAt(0) == '-';
            i = 1;
        }
        String body = s.substring(i);
        int radix = 10;
        boolean prefixed = false;
        if (body.length() >= 2 && body.charAt(0) == '0') {
            char p = Character.toLowerCase(body.charAt(1));
            if (p == 'x' || p == 'o' || p == 'b') {
                radix = p == 'x' ? 16 : p == 'o' ? 8 : 2;
                body = body.substring(2);
                prefixed = true;
            } else {
                radix = 8;
                body = body.substring(1);
                prefixed = true;
            }
        }
        // Go allows '_' between digits (and right after a base prefix) when the base is inferred.
        if (body.indexOf('_') >= 0) {
            if (body.startsWith("_") && !prefixed || body.endsWith("_") || body.contains("__")) {
                return null;
            }
            body = body.replace("_", "");
        }
        if (body.isEmpty()) {
            return prefixed && radix == 8 ? BigInteger.ZERO : null;
        }
        for (int j = 0; j < body.length(); j++) {
            if (Character.digit(body.charAt(j), radix) < 0) {
                return null;
            }
        }
        BigInteger v = new BigInteger(body, radix);
        return neg ? v.negate() : v;
    }

    /** Go time.ParseDuration: "5s", "1m30s", "250ms", "1.5h", "-2us", "0". */
    public static Duration parseDuration(String value, String flag, String command) {
        Duration d = parseDuration(value);
        if (d == null) {
            throw invalid(value, flag, command, "parse error");
        }
        return d;
    }

    static Duration parseDuration(String s) {
        if (s.isEmpty()) {
            return null;
        }
        int i = 0;
        boolean neg = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            neg = s.charAt(0) == '-';
            i++;
        }
        if (s.substring(i).equals("0")) {
            return Duration.ZERO;
        }
        if (i == s.length()) {
            return null;
        }
        java.math.BigDecimal totalNanos = java.math.BigDecimal.ZERO;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            String num = s.substring(start, i);
            if (num.isEmpty() || num.equals(".") || num.indexOf('.') != num.lastIndexOf('.')) {
                return null;
            }
            int ustart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            long unit;
            switch (s.substring(ustart, i)) {
                case "ns":
                    unit = 1L;
                    break;
                case "us", "\u00b5s", "\u03bcs":
                    unit = 1_000L;
                    break;
                case "ms":
                    unit = 1_000_000L;
                    break;
                case "s":
                    unit = 1_000_000_000L;
                    break;
                case "m":
                    unit = 60_000_000_000L;
                    break;
                case "h":
                    unit = 3_600_000_000_000L;
                    break;
                default:
                    return null;
            }
            totalNanos = totalNanos.add(new java.math.BigDecimal(num).multiply(java.math.BigDecimal.valueOf(unit)));
        }
        java.math.BigInteger n = totalNanos.toBigInteger();
        if (n.bitLength() > 63) {
            return null;
        }
        return Duration.ofNanos(neg ? -n.longValue() : n.longValue());
    }

    /**
     * docker/go-units RAMInBytes: a number with an optional binary unit, "512", "512k", "1.5g", "64MiB", "1 GB"
     * (k = 1024). Returns null when malformed.
     */
    public static Long ramInBytes(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("^(\\d+(\\.\\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$").matcher(s);
        if (!m.matches()) {
            return null;
        }
        double size;
        try {
            size = Double.parseDouble(m.group(1));
        } catch (NumberFormatException e) {
            return null;
        }
        long mul = 1;
        if (m.group(3) != null) {
            switch (Character.toLowerCase(m.group(3).charAt(0))) {
                case 'k' -> mul = 1L << 10;
                case 'm' -> mul = 1L << 20;
                case 'g' -> mul = 1L << 30;
                case 't' -> mul = 1L << 40;
                case 'p' -> mul = 1L << 50;
                default -> throw new IllegalStateException();
            }
        }
        return (long) (size * mul);
    }

    static UsageException invalid(String value, String flag, String command, String why) {
        return new UsageException(UsageException.Kind.FLAG, command,
                "invalid value \"" + value + "\" for flag -" + flag + ": " + why);
    }
}
