package io.jruntime.core.security.seccomp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Syscall name to number, per {@link SeccompArch}: the tests' oracle, independent of libseccomp. The numbers are what
 * the kernel puts in {@code seccomp_data.nr} (x32 numbers include {@link SeccompArch#X32_SYSCALL_BIT}). Read once, on
 * first use, from {@code syscalls.txt} next to this class, which {@code gen-syscalls.py} generates from the kernel's
 * uapi headers.
 */
public final class SyscallTable {
    private static final String RESOURCE = "syscalls.txt";

    private SyscallTable() {
    }

    private static final class Holder {
        static final Map<SeccompArch, Map<String, Integer>> TABLES = load();
    }

    /** The number of {@code name} on {@code arch}, or -1 if the syscall does not exist there. */
    public static int number(SeccompArch arch, String name) {
        Integer nr = Holder.TABLES.get(arch).get(name);
        return nr == null ? -1 : nr;
    }

    /** All syscalls of {@code arch}, name to number. */
    public static Map<String, Integer> of(SeccompArch arch) {
        return Holder.TABLES.get(arch);
    }

    private static Map<SeccompArch, Map<String, Integer>> load() {
        byte[] data;
        try (InputStream in = SyscallTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("seccomp syscall table " + RESOURCE
                        + " is missing from the class path");
            }
            data = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading seccomp syscall table " + RESOURCE, e);
        }
        Map<String, SeccompArch> byTable = new HashMap<>();
        for (SeccompArch arch : SeccompArch.values()) {
            byTable.put(arch.tableName(), arch);
        }
        Map<SeccompArch, Map<String, Integer>> tables = new EnumMap<>(SeccompArch.class);
        Map<String, Integer> current = null;
        int pos = 0;
        int n = data.length;
        while (pos < n) {
            int end = pos;
            while (end < n && data[end] != '\n') {
                end++;
            }
            if (end > pos && data[pos] != '#') {
                if (data[pos] >= '0' && data[pos] <= '9') {
                    int nr = 0;
                    int i = pos;
                    while (data[i] != ' ') {
                        nr = nr * 10 + (data[i++] - '0');
                    }
                    if (current == null) {
                        throw new IllegalStateException("seccomp syscall table: number before any arch line");
                    }
                    current.put(new String(data, i + 1, end - i - 1, StandardCharsets.US_ASCII), nr);
                } else {
                    String line = new String(data, pos, end - pos, StandardCharsets.US_ASCII);
                    SeccompArch arch = line.startsWith("arch ") ? byTable.get(line.substring(5)) : null;
                    if (arch == null) {
                        throw new IllegalStateException("seccomp syscall table: unexpected line " + line);
                    }
                    current = new HashMap<>(512);
                    tables.put(arch, current);
                }
            }
            pos = end + 1;
        }
        for (SeccompArch arch : SeccompArch.values()) {
            Map<String, Integer> table = tables.get(arch);
            tables.put(arch, table == null ? Map.of() : Collections.unmodifiableMap(table));
        }
        return tables;
    }
}
