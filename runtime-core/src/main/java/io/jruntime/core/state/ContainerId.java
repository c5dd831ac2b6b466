package io.jruntime.core.state;

import io.jruntime.core.InvalidArgumentException;
import io.jruntime.spec.JsonString;

import java.util.regex.Pattern;

/** Container ids become directory names under the state root, so they are checked before any path is built. */
public final class ContainerId {
    /** Same alphabet runc accepts; a leading character that is not '.' or '-' keeps ids from looking like options/paths. */
    private static final Pattern VALID = Pattern.compile("^[\\w+\\-.]+$");
    public static final int MAX_LENGTH = 1024;

    /** NAME_MAX: the id is a directory name under the state root and the last component of the default cgroup. */
    public static final int MAX_STORABLE = 255;

    private ContainerId() {
    }

    /**
     * True if a container can have this (valid) id. Longer ids pass {@link #check}, so that asking about one
     * gives "does not exist" (no container can have it) rather than the file system's "File name too long".
     */
    public static boolean storable(String id) {
        return id.length() <= MAX_STORABLE;
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
        return JsonString.quotePlain(s);
    }
}
