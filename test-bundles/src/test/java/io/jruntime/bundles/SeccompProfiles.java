package io.jruntime.bundles;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;

/** Seccomp profiles kept with runtime-core's seccomp tests, read from the source tree (not copied here). */
final class SeccompProfiles {
    private static final Path DIR = Path.of("..", "runtime-core", "src", "test", "resources", "io", "jruntime", "core",
            "security", "seccomp");

    private SeccompProfiles() {
    }

    /**
     * The Docker-shaped profile of issue 13 item 17 (345 names, argument conditions, 5 architectures; see
     * gen-docker-like.py there): default SCMP_ACT_ERRNO with EPERM, unshare not allowed.
     */
    static ObjectNode dockerLike() {
        return read("docker-like-seccomp.json");
    }

    /** Podman's default profile (default SCMP_ACT_ERRNO with ENOSYS). */
    static ObjectNode podman() {
        return read("podman-seccomp.json");
    }

    private static ObjectNode read(String name) {
        try {
            return (ObjectNode) Bundle.parse(Files.readString(DIR.resolve(name)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
