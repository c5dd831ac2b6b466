package io.jruntime.criu;

/**
 * One "action script" notification CRIU sends during dump or restore (only when a {@link NotifyHandler} is given,
 * which turns on CRIU's notify_scripts). CRIU waits for our answer before it goes on.
 *
 * @param script the stage, one of the constants below
 * @param pid    the restored root task's pid for {@link #SETUP_NAMESPACES} and {@link #POST_RESTORE}, else 0
 * @param fd     an fd CRIU passed along (SCM_RIGHTS), else -1: the pty master for {@link #ORPHAN_PTS_MASTER}.
 *               It is valid only during the callback and closed afterwards; dup it (or send it on) to keep it.
 */
public record CriuNotification(String script, int pid, int fd) {
    public static final String PRE_DUMP = "pre-dump";
    public static final String POST_DUMP = "post-dump";
    public static final String PRE_RESTORE = "pre-restore";
    public static final String POST_RESTORE = "post-restore";
    public static final String NETWORK_LOCK = "network-lock";
    public static final String NETWORK_UNLOCK = "network-unlock";
    public static final String SETUP_NAMESPACES = "setup-namespaces";
    public static final String POST_SETUP_NAMESPACES = "post-setup-namespaces";
    public static final String PRE_RESUME = "pre-resume";
    public static final String POST_RESUME = "post-resume";
    public static final String PRE_STREAM = "pre-stream";
    public static final String STATUS_READY = "status-ready";
    public static final String ORPHAN_PTS_MASTER = "orphan-pts-master";
    /** Asks for more external objects; answered with {@link NotifyHandler#queryExternalFiles()}. */
    public static final String QUERY_EXT_FILES = "query-ext-files";

    public boolean hasFd() {
        return fd >= 0;
    }
}
