package io.jruntime.core.security;

import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.NotImplementedException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * AppArmor profiles and SELinux labels. jruntime does not apply either yet, so a config that asks for one must fail
 * before anything is created, naming the field and saying why: the host has no such module, or jruntime cannot apply
 * it. Never silently ignored (a container would run unconfined while its owner believes otherwise).
 */
public final class SecurityModules {
    private SecurityModules() {
    }

    /** True if the kernel has AppArmor enabled (as runc's apparmor.IsEnabled checks it). */
    public static boolean apparmorEnabled() {
        try {
            return Files.readString(Path.of("/sys/module/apparmor/parameters/enabled")).startsWith("Y");
        } catch (IOException e) {
            return false;
        }
    }

    /** True if selinuxfs is mounted (the kernel has SELinux enabled). */
    public static boolean selinuxEnabled() {
        return Files.exists(Path.of("/sys/fs/selinux/enforce"));
    }

    /**
     * Fails for a non-empty AppArmor profile or SELinux label.
     *
     * @param where "process" for config.json, or the exec flag names
     */
    public static void check(String apparmorField, String apparmorProfile, String selinuxField, String selinuxLabel) {
        if (apparmorProfile != null && !apparmorProfile.isEmpty()) {
            if (!apparmorEnabled()) {
                throw new InvalidArgumentException(apparmorField + " \"" + apparmorProfile
                        + "\" requested, but AppArmor is not enabled on this host (/sys/module/apparmor/parameters/enabled)");
            }
            throw new NotImplementedException(apparmorField + " \"" + apparmorProfile
                    + "\": applying an AppArmor profile");
        }
        if (selinuxLabel != null && !selinuxLabel.isEmpty()) {
            if (!selinuxEnabled()) {
                throw new InvalidArgumentException(selinuxField + " \"" + selinuxLabel
                        + "\" requested, but SELinux is not enabled on this host (no selinuxfs at /sys/fs/selinux)");
            }
            throw new NotImplementedException(selinuxField + " \"" + selinuxLabel + "\": applying an SELinux label");
        }
    }
}
