package io.jruntime.core.state;

import io.jruntime.core.ContainerNotFoundException;
import io.jruntime.core.InvalidArgumentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateStoreTest {
    @TempDir
    Path tmp;

    @Test
    void aRootThatIsAFileIsRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("f"), "x");
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> new StateStore(file));
        assertEquals("--root " + file + ": not a directory", e.getMessage());
    }

    @Test
    void idsLongerThanAFileNameDoNotExistAndCannotBeCreated() {
        StateStore store = new StateStore(tmp.resolve("root"));
        String id = "a".repeat(300);
        assertFalse(store.exists(id));
        assertEquals(Optional.empty(), store.find(id));
        assertThrows(ContainerNotFoundException.class, () -> store.lock(id));
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> store.createDir(id));
        assertTrue(e.getMessage().startsWith("invalid container id: 300 characters"), e.getMessage());
        store.createDir("a".repeat(255));
    }

    @Test
    void theLockIsVisibleToReadersThatTakeNone() {
        StateStore store = new StateStore(tmp.resolve("root"));
        store.createDir("c");
        assertFalse(store.lockedElsewhere("c"));
        try (StateStore.Lock lock = store.lock("c")) {
            assertTrue(store.lockedElsewhere("c"));
        }
        assertFalse(store.lockedElsewhere("c"));
        assertFalse(store.lockedElsewhere("gone"));
    }

    @Test
    void aRecordStillCreatingIsCreatingWhileLockedAndStoppedAfter() {
        StateStore store = new StateStore(tmp.resolve("root"));
        store.createDir("c");
        ContainerState s = new ContainerState("1.2.0", "c", 0, 0, "/b", "/b/rootfs", "t", "root", Map.of(), Map.of(),
                Map.of(), false, false, List.of()).asCreating();
        store.save(s);
        assertEquals(List.of("c"), store.ids());
        try (StateStore.Lock lock = store.lock("c")) {
            assertEquals(ContainerStatus.CREATING, StatusResolver.status(store, s));
            assertEquals(ContainerStatus.STOPPED, StatusResolver.statusLocked(store, s));
        }
        assertEquals(ContainerStatus.STOPPED, StatusResolver.status(store, s));
    }
}
