package io.jruntime.bundles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs jruntime as the unprivileged user {@value RootlessUser#NAME} from a user-readable install, with no --root (so
 * the state directory is $XDG_RUNTIME_DIR/jruntime), on bundles made by `spec --rootless` as that user; after each
 * test every container left is force-deleted and the work directory removed (the user stays).
 */
abstract class RootlessTestBase {
    static RootlessUser user;
    static Path install;
    static Path launcher;

    Path work;
    Path xdg;

    @BeforeAll
    static void setUpUser() throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) {
            fail("integration tests need root (they create the test user " + RootlessUser.NAME + ")");
        }
        user = RootlessUser.ensure();
        install = Files.createTempDirectory("jruntime-rootless-install-");
        launcher = RootlessUser.install(install);
    }

    @AfterAll
    static void removeInstall() throws IOException {
        if (install != null) {
            ContainerTestBase.deleteTree(install);
        }
    }

    @BeforeEach
    void setUpWork() throws Exception {
        work = user.ownedDir(Files.createTempDirectory("jruntime-rootless-"));
        xdg = user.ownedDir(work.resolve("xdg"));
    }

    /** After the containers are gone and before the work directory is removed (a subclass's own processes). */
    void beforeRemovingWork() throws Exception {
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (Files.isDirectory(xdg.resolve("jruntime"))) {
                for (String id : jr("list", "-q").stdout().split("\n")) {
                    if (!id.isBlank()) {
                        jr("delete", "--force", id.trim());
                    }
                }
            }
        } finally {
            try {
                beforeRemovingWork();
            } finally {
                ContainerTestBase.deleteTree(work);
            }
        }
    }

    /** Runs the user's jruntime with XDG_RUNTIME_DIR and USER set, no --root. */
    Jruntime.Result jr(String... args) {
        return jrEnv(xdg, RootlessUser.NAME, args);
    }

    Jruntime.Result jrEnv(Path xdgDir, String userVar, String... args) {
        List<String> cmd = new ArrayList<>(user.as(xdgDir, userVar));
        // these tests are about the own-JVM path; in a user namespace bin/jruntime would otherwise start the
        // per-user daemon (PodmanRootlessDaemonIT tests that)
        cmd.add("JRUNTIME_DAEMON=0");
        cmd.addAll(launcherCommand());
        cmd.addAll(List.of(args));
        return Jruntime.exec(cmd, work, 60);
    }

    /** How the user starts jruntime (a subclass may wrap it, e.g. in nsenter). */
    List<String> launcherCommand() {
        return List.of(launcher.toString());
    }

    /** The spec command that makes a test bundle's config.json. */
    List<String> specCommand(Path bundleDir) {
        return List.of("spec", "--rootless", "--bundle", bundleDir.toString());
    }

    /** A bundle made the way a user would: rootfs, then `jruntime spec [--rootless]` as the user, then edits. */
    Path bundle(String name, Consumer<ObjectNode> edit, String... args) throws IOException {
        Path dir = work.resolve(name);
        Bundle.makeRootfs(dir.resolve("rootfs"));
        user.chown(dir);
        jr(specCommand(dir).toArray(String[]::new)).assertOk();
        ObjectNode c = (ObjectNode) Bundle.parse(Files.readString(dir.resolve("config.json")));
        ((ObjectNode) c.get("root")).put("readonly", false);
        ObjectNode p = (ObjectNode) c.get("process");
        p.put("terminal", false);
        ArrayNode a = p.putArray("args");
        for (String s : args) {
            a.add(s);
        }
        edit.accept(c);
        Files.writeString(dir.resolve("config.json"), c.toPrettyString());
        user.chown(dir);
        return dir;
    }

    JsonNode stateFile(String id) throws IOException {
        return Bundle.parse(Files.readString(xdg.resolve("jruntime").resolve(id).resolve("state.json")));
    }

    String status(String id) {
        Jruntime.Result r = jr("state", id);
        return r.exitCode() == 0 ? Bundle.parse(r.stdout()).path("status").asText() : "(" + r.stderr().strip() + ")";
    }

    void awaitStatus(String id, String want) throws InterruptedException {
        String last = "";
        for (int i = 0; i < 250; i++) {
            last = status(id);
            if (last.equals(want)) {
                return;
            }
            Thread.sleep(20);
        }
        fail(id + " did not become " + want + " (last: " + last + ")");
    }
}
