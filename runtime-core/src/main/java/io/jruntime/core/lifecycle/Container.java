package io.jruntime.core.lifecycle;

import io.jruntime.core.cgroups.Cgroup;
import io.jruntime.core.state.ContainerState;
import io.jruntime.core.state.ContainerStatus;
import io.jruntime.core.state.StateStore;
import io.jruntime.core.state.StatusResolver;

/**
 * A container held for a command that changes it: its lock taken, its record loaded, its status derived while the
 * lock is held, and the command checked against {@link Transitions}. Closing releases the lock.
 *
 * <pre>
 * try (Container c = Container.lock(store, id).require(Transitions.Command.PAUSE)) { c.cgroup().freeze(); }
 * </pre>
 */
public final class Container implements AutoCloseable {
    private final StateStore store;
    private final StateStore.Lock lock;
    private final ContainerState state;

    private Container(StateStore store, StateStore.Lock lock, ContainerState state) {
        this.store = store;
        this.lock = lock;
        this.state = state;
    }

    /** Locks the container and loads its record; fails with "does not exist" as runc does. */
    public static Container lock(StateStore store, String id) {
        StateStore.Lock lock = store.lock(id);
        try {
            return new Container(store, lock, store.load(id));
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Throws the command's refusal unless the container's status allows it; returns this for chaining. */
    public Container require(Transitions.Command command) {
        try {
            Transitions.require(status(), command, state.id());
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public ContainerState state() {
        return state;
    }

    public StateStore store() {
        return store;
    }

    /** The status now (the lock is ours: a record still "creating" has a dead creator, so it is stopped). */
    public ContainerStatus status() {
        return StatusResolver.statusLocked(store, state);
    }

    /** The container's cgroups, or null when it has none (rootless without cgroup access). */
    public Cgroup cgroup() {
        return state.cgroupPaths().isEmpty() ? null : Cgroup.fromPaths(state.cgroupPaths());
    }

    @Override
    public void close() {
        lock.close();
    }
}
