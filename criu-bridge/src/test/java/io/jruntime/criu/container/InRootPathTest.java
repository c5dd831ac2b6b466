package io.jruntime.criu.container;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class InRootPathTest {
    @TempDir
    Path root;

    @Test
    void absoluteLinksStayInTheRoot() throws Exception {
        Files.createDirectories(root.resolve("real/conf"));
        Files.createSymbolicLink(root.resolve("conf"), Path.of("/real/conf"));
        assertEquals("/real/conf", InRootPath.resolve(root, "/conf"));
        assertEquals("/real/conf/x", InRootPath.resolve(root, "/conf/x"));
    }

    @Test
    void dotDotCannotLeaveTheRootAndRelativeLinksResolveFromTheirDirectory() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.createSymbolicLink(root.resolve("etc/resolv.conf"), Path.of("../../../run/stub.conf"));
        assertEquals("/run/stub.conf", InRootPath.resolve(root, "/etc/resolv.conf"));
        assertEquals("/plain/dir", InRootPath.resolve(root, "/plain/./dir/"));
    }

    @Test
    void criuConfigPrecedence() throws Exception {
        Path def = Files.writeString(root.resolve("default.conf"), "tcp-established\n");
        Path missing = root.resolve("missing.conf");
        assertEquals(Path.of("/x/c.conf"), CriuConfigFile.of(Map.of(CriuConfigFile.ANNOTATION, "/x/c.conf"), List.of(def)));
        assertNull(CriuConfigFile.of(Map.of(CriuConfigFile.ANNOTATION, ""), List.of(def)), "an empty annotation means none");
        assertEquals(def, CriuConfigFile.of(Map.of(), List.of(missing, def)));
        assertNull(CriuConfigFile.of(null, List.of(missing)));
    }

    @Test
    void mergedConfigPutsTheContainersLinesLast() throws Exception {
        Path own = Files.writeString(root.resolve("own.conf"), "log-file=/tmp/x.log\n");
        Path m = CriuConfigFile.merged(root.resolve("w/m.conf"), List.of("cgroup-yard /sys/fs"), own);
        List<String> lines = Files.readAllLines(m);
        assertEquals("cgroup-yard /sys/fs", lines.get(0));
        assertEquals(List.of("cgroup-yard /sys/fs", "# from " + own, "log-file=/tmp/x.log", ""), lines);
    }
}
