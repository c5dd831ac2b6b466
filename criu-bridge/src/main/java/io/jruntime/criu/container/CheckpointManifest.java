package io.jruntime.criu.container;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jruntime.core.JRuntimeException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What jruntime itself records next to CRIU's images: the external mount keys the dump declared (so restore
 * can map every one of them to the new config, and say which one is missing), the masked files among them,
 * and whether the network namespace was left out (--empty-ns network) or joined from outside. Also writes
 * runc's descriptors.json (where fds 0-2 of the init pointed), which engines rely on.
 */
record CheckpointManifest(List<String> externals, List<String> maskedFiles, boolean emptyNetwork, String externalNetns) {
    static final String FILE = "jruntime-checkpoint.json";
    static final String DESCRIPTORS = "descriptors.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    void write(Path imagesDir) {
        try {
            Files.write(imagesDir.resolve(FILE), JSON.writeValueAsBytes(this));
        } catch (IOException e) {
            throw new JRuntimeException("cannot write " + imagesDir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    static CheckpointManifest read(Path imagesDir) {
        Path f = imagesDir.resolve(FILE);
        if (!Files.exists(f)) {
            return null;
        }
        try {
            return JSON.readValue(f.toFile(), CheckpointManifest.class);
        } catch (IOException e) {
            throw new JRuntimeException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    static void writeDescriptors(Path imagesDir, int pid) {
        List<String> targets = new java.util.ArrayList<>();
        for (int fd = 0; fd < 3; fd++) {
            try {
                targets.add(Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/" + fd)).toString());
            } catch (IOException e) {
                targets.add("");
            }
        }
        try {
            Files.write(imagesDir.resolve(DESCRIPTORS), JSON.writeValueAsBytes(targets));
        } catch (IOException e) {
            throw new JRuntimeException("cannot write " + imagesDir.resolve(DESCRIPTORS) + ": " + e.getMessage(), e);
        }
    }

    static List<String> readDescriptors(Path imagesDir) {
        Path f = imagesDir.resolve(DESCRIPTORS);
        if (!Files.exists(f)) {
            return List.of();
        }
        try {
            return List.of(JSON.readValue(f.toFile(), String[].class));
        } catch (IOException e) {
            throw new JRuntimeException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }
}
