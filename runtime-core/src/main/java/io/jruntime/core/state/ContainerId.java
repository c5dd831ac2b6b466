package io.jruntime.core.state;

import io.jruntime.core.InvalidArgumentException;

import java.util.regex.Pattern;

/** Container ids become directory names under the state root, so they are checked before any path is built. */
public final class ContainerId {
    /** Same alphabet runc accepts; a leading character that is not '.' or '-' keeps ids from looking like options/paths. */
    private static final Pattern VALID = Pattern.compile("^[\\w+\\-.]+$");
    public static final int MAX_LENGTH = 1024;

    private ContainerId() {
    }

    public static String check(String id) {
        if (id == null || id.isEmpty()) {
            throw new InvalidArgumentException("container id cannot be empty");
        }
        if (id.length() > MAX_LENGTH) {
            throw new InvalidArgumentException("invalid container id: longer than " + MAX_LENGTH + " characters");
        }
        if (id.equals(".") || id.equals("..") || !VALID.matcher(id).matches()) {
            throw new InvalidArgumentException("invalid container id " + quote(id)
                    + ": use letters, digits, '_', '+', '-' and '.' only (no '/', not '.' or '..')");
        }
        return id;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "\\\"") + "\"";
    }
}
