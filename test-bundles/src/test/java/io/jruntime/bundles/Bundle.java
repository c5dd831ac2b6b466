package io.jruntime.bundles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * A test bundle: a busybox-static rootfs and a config.json that starts as `jruntime spec` output and is edited
 * through the JSON tree, so tests can set any field, including ones the model does not know.
 */
public final class Bundle {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path BUSYBOX = Path.of("/bin/busybox");

    private final Path dir;
    private final ObjectNode config;

    private Bundle(Path dir, ObjectNode config) {
        this.dir = dir;
        this.config = config;
    }

    /**
     * Makes dir/rootfs and dir/config.json (from `spec` of the given runtime binary), process running args, no
     * terminal, root writable.
     */
    public static Bundle create(Path dir, Jruntime runtime, String... args) {
        try {
            Files.createDirectories(dir);
            makeRootfs(dir.resolve("rootfs"));
            runtime.run(dir, 30, "spec").assertOk();
            ObjectNode config = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
            Bundle b = new Bundle(dir, config);
            b.edit(c -> {
                // runc spec makes the root read-only; tests write into it unless they ask otherwise.
                ((ObjectNode) c.get("root")).put("readonly", false);
                ObjectNode p = (ObjectNode) c.get("process");
                p.put("terminal", false);
                ArrayNode a = p.putArray("args");
                for (String s : args) {
                    a.add(s);
                }
            });
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An existing bundle directory (e.g. a copy of another), its config.json loaded for editing. */
    public static Bundle open(Path dir) {
        try {
            return new Bundle(dir, (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A minimal busybox-static rootfs: the binary, one symlink per applet, /etc/passwd and /etc/group. */
    public static void makeRootfs(Path rootfs) throws IOException {
        if (!Files.isExecutable(BUSYBOX)) {
            throw new IllegalStateException("/bin/busybox is missing: install busybox-static (make deps)");
        }
        for (String d : List.of("bin", "proc", "sys", "dev", "etc", "tmp", "root", "home/user")) {
            Files.createDirectories(rootfs.resolve(d));
        }
        Files.copy(BUSYBOX, rootfs.resolve("bin/busybox"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Jruntime.Result list = Jruntime.exec(List.of(BUSYBOX.toString(), "--list"), null, 10);
        for (String applet : list.stdout().split("\n")) {
            Path link = rootfs.resolve("bin").resolve(applet.trim());
            if (!applet.isBlank() && !applet.equals("busybox") && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, Path.of("busybox"));
            }
        }
        Files.writeString(rootfs.resolve("etc/passwd"),
                "root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nuser:x:1000:\ntty:x:5:\nnogroup:x:65534:\n");
        // NIO cannot set the sticky bit.
        Jruntime.exec(List.of("chmod", "1777", rootfs.resolve("tmp").toString()), null, 10).assertOk();
    }

    public Path dir() {
        return dir;
    }

    public ObjectNode config() {
        return config;
    }

    /** Applies an edit to config.json and writes it back. */
    public Bundle edit(Consumer<ObjectNode> change) {
        change.accept(config);
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
