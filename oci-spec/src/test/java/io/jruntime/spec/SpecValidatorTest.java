package io.jruntime.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The validator's entry points, the bundle checks, and configs that look unusual but are valid. */
class SpecValidatorTest {

    @TempDir
    Path bundle;

    @Test
    void checkListsEveryViolationOnItsOwnLine() {
        ObjectNode config = TestJson.set(TestJson.runcDefault(), "/linux/namespaces/2/type", "\"pidd\"");
        TestJson.set(config, "/process/cwd", "\"srv\"");
        Spec spec = TestJson.spec(config);

        SpecException e = assertThrows(SpecException.class, () -> SpecValidator.check(spec));

        assertEquals("process.cwd: \"srv\" is not an absolute path; it must start with \"/\"\n"
                + "linux.namespaces[2].type: unknown namespace type \"pidd\"; expected one of pid, network, mount,"
                + " ipc, uts, user, cgroup, time", e.getMessage());
        assertEquals(2, e.violations().size());
    }

    @Test
    void checkAcceptsAValidConfig() {
        assertDoesNotThrow(() -> SpecValidator.check(SpecTemplates.runcDefault()));
    }

    @Test
    void processOnItsOwnIsReportedWithTheGivenPrefix() {
        Process process = SpecIO.parse("{\"args\": [], \"cwd\": \"/\"}".getBytes(StandardCharsets.UTF_8), "p",
                Process.class);

        assertEquals(List.of(new Violation("args", "must contain at least one entry: the program to run, e.g."
                + " [\"sh\"]")), SpecValidator.validateProcess(process, ""));
        SpecException e = assertThrows(SpecException.class, () -> SpecValidator.checkProcess(process, "process"));
        assertEquals("process.args: must contain at least one entry: the program to run, e.g. [\"sh\"]",
                e.getMessage());
    }

    @Test
    void resourcesOnTheirOwnAreReportedWithTheGivenPrefix() {
        // What `podman update` sends to `update --resources`, with the swap below the limit.
        Resources resources = SpecIO.parse(
                "{\"memory\":{\"limit\":536870912,\"swap\":268435456},\"cpu\":{\"shares\":512}}"
                        .getBytes(StandardCharsets.UTF_8), "resources.json", Resources.class);

        assertEquals(List.of(new Violation("memory.swap", "memory+swap limit 268435456 is below the memory limit"
                        + " 536870912; swap counts memory plus swap, so set it to at least the limit or to -1 for"
                        + " unlimited swap")),
                SpecValidator.validateResources(resources, ""));
        assertThrows(SpecException.class, () -> SpecValidator.checkResources(resources, ""));
    }

    @Test
    void relativeRootIsResolvedAgainstTheBundle() throws IOException {
        Files.createDirectory(bundle.resolve("rootfs"));

        assertEquals(List.of(), SpecValidator.validate(SpecTemplates.runcDefault(), bundle));
    }

    @Test
    void missingRootfsNamesWhereItWasLookedFor() {
        List<Violation> violations = SpecValidator.validate(SpecTemplates.runcDefault(), bundle);

        assertEquals(List.of(new Violation("root.path", "\"rootfs\" (resolved against the bundle to "
                + bundle.resolve("rootfs") + ") does not exist; create the root filesystem there or point root.path"
                + " at it")), violations);
        assertThrows(SpecException.class, () -> SpecValidator.check(SpecTemplates.runcDefault(), bundle));
    }

    @Test
    void rootfsThatIsAFileIsRejected() throws IOException {
        Path file = Files.createFile(bundle.resolve("image.img"));
        ObjectNode config = TestJson.set(TestJson.runcDefault(), "/root/path", "\"" + file + "\"");

        assertEquals(List.of(new Violation("root.path", "\"" + file + "\" is not a directory; root.path must name"
                + " the root filesystem directory")), SpecValidator.validate(TestJson.spec(config), bundle));
    }

    @Test
    void absoluteRootIsUsedAsIs() throws IOException {
        Path rootfs = Files.createDirectory(bundle.resolve("elsewhere"));
        ObjectNode config = TestJson.set(TestJson.runcDefault(), "/root/path", "\"" + rootfs + "\"");

        assertEquals(List.of(), SpecValidator.validate(TestJson.spec(config), Path.of("/nonexistent-bundle")));
    }

    static Stream<Arguments> validEdits() {
        return Stream.of(
                valid("ociVersion of older engines", "/ociVersion", "\"1.0.2-dev\""),
                valid("ociVersion with build metadata", "/ociVersion", "\"1.1.0+build.5\""),
                valid("missing ociVersion (runc 1.1.5 does not check it)", "/ociVersion", null),
                valid("pre-1.0 ociVersion", "/ociVersion", "\"0.9.0\""),
                valid("malformed ociVersion", "/ociVersion", "\"garbage\""),
                valid("no process (a container that only holds namespaces)", "/process", null),
                valid("systemd cgroupsPath with the default slice", "/linux/cgroupsPath", "\":jruntime:abc\""),
                valid("absolute cgroupsPath", "/linux/cgroupsPath", "\"/jruntime/abc\""),
                valid("sysctl spelled with slashes", "/linux/sysctl", "{\"net/ipv4/ip_forward\": \"1\"}"),
                valid("FIFO without device numbers", "/linux/devices", "[{\"path\": \"/run/fifo\", \"type\": \"p\"}]"),
                valid("swap 0 means not set", "/linux/resources/memory", "{\"limit\": 1000000, \"swap\": 0}"),
                valid("unlimited quota and swap", "/linux/resources",
                        "{\"memory\": {\"limit\": 1000000, \"swap\": -1}, \"cpu\": {\"quota\": -1, \"shares\": 0}}"),
                valid("unlimited rlimit", "/process/rlimits/0",
                        "{\"type\": \"RLIMIT_CORE\", \"hard\": 18446744073709551615, \"soft\": 18446744073709551615}"),
                valid("joined user namespace without mappings", "/linux/namespaces/5",
                        "{\"type\": \"user\", \"path\": \"/proc/1/ns/user\"}"),
                valid("empty optional strings mean absent", "/linux/rootfsPropagation", "\"\""),
                valid("empty hostname needs no uts namespace", "/hostname", "\"\"", "/linux/namespaces/3", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validEdits")
    void acceptsValidConfigs(String description, List<String> edits) {
        assertEquals(List.of(), SpecValidator.validate(TestJson.spec(TestJson.runcDefaultWith(edits))));
    }

    /** A description and pairs of JSON pointer and value (null removes) applied to the runc spec output. */
    private static Arguments valid(String description, String... edits) {
        return Arguments.of(description, Arrays.asList(edits));
    }
}
