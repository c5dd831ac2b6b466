package io.jruntime.core.lifecycle;

import io.jruntime.core.ContainerStateException;
import io.jruntime.core.state.ContainerStatus;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static io.jruntime.core.state.ContainerStatus.CREATED;
import static io.jruntime.core.state.ContainerStatus.CREATING;
import static io.jruntime.core.state.ContainerStatus.PAUSED;
import static io.jruntime.core.state.ContainerStatus.RUNNING;
import static io.jruntime.core.state.ContainerStatus.STOPPED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The table in {@link Transitions}' javadoc, row by row, and runc's wordings of the refusals. */
class TransitionsTest {
    private static Set<ContainerStatus> allowed(Transitions.Command c) {
        Set<ContainerStatus> out = EnumSet.noneOf(ContainerStatus.class);
        for (ContainerStatus st : ContainerStatus.values()) {
            if (Transitions.allows(st, c)) {
                out.add(st);
            }
        }
        return out;
    }

    @Test
    void theTable() {
        assertEquals(EnumSet.of(CREATED), allowed(Transitions.Command.START));
        assertEquals(EnumSet.of(CREATED, RUNNING, PAUSED), allowed(Transitions.Command.KILL));
        assertEquals(EnumSet.allOf(ContainerStatus.class), allowed(Transitions.Command.KILL_ALL));
        assertEquals(EnumSet.of(CREATED, RUNNING), allowed(Transitions.Command.EXEC));
        assertEquals(EnumSet.of(CREATED, RUNNING, PAUSED), allowed(Transitions.Command.EXEC_IGNORE_PAUSED));
        assertEquals(EnumSet.of(CREATED, RUNNING), allowed(Transitions.Command.PAUSE));
        assertEquals(EnumSet.of(PAUSED), allowed(Transitions.Command.RESUME));
        assertEquals(EnumSet.of(CREATED, RUNNING, PAUSED), allowed(Transitions.Command.UPDATE));
        assertEquals(EnumSet.of(RUNNING, PAUSED), allowed(Transitions.Command.CHECKPOINT));
        assertEquals(EnumSet.of(CREATED, STOPPED), allowed(Transitions.Command.DELETE));
        assertEquals(EnumSet.allOf(ContainerStatus.class), allowed(Transitions.Command.DELETE_FORCE));
    }

    @Test
    void refusalsUseRuncsWords() {
        assertEquals("cannot start a container that has stopped",
                assertThrows(ContainerStateException.class, () -> Transitions.require(STOPPED, Transitions.Command.START, "c")).getMessage());
        assertEquals("cannot start an already running container",
                Transitions.refusal(RUNNING, Transitions.Command.START, "c"));
        assertEquals("cannot start a container in status creating", Transitions.refusal(CREATING, Transitions.Command.START, "c"));
        assertEquals("container not running", Transitions.refusal(STOPPED, Transitions.Command.KILL, "c"));
        assertEquals("cannot delete container c that is not stopped: running",
                Transitions.refusal(RUNNING, Transitions.Command.DELETE, "c"));
        assertEquals("cannot exec in a paused container (use --ignore-paused to override)",
                Transitions.refusal(PAUSED, Transitions.Command.EXEC, "c"));
    }
}
