package io.jruntime.criu;

/**
 * A page server endpoint: where a dump sends its memory pages (or, with lazy pages, where it serves them from), or
 * where a page server listens. A null address means all addresses (listen) for CRIU.
 */
public record PageServerAddress(String address, int port) {
    public PageServerAddress {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("page server port out of range: " + port);
        }
    }

    @Override
    public String toString() {
        return (address == null ? "*" : address) + ":" + port;
    }
}
