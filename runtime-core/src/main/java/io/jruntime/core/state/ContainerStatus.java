package io.jruntime.core.state;

/** The OCI status values, spelled as the state JSON spells them. */
public enum ContainerStatus {
    CREATING, CREATED, RUNNING, PAUSED, STOPPED;

    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
