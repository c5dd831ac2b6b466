package io.jruntime.bundles.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Every x86_64 syscall name of the host's kernel headers: the allow list of a docker-sized profile. */
final class SyscallNames {
    private static final Path HEADER = Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h");
    static final List<String> ALL = load();

    private SyscallNames() {
    }

    private static List<String> load() {
        try {
            return Files.readAllLines(HEADER).stream().filter(l -> l.startsWith("#define __NR_"))
                    .map(l -> l.split("\\s+")[1].substring("__NR_".length())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(HEADER + " is needed for the large seccomp profile (linux-libc-dev)", e);
        }
    }
}
