package io.jruntime.core.init;

import io.jruntime.core.InvalidArgumentException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InitProtocolTest {
    @Test
    void aRecordTooBigForOnePacketNamesItsFieldAndTheLimit() {
        PlanRecord env = PlanRecord.text(InitProtocol.ENV, List.of("PATH=/bin", "BIG=" + "x".repeat(1 << 20)));
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> InitProtocol.checkSize(env));
        assertTrue(e.getMessage().startsWith("process.env: 1048590 bytes, more than the 262140 bytes"), e.getMessage());
        InitProtocol.checkSize(PlanRecord.text(InitProtocol.ARGS, List.of("x".repeat(InitProtocol.MAX_PACKET - 4))));
        assertThrows(InvalidArgumentException.class,
                () -> InitProtocol.checkSize(PlanRecord.text(InitProtocol.ARGS, List.of("x".repeat(InitProtocol.MAX_PACKET - 3)))));
    }
}
