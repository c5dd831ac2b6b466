package io.jruntime.bundles.engines;

import io.jruntime.bundles.DefaultSocketDaemon;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every PodmanCheckpointIT test again, with `jruntime daemon` serving Podman's checkpoint and lifecycle calls. */
@ExtendWith(DefaultSocketDaemon.class)
class PodmanCheckpointDaemonIT extends PodmanCheckpointIT {
}
