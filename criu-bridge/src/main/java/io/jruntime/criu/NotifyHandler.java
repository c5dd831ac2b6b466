package io.jruntime.criu;

import java.util.List;

/**
 * Receives CRIU's notifications (see {@link CriuNotification}) while a dump or restore runs. It is called on the
 * thread that called {@link CriuClient}, in CRIU's order; CRIU is blocked until it returns. Returning normally tells
 * CRIU to go on; throwing makes CRIU abort the operation (it answers notify_success=false) and the operation then
 * fails with a {@link CriuException} of kind CALLBACK whose cause is what the handler threw. Time spent in the
 * handler does not count against the client's timeout.
 */
@FunctionalInterface
public interface NotifyHandler {
    /** Accepts every notification and does nothing; still turns notifications on. */
    NotifyHandler ACCEPT_ALL = n -> {
    };

    void onNotify(CriuNotification notification) throws Exception;

    /**
     * The answer to {@link CriuNotification#QUERY_EXT_FILES}: more external objects (same syntax as
     * {@code DumpRequest.externals}), called right after {@link #onNotify} for that notification.
     */
    default List<String> queryExternalFiles() {
        return List.of();
    }
}
