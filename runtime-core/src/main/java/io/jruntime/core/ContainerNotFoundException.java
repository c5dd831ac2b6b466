package io.jruntime.core;

/** The container id names no state directory. Engines match the text "does not exist". */
public final class ContainerNotFoundException extends JRuntimeException {
    public ContainerNotFoundException(String id) {
        super("container \"" + id + "\" does not exist");
    }
}
