package io.jruntime.core.ops;

import java.util.Objects;

/**
 * {@code run}: everything {@code create} takes, then starts the container and (unless detached) waits for it.
 *
 * @param create      the create part
 * @param detach      {@code --detach/-d}: return once started instead of waiting for the container to exit
 * @param keep        {@code --keep}: do not delete the container after it exits
 * @param noSubreaper {@code --no-subreaper}: do not make jruntime a child subreaper while waiting
 */
public record RunOptions(CreateOptions create, boolean detach, boolean keep, boolean noSubreaper) {
    public RunOptions {
        Objects.requireNonNull(create, "create");
    }

    public String id() {
        return create.id();
    }
}
