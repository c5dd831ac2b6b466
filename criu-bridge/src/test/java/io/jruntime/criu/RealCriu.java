package io.jruntime.criu;

import io.jruntime.core.sys.Processes;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Finds the CRIU the integration tests run against; they skip (with the reason) only when there is none. */
final class RealCriu {
    private static CriuClient client;
    private static String why;

    private RealCriu() {
    }

    static synchronized CriuClient client() {
        if (client == null && why == null) {
            if (Processes.geteuid() != 0) {
                why = "CRIU tests need root (euid is " + Processes.geteuid() + ")";
            } else {
                try {
                    client = CriuClient.open(System.getProperty("jruntime.criu"));
                } catch (CriuException e) {
                    why = "no usable CRIU >= " + CriuVersion.MINIMUM + ": " + e.getMessage();
                }
            }
        }
        assumeTrue(client != null, () -> "skipping: " + why);
        return client;
    }
}
