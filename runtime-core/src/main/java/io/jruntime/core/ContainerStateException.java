package io.jruntime.core;

/** The operation does not fit the container's current status (e.g. deleting a running container). */
public final class ContainerStateException extends JRuntimeException {
    public ContainerStateException(String message) {
        super(message);
    }
}
