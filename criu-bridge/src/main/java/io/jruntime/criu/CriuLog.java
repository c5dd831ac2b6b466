package io.jruntime.criu;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reading CRIU's log after a failure and turning what it says into advice. CRIU logs lines like
 * {@code (00.012345) Error (criu/cr-restore.c:1234): Can't fork for 42: File exists}; level-1 messages are the
 * errors, so we pick lines that start with "Error" or contain "Error (" and keep the last few.
 */
public final class CriuLog {
    /** How much of the end of a log we read: enough for the error lines of any failure, bounded for huge logs. */
    static final int TAIL_BYTES = 256 * 1024;
    static final int MAX_ERROR_LINES = 8;

    private CriuLog() {
    }

    /** The last (at most {@code max}) error lines of the log, oldest first; empty when the log is missing. */
    public static List<String> errorLines(Path log, int max) {
        List<String> out = new ArrayList<>();
        if (log == null || !Files.isRegularFile(log)) {
            return out;
        }
        for (String line : tail(log, TAIL_BYTES).split("\n")) {
            String l = line.strip();
            if (isError(l)) {
                out.add(l);
            }
        }
        return out.size() <= max ? out : new ArrayList<>(out.subList(out.size() - max, out.size()));
    }

    /**
     * The one error to put in a message's first line: the last specific error of the log (CRIU ends a failure with a
     * generic "Dumping FAILED." / "Restoring FAILED." and its cr_errmsg is the <em>first</em> error, which is often a
     * harmless one such as an rlimit warning), without CRIU's timestamp and source location; CRIU's cr_errmsg when
     * the log has none.
     */
    static String headline(List<String> errors, String crErrmsg) {
        for (int i = errors.size() - 1; i >= 0; i--) {
            String e = message(errors.get(i));
            if (!e.endsWith("FAILED.") && !e.endsWith("FAILED") && !e.isEmpty()) {
                return e;
            }
        }
        if (crErrmsg != null && !crErrmsg.isBlank()) {
            return message(crErrmsg.strip());
        }
        return errors.isEmpty() ? null : message(errors.getLast());
    }

    /** "(00.048122) Error (criu/cr-restore.c:1237): Can't fork for 22770: File exists" to "Can't fork ...". */
    static String message(String line) {
        String s = line.replaceFirst("^\\(\\s*[0-9.]+\\)\\s*", "");
        s = s.replaceFirst("^Error\\s*(\\([^)]*\\))?:\\s*", "");
        return s.strip();
    }

    static boolean isError(String line) {
        String stripped = line.replaceFirst("^\\(\\s*[0-9.]+\\)\\s*", "");
        return stripped.startsWith("Error") || line.contains("Error (");
    }

    /** The last maxBytes of a file as text, starting at a line boundary. */
    static String tail(Path file, int maxBytes) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long len = f.length();
            long start = Math.max(0, len - maxBytes);
            byte[] buf = new byte[(int) (len - start)];
            f.seek(start);
            f.readFully(buf);
            String s = new String(buf, StandardCharsets.UTF_8);
            if (start > 0) {
                int nl = s.indexOf('\n');
                s = nl >= 0 ? s.substring(nl + 1) : s;
            }
            return s;
        } catch (IOException e) {
            return "";
        }
    }

    /** The message CRIU itself reports for a pre-dump on kernels without soft-dirty tracking is unhelpful; ours: */
    public static final String NO_MEM_TRACK = "--pre-dump needs memory dirty tracking (soft-dirty), which this kernel "
            + "does not offer: criu check --feature mem_dirty_track fails";
    public static final String NO_MEM_TRACK_FOR_TRACK_MEM = "--track-mem needs memory dirty tracking (soft-dirty), "
            + "which this kernel does not offer: criu check --feature mem_dirty_track fails";
    public static final String NO_LAZY_PAGES = "--lazy-pages needs non-cooperative userfaultfd, which this kernel "
            + "does not offer (or /dev/userfaultfd / vm.unprivileged_userfaultfd forbids it): "
            + "criu check --feature uffd-noncoop fails";

    /**
     * A lazy dump whose page server dies at the first page request: CRIU up to 4.2.1 cannot size its tee pipe above
     * fs.pipe-max-size without CAP_SYS_RESOURCE and then splices into a never-opened sink (scripts/criu-patches/0001).
     */
    public static final String LAZY_PAGE_SERVER_PIPE = "CRIU's lazy page server failed to set up its pipe (known CRIU "
            + "<= 4.2.1 bug when root lacks CAP_SYS_RESOURCE: the pipe cannot grow above /proc/sys/fs/pipe-max-size): "
            + "use the CRIU built by scripts/build-criu.sh (it carries jruntime's fix), or raise fs.pipe-max-size to "
            + "4194304";
    /** The restore side of a lazy migration whose page server went away. */
    public static final String LAZY_PAGE_SERVER_GONE = "the lazy-pages daemon lost its page server (did the lazy "
            + "checkpoint on the source fail? see its log)";

    /**
     * Advice for a failure we recognise from CRIU's error lines, stderr and cr_errno; null when we have none.
     * The text says what to do, in terms of jruntime's checkpoint/restore options.
     */
    public static String hint(String operation, List<String> errors, String stderr, int crErrno) {
        String all = (String.join("\n", errors) + "\n" + (stderr == null ? "" : stderr)).toLowerCase(Locale.ROOT);
        if (all.contains("soft-dirty") || all.contains("dirty track") || all.contains("dirty_track")
                || all.contains("track_mem") || all.contains("memory tracking") || all.contains("tracking memory")) {
            return "pre-dump".equals(operation) ? NO_MEM_TRACK : NO_MEM_TRACK_FOR_TRACK_MEM;
        }
        if (all.contains("page-pipe: splice") && all.contains("bad file descriptor")) {
            return LAZY_PAGE_SERVER_PIPE;
        }
        if (all.contains("failed sending restore finished indication")
                || all.contains("remote side closed connection") || all.contains("page server doesn't answer")) {
            return LAZY_PAGE_SERVER_GONE;
        }
        if (all.contains("userfaultfd") || all.contains("uffd")) {
            return NO_LAZY_PAGES;
        }
        if (all.contains("inventory") || all.contains("(empty-image)") && "restore".equals(operation)) {
            return "the images directory holds no checkpoint (inventory.img is missing or unreadable): was the "
                    + "checkpoint written to another directory, or did it fail?";
        }
        if (all.contains("can't open images dir") || all.contains("can't open images directory")) {
            return "CRIU cannot open the images directory: check that it exists and is a directory";
        }
        if ((all.contains("can't fork for") || all.contains("clone3") || all.contains("set_tid"))
                && (all.contains("file exists") || all.contains("exists"))
                || crErrno == 17 /* EEXIST */ && "restore".equals(operation)) {
            return "a process with one of the checkpointed PIDs already exists: restore needs the original PIDs free "
                    + "(is the checkpointed process still running, e.g. after a --leave-running checkpoint, or not "
                    + "yet reaped?); stop it, or restore into a new PID namespace";
        }
        if (all.contains("connected tcp") || all.contains("tcp-established") || all.contains("tcp connection")) {
            return "the tree has established TCP connections: checkpoint and restore with --tcp-established "
                    + "(or --tcp-close)";
        }
        if (all.contains("ext-unix-sk") || all.contains("external socket") || all.contains("unix socket")
                && all.contains("external")) {
            return "the tree has a unix socket connected to a process outside it: use --ext-unix-sk";
        }
        if (all.contains("file locks") || all.contains("file-locks") || all.contains("flock")) {
            return "the tree holds file locks: use --file-locks";
        }
        if (all.contains("shell-job") || all.contains("shell job") || all.contains("tty") && all.contains("sid")) {
            return "the tree belongs to a session or terminal outside it (a shell job): use --shell-job, or start "
                    + "the process in its own session (setsid)";
        }
        if (all.contains("iptables") || all.contains("nft")) {
            return "CRIU could not lock the network: install iptables (make deps) or use --network-lock nftables";
        }
        if (all.contains("unable to seize") || all.contains("can't seize") || all.contains("seize")) {
            return "CRIU cannot attach to the process: is it traced by a debugger or being checkpointed by "
                    + "another CRIU?";
        }
        if (crErrno == 3 /* ESRCH */ || all.contains("no such process")) {
            return "the process to checkpoint does not exist (any more)";
        }
        if (all.contains("external mount") || all.contains("doesn't have a proper root mount")
                || all.contains("mnt") && all.contains("external")) {
            return "a mount is not visible to CRIU as part of the tree: declare it with an external mount mapping "
                    + "(--ext-mount-map / --external mnt[...])";
        }
        if (crErrno == 56 /* EBADRQC */) {
            return "CRIU rejected the request's options (see the log for which one)";
        }
        return null;
    }
}
