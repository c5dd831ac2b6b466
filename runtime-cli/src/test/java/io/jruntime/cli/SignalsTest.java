package io.jruntime.cli;

import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.Signals;
import io.jruntime.core.ops.KillOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kill's signal argument, parsed like runc 1.1.5 (checked against it on this machine). */
class SignalsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({"9,9", "15,15", "KILL,9", "SIGKILL,9", "sigkill,9", "sIgTeRm,15", "TERM,15", "HUP,1", "USR1,10", "USR2,12",
        "CHLD,17", "CONT,18", "STOP,19", "WINCH,28", "SYS,31", "STKFLT,16", "PWR,30", "0,0", "99,99", "09,9", "+9,9", "-9,-9"})
    void parses(String raw, int expected) {
        assertEquals(expected, Signals.parse(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"FOO", "SIGFOO", "IOT", "CLD", "POLL", "RTMIN+1", "SIGRTMIN+3", " 9", "0x9", "", "SIG"})
    void rejectsWhatRuncRejects(String raw) {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> Signals.parse(raw));
        assertEquals("unknown signal \"" + raw + "\"", e.getMessage());
    }

    @Test
    void names() {
        assertEquals("SIGKILL", Signals.name(9));
        assertEquals("SIGTERM", Signals.name(15));
        assertEquals("SIGRTMIN", Signals.name(34));
        assertEquals("SIGRTMIN+1", Signals.name(35));
        assertEquals("SIGRTMAX-1", Signals.name(63));
        assertEquals("SIGRTMAX", Signals.name(64));
        assertNull(Signals.name(0));
        assertNull(Signals.name(65));
    }

    @Test
    void killDefaultsToSigterm() {
        assertEquals(new KillOptions("c", 15, false), CliHarness.recording(tmp).run("kill", "c").options(KillOptions.class));
    }

    @Test
    void killAcceptsNumbersAndNames() {
        assertEquals(9, CliHarness.recording(tmp).run("kill", "c", "9").options(KillOptions.class).signal());
        assertEquals(9, CliHarness.recording(tmp).run("kill", "c", "KILL").options(KillOptions.class).signal());
        assertEquals(9, CliHarness.recording(tmp).run("kill", "c", "SIGKILL").options(KillOptions.class).signal());
    }

    @Test
    void killWithUnknownSignalFails() {
        CliHarness.Result r = CliHarness.recording(tmp).run("kill", "c", "NOPE");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("unknown signal \\\"NOPE\\\""), r.err());
        assertTrue(r.calls().isEmpty());
    }
}
