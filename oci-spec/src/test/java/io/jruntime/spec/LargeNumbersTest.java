package io.jruntime.spec;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** uint32 ids, int64 limits and uint64 values (RLIM_INFINITY, seccomp masks) must survive a round trip exactly. */
class LargeNumbersTest {

    private static final String UINT64_MAX = "18446744073709551615";

    @Test
    void uint64MaximumIsKeptAsItsBitPattern() {
        Process process = parseProcess("{\"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"hard\": " + UINT64_MAX
                + ", \"soft\": 9223372036854775808}]}");

        Process.Rlimit rlimit = process.rlimits().getFirst();
        assertEquals(-1L, rlimit.hard());
        assertEquals(Long.MIN_VALUE, rlimit.soft());
        assertTrue(json(process).contains("\"hard\":" + UINT64_MAX + ",\"soft\":9223372036854775808"), json(process));
    }

    @Test
    void seccompArgumentValuesRoundTrip() {
        String arg = "{\"index\":1,\"value\":" + UINT64_MAX + ",\"valueTwo\":18446744073709551614,"
                + "\"op\":\"SCMP_CMP_MASKED_EQ\"}";

        Seccomp.Arg parsed = SpecIO.parse(arg.getBytes(StandardCharsets.UTF_8), "arg", Seccomp.Arg.class);

        assertEquals(-1L, parsed.value());
        assertEquals(-2L, parsed.valueTwo());
        assertEquals(arg, json(parsed));
    }

    @Test
    void uint32IdsAndInt64LimitsRoundTrip() {
        String spec = "{\"process\":{\"user\":{\"uid\":4294967295,\"gid\":4294967295,\"additionalGids\":[4294967295]}},"
                + "\"linux\":{\"resources\":{\"memory\":{\"limit\":9223372036854775807,\"swap\":-1}}}}";

        Spec parsed = SpecIO.parse(spec.getBytes(StandardCharsets.UTF_8), "config.json");

        assertEquals(4294967295L, parsed.process().user().uid());
        assertEquals(Long.MAX_VALUE, parsed.linux().resources().memory().limit());
        assertEquals(spec, json(parsed));
    }

    @Test
    void uint64AboveMaximumIsRejected() {
        SpecException e = assertThrows(SpecException.class,
                () -> parseProcess("{\"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"hard\": 18446744073709551616}]}"));

        assertTrue(e.getMessage().contains("rlimits[0].hard: value 18446744073709551616 is out of range for an"
                + " unsigned 64-bit integer (0 to " + UINT64_MAX + ")"), e.getMessage());
    }

    @Test
    void negativeUint64IsRejected() {
        SpecException e = assertThrows(SpecException.class,
                () -> parseProcess("{\"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"hard\": -1}]}"));

        assertTrue(e.getMessage().contains("rlimits[0].hard: value -1 is out of range"), e.getMessage());
    }

    @Test
    void int64OverflowIsRejected() {
        SpecException e = assertThrows(SpecException.class, () -> SpecIO.parse(
                "{\"linux\":{\"resources\":{\"memory\":{\"limit\":9223372036854775808}}}}".getBytes(), "c"));

        assertTrue(e.getMessage().contains("linux.resources.memory.limit: Numeric value (9223372036854775808) out"
                + " of range of long"), e.getMessage());
    }

    @Test
    void uint32OutOfRangeIsAValidationError() {
        Process process = parseProcess("{\"args\":[\"sh\"],\"cwd\":\"/\",\"user\":{\"uid\":4294967296,\"gid\":-1}}");

        assertEquals(List.of(
                new Violation("user.uid", "4294967296 is out of range for a uid; it must be between 0 and 4294967295"),
                new Violation("user.gid", "-1 is out of range for a gid; it must be between 0 and 4294967295")),
                SpecValidator.validateProcess(process, ""));
    }

    private static Process parseProcess(String json) {
        return SpecIO.parse(json.getBytes(StandardCharsets.UTF_8), "process.json", Process.class);
    }

    private static String json(Object value) {
        return new String(SpecIO.toJson(value), StandardCharsets.UTF_8);
    }
}
