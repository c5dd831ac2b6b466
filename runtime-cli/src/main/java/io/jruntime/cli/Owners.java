package io.jruntime.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** uid to user name from /etc/passwd, "#uid" when there is none (runc's list OWNER column). */
final class Owners {
    private final Map<Integer, String> cache = new HashMap<>();
    private final Path passwd;

    Owners(Path passwd) {
        this.passwd = passwd;
    }

    String name(int uid) {
        String n = cache.get(uid);
        if (n == null) {
            n = lookup(uid);
            cache.put(uid, n);
        }
        return n;
    }

    private String lookup(int uid) {
        try {
            for (String line : Files.readAllLines(passwd)) {
                String[] f = line.split(":", -1);
                if (f.length >= 3 && f[2].equals(Integer.toString(uid))) {
                    return f[0];
                }
            }
        } catch (IOException e) {
            // no passwd: fall through
        }
        return "#" + uid;
    }
}
