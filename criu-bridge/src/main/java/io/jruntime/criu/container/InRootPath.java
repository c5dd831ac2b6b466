package io.jruntime.criu.container;

import io.jruntime.core.JRuntimeException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Where a path of the container really is: symlinks in the rootfs followed as the kernel follows them inside the
 * container (RESOLVE_IN_ROOT semantics: absolute targets and ".." stay inside the root). Create mounts at the
 * resolved place, and CRIU sees the mount there; checkpoint and restore key external mounts by it, each side resolving
 * in its own rootfs. Only lstat and readlink on the host's rootfs directory: nothing here opens a file.
 */
final class InRootPath {
    private static final int MAX_LINKS = 40;

    private InRootPath() {
    }

    /** The absolute in-container path of {@code path} with every symlink resolved; missing components are kept as given. */
    static String resolve(Path root, String path) {
        Deque<String> todo = new ArrayDeque<>(components(path));
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!done.isEmpty()) {
                    done.remove(done.size() - 1);
                }
                continue;
            }
            Path host = root.resolve(String.join("/", done)).resolve(c);
            if (!Files.isSymbolicLink(host)) {
                done.add(c);
                continue;
            }
            if (++links > MAX_LINKS) {
                throw new JRuntimeException("too many levels of symbolic links resolving " + path + " in " + root);
            }
            String target;
            try {
                target = Files.readSymbolicLink(host).toString();
            } catch (IOException e) {
                throw new JRuntimeException("cannot read the symlink " + host + ": " + e.getMessage(), e);
            }
            if (target.startsWith("/")) {
                done.clear();
            }
            List<String> t = components(target);
            for (int i = t.size() - 1; i >= 0; i--) {
                todo.addFirst(t.get(i));
            }
        }
        return "/" + String.join("/", done);
    }

    private static List<String> components(String p) {
        return Arrays.asList(p.split("/"));
    }
}
