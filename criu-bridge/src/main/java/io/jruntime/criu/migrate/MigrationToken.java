package io.jruntime.criu.migrate;

import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.sys.Processes;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Set;

/**
 * The secret both ends of a migration hold in a file. It never crosses the wire: each side proves it knows the
 * token by the HMAC-SHA256 of the other side's random nonce (and its own, and its role, so an answer can be neither
 * replayed nor reflected back). A token file that anyone but its owner may read or write is refused, as is one owned
 * by another user: a token others can read authenticates nobody.
 */
final class MigrationToken {
    static final int MIN_BYTES = 16;
    static final int NONCE_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;

    private MigrationToken(byte[] key) {
        this.key = key;
    }

    static MigrationToken read(Path file) {
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(file, PosixFileAttributes.class);
        } catch (IOException e) {
            throw new InvalidArgumentException("--token-file " + file + ": " + e.getMessage());
        }
        if (!a.isRegularFile()) {
            throw new InvalidArgumentException("--token-file " + file + ": not a regular file");
        }
        Set<PosixFilePermission> p = a.permissions();
        if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)
                || p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new InvalidArgumentException("--token-file " + file + ": readable or writable by group or others ("
                    + java.nio.file.attribute.PosixFilePermissions.toString(p) + "): chmod 600 " + file);
        }
        try {
            int uid = (Integer) Files.getAttribute(file, "unix:uid");
            int euid = Processes.geteuid();
            if (uid != euid) {
                throw new InvalidArgumentException("--token-file " + file + ": owned by uid " + uid + ", not by the caller (uid "
                        + euid + ")");
            }
            byte[] raw = Files.readAllBytes(file);
            int n = raw.length;
            while (n > 0 && Character.isWhitespace(raw[n - 1])) {
                n--;
            }
            if (n < MIN_BYTES) {
                throw new InvalidArgumentException("--token-file " + file + ": the token is " + n + " bytes, at least "
                        + MIN_BYTES + " are needed (e.g. head -c 32 /dev/urandom | base64 > " + file + ")");
            }
            return new MigrationToken(Arrays.copyOf(raw, n));
        } catch (IOException e) {
            throw new InvalidArgumentException("--token-file " + file + ": " + e.getMessage());
        }
    }

    static byte[] nonce() {
        byte[] b = new byte[NONCE_BYTES];
        RANDOM.nextBytes(b);
        return b;
    }

    /** HMAC-SHA256(token, role NUL first second). */
    byte[] mac(String role, byte[] first, byte[] second) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            m.update(role.getBytes(StandardCharsets.UTF_8));
            m.update((byte) 0);
            m.update(first);
            m.update(second);
            return m.doFinal();
        } catch (GeneralSecurityException e) {
            throw new JRuntimeException("HMAC-SHA256 is not available: " + e.getMessage(), e);
        }
    }

    boolean verify(byte[] expected, byte[] got) {
        return got != null && MessageDigest.isEqual(expected, got);
    }
}
