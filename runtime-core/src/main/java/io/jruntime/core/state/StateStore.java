package io.jruntime.core.state;

import io.jruntime.core.ContainerNotFoundException;
import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.sys.Fds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The state root ({@code --root}, default /run/jruntime): one directory per container holding state.json,
 * the exec fifo and a copy of config.json. Writes go to a temp file and are renamed into place, so a
 * reader sees the old or the new state, never half of one. {@link #lock} serializes commands on one id with
 * flock(2) on the container directory itself, so nothing is left behind when the directory is removed.
 */
public final class StateStore {
    public static final String STATE_FILE = "state.json";
    public static final String EXEC_FIFO = "exec.fifo";
    public static final String CONFIG_COPY = "config.json";

    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    /** Made on first use: a command that finds no state file (or only lists ids) never starts Jackson (~20 ms). */
    private final Path root;

    public StateStore(Path root) {
        if (!root.isAbsolute()) {
            root = root.toAbsolutePath();
        }
        this.root = root.normalize();
        // A root that exists as something else would make every id look absent (list: empty, delete -f: done);
        // runc fails on it too ("mkdir /etc/passwd: not a directory").
        if (!Files.isDirectory(this.root) && Files.exists(this.root)) {
            throw new InvalidArgumentException("--root " + this.root + ": not a directory");
        }
    }

    public Path root() {
        return root;
    }

    public Path dir(String id) {
        return root.resolve(ContainerId.check(id));
    }

    public boolean exists(String id) {
        return Files.isRegularFile(dir(id).resolve(STATE_FILE));
    }

    /**
     * Creates the container directory; fails if the id is taken. The caller removes it again on any failure.
     * The root and every container directory are created 0700 (runc: 0700 root): config.json's copy holds
     * process.env, which often carries secrets, so no other local user may even list them.
     */
    public Path createDir(String id) {
        Path d = dir(id);
        if (!ContainerId.storable(id)) {
            throw new InvalidArgumentException("invalid container id: " + id.length() + " characters, longer than the "
                    + ContainerId.MAX_STORABLE + " a directory name under the state root (and a cgroup name) can have");
        }
        try {
            Files.createDirectories(root, PRIVATE_DIR);
            Files.createDirectory(d, PRIVATE_DIR);
            return d;
        } catch (FileAlreadyExistsException e) {
            throw new InvalidArgumentException("container with id \"" + id + "\" already exists");
        } catch (IOException e) {
            throw new JRuntimeException("cannot create state directory " + d + ": " + e.getMessage(), e);
        }
    }

    public ContainerState load(String id) {
        return find(id).orElseThrow(() -> new ContainerNotFoundException(id));
    }

    public Optional<ContainerState> find(String id) {
        if (!ContainerId.storable(id)) {
            return Optional.empty();
        }
        Path f = dir(id).resolve(STATE_FILE);
        try {
            return Optional.of(StateCodec.decode(Files.readAllBytes(f)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            throw new JRuntimeException("cannot read state of container \"" + id + "\" from " + f + ": " + e.getMessage(), e);
        }
    }

    public void save(ContainerState state) {
        Path d = dir(state.id());
        Path tmp = d.resolve(".state.json.tmp");
        try {
            writePrivate(tmp, StateCodec.encode(state));
            try {
                Files.move(tmp, d.resolve(STATE_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new JRuntimeException("state root " + root + " does not support atomic rename", e);
            }
        } catch (IOException e) {
            throw new JRuntimeException("cannot write state of container \"" + state.id() + "\": " + e.getMessage(), e);
        }
    }

    /**
     * Writes a file 0600 from its creation on (open(2) with that mode, never a chmod afterwards), replacing
     * whatever was there: a stale file of a crashed command keeps its mode under O_CREAT, so it is removed first.
     */
    public static void writePrivate(Path file, byte[] content) throws IOException {
        Files.deleteIfExists(file);
        try (SeekableByteChannel ch = Files.newByteChannel(file, Set.<OpenOption>of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), PRIVATE_FILE)) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
    }

    /** Copies config.json into the container directory as a private (0600) file, whatever the source's mode. */
    public void saveConfigCopy(String id, Path config) throws IOException {
        writePrivate(dir(id).resolve(CONFIG_COPY), Files.readAllBytes(config));
    }

    /** Every id with a state file, sorted, skipping directories that are mid-creation or being removed. */
    public List<String> ids() {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                if (Files.isRegularFile(p.resolve(STATE_FILE))) {
                    out.add(p.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /** Removes the container directory and all in it. Missing is fine. */
    public void remove(String id) {
        Path d = dir(id);
        if (!Files.exists(d)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(d)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new JRuntimeException("cannot remove state directory " + d + ": " + e.getMessage(), e);
        }
    }

    /**
     * Takes an exclusive flock on the container directory until the returned lock is closed. Commands that
     * change a container hold it for their whole run, so two engines calling on one id serialize.
     */
    public Lock lock(String id) {
        Path d = dir(id);
        if (!ContainerId.storable(id)) {
            throw new ContainerNotFoundException(id);
        }
        int fd;
        try {
            fd = Fds.open(d.toString(), Fds.O_RDONLY | Fds.O_DIRECTORY | Fds.O_CLOEXEC, 0);
        } catch (JRuntimeException e) {
            if (!Files.exists(d)) {
                throw new ContainerNotFoundException(id);
            }
            throw e;
        }
        try {
            Fds.flock(fd, Fds.LOCK_EX, d.toString());
        } catch (RuntimeException e) {
            Fds.close(fd);
            throw e;
        }
        return new Lock(fd);
    }

    /**
     * True while another process (or another open of it in this one) holds the container's lock: how a reader that
     * takes no lock tells a create in progress from one whose creator died (the kernel drops a dead process's flock).
     * False when the directory is gone.
     */
    public boolean lockedElsewhere(String id) {
        Path d = dir(id);
        int fd;
        try {
            fd = Fds.open(d.toString(), Fds.O_RDONLY | Fds.O_DIRECTORY | Fds.O_CLOEXEC, 0);
        } catch (JRuntimeException e) {
            return false;
        }
        try {
            return !Fds.flock(fd, Fds.LOCK_SH | Fds.LOCK_NB, d.toString());
        } finally {
            Fds.close(fd);
        }
    }

    /** An flock held on a state directory. */
    public static final class Lock implements AutoCloseable {
        private int fd;

        private Lock(int fd) {
            this.fd = fd;
        }

        @Override
        public void close() {
            if (fd >= 0) {
                Fds.close(fd);
                fd = -1;
            }
        }
    }
}
