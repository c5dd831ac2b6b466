package io.jruntime.cli.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Whether every path in a client's command line means in the daemon what it means in the client. The daemon
 * serves only a client with its own mount namespace and root ({@link PeerCheck}), and resolves relative paths
 * against the client's working directory (as the kernel reports it, {@link #cwd}), so a path names the same
 * file in both, except where it goes through a per-process view: /proc/self, /proc/thread-self, and the links
 * into them (/dev/fd/N, /dev/stdin, /proc/net, a symlink of the caller's own to /proc/self/fd/N). Such a path
 * would name the daemon's fd N, or nothing ({@code exec -p <(echo ...)} is /dev/fd/63). A command line with
 * one is declined and runs in the client's own JVM, where it means what the user meant.
 */
final class CallerPaths {
    private static final Path ROOT = Path.of("/");
    private static final List<Path> PER_PROCESS = List.of(Path.of("/proc/self"), Path.of("/proc/thread-self"));
    /** As the kernel's MAXSYMLINKS. */
    private static final int MAX_LINKS = 40;

    private CallerPaths() {
    }

    /** The client's working directory as the kernel reports it (/proc/PID/cwd), "?" when unreadable. */
    static String cwd(int pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + pid + "/cwd")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "?";
        }
    }

    /** Null when no argument (or --flag=value) resolves through a per-process view, else why not served. */
    static String refusal(List<String> args, Path cwd) {
        for (String a : args) {
            String v = a.startsWith("-") && a.indexOf('=') > 0 ? a.substring(a.indexOf('=') + 1) : a;
            if (!v.isEmpty() && perProcess(v, cwd)) {
                return "argument " + a + " names a file through /proc/self (the caller's fds or /proc view); "
                        + "it runs in its own JVM";
            }
        }
        return null;
    }

    /** Whether path, resolved against cwd and following symlinks as the kernel would, passes /proc/self. */
    static boolean perProcess(String path, Path cwd) {
        Path p;
        try {
            p = cwd.resolve(path);
        } catch (InvalidPathException e) {
            return false;
        }
        Deque<String> todo = new ArrayDeque<>();
        push(todo, p);
        Path cur = ROOT;
        int links = 0;
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                cur = cur.getParent() == null ? ROOT : cur.getParent();
                continue;
            }
            Path next = cur.resolve(name);
            if (PER_PROCESS.contains(next)) {
                return true;
            }
            if (!Files.isSymbolicLink(next)) {
                cur = next;
                continue;
            }
            if (++links > MAX_LINKS) {
                return true; // a loop: the kernel fails it with ELOOP; nothing to serve
            }
            Path target;
            try {
                target = Files.readSymbolicLink(next);
            } catch (IOException | UnsupportedOperationException | InvalidPathException e) {
                return false; // gone meanwhile: the command reports the missing file as without the daemon
            }
            if (target.isAbsolute()) {
                cur = ROOT;
            }
            push(todo, target);
        }
        return false;
    }

    /** Puts p's names in front of todo, first name first. */
    private static void push(Deque<String> todo, Path p) {
        for (int i = p.getNameCount() - 1; i >= 0; i--) {
            todo.push(p.getName(i).toString());
        }
    }
}
