package io.jruntime.core.ops;

import io.jruntime.core.InvalidArgumentException;

/** {@code --manage-cgroups-mode} of checkpoint/restore, as CRIU names the modes. */
public enum ManageCgroupsMode {
    SOFT, FULL, STRICT;

    /** "soft", "full" or "strict"; anything else fails with runc's message. */
    public static ManageCgroupsMode parse(String s) {
        switch (s) {
            case "soft":
                return SOFT;
            case "full":
                return FULL;
            case "strict":
                return STRICT;
            default:
                throw new InvalidArgumentException("Invalid manage cgroups mode");
        }
    }
}
