package io.jruntime.criu.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jruntime.core.FaultInjection;
import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.RuntimeContext;
import io.jruntime.core.Signals;
import io.jruntime.core.lifecycle.ContainerDeleter;
import io.jruntime.core.lifecycle.ContainerKiller;
import io.jruntime.core.lifecycle.ContainerPauser;
import io.jruntime.core.ops.CheckpointOptions;
import io.jruntime.core.state.ContainerState;
import io.jruntime.core.state.ContainerStatus;
import io.jruntime.core.state.StateStore;
import io.jruntime.core.state.StatusResolver;
import io.jruntime.criu.CriuClient;
import io.jruntime.criu.container.ContainerCheckpoint;
import io.jruntime.criu.container.ExternalMounts;
import io.jruntime.spec.Spec;
import io.jruntime.spec.SpecIO;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code jruntime migrate send --to HOST:PORT --token-file F ID}. The order is what makes it safe:
 * <ol>
 * <li>authenticate (both ways) and run the target's preflight while the container still runs: a refusal changes
 * nothing here;</li>
 * <li>freeze the container (the cgroup freezer), dump it with CRIU leaving it in place (frozen), send the images;</li>
 * <li>the target restores and reports {@code running}; we answer {@code commit}; the target answers
 * {@code committed}, and only then is the source removed.</li>
 * </ol>
 * Any failure before {@code commit} is sent thaws the source: it runs on as if nothing happened, and the target
 * removes what it made. A connection lost after {@code commit} and before {@code committed} is the one case
 * nobody can decide alone: the source stays frozen (never two running copies, never none), and the error says how
 * to settle it.
 */
public final class MigrationSender {
    /** Socket timeout: generous, since the target's restore of a large container takes a while. */
    static final int TIMEOUT_MILLIS = 10 * 60 * 1000;

    private MigrationSender() {
    }

    public static int send(RuntimeContext ctx, MigrateOptions o, String criuPath, PrintStream err) {
        MigrationToken token = MigrationToken.read(o.tokenFile());
        StateStore store = ctx.store();
        ContainerState s = store.load(o.id());
        ContainerStatus status = StatusResolver.status(store, s);
        if (status != ContainerStatus.RUNNING && status != ContainerStatus.PAUSED) {
            throw new InvalidArgumentException("container " + o.id() + " is " + status.json() + ": only a running or paused "
                    + "container can be migrated");
        }
        byte[] config;
        try {
            config = Files.readAllBytes(store.dir(o.id()).resolve(StateStore.CONFIG_COPY));
        } catch (IOException e) {
            throw new JRuntimeException("container " + o.id() + " has no saved config.json: " + e.getMessage(), e);
        }
        Spec spec = SpecIO.parse(config, "config.json of " + o.id());
        if (spec.process() != null && Boolean.TRUE.equals(spec.process().terminal())) {
            throw new InvalidArgumentException("container " + o.id() + " has a terminal (process.terminal): migrate does "
                    + "not hand a console over yet; use checkpoint --export and restore --import --console-socket");
        }
        ExternalMounts ext = ExternalMounts.ofContainer(ctx, o.id());
        String criu = CriuClient.open(criuPath).version().toString();

        try (MigrationChannel ch = connect(o.address())) {
            authenticate(ch, token);
            ObjectNode pre = MigrationChannel.message("preflight").put("id", o.id()).put("criu", criu)
                    .put("config", MigrationChannel.b64(config)).put("dryRun", o.dryRun())
                    .put("tcpEstablished", o.tcpEstablished()).put("extUnixSk", o.extUnixSk())
                    .put("shellJob", o.shellJob()).put("fileLocks", o.fileLocks());
            ArrayNode keys = pre.putArray("externals");
            ext.externals().keySet().forEach(keys::add);
            ArrayNode masked = pre.putArray("masked");
            ext.masked().forEach(masked::add);
            ch.send(pre);
            JsonNode result = ch.expect("preflight-result");
            if (result.path("problems").size() > 0) {
                StringBuilder b = new StringBuilder("the target refused the migration (container " + o.id()
                        + " was not frozen and keeps running):");
                result.path("problems").forEach(p -> b.append("\n  ").append(p.asText()));
                throw new JRuntimeException(b.toString());
            }
            if (o.dryRun()) {
                err.println("jruntime migrate: preflight passed: " + ch.peer() + " can take container " + o.id());
                return 0;
            }
            return transfer(ctx, o, criuPath, ch, status == ContainerStatus.PAUSED, err);
        } catch (IOException e) {
            throw new JRuntimeException("migrate " + o.id() + " to " + o.address() + ": " + e.getMessage()
                    + " (container " + o.id() + " was not frozen and keeps running)", e);
        }
    }

    /** From the freeze to the end: the source is thawed on any failure before commit. */
    private static int transfer(RuntimeContext ctx, MigrateOptions o, String criuPath, MigrationChannel ch,
                                boolean wasPaused, PrintStream err) {
        Path stage = LocalFiles.privateDir(o.stagingRoot(), "jruntime-migrate-out-");
        Path images = stage.resolve("images");
        boolean commitSent = false;
        long frozenAt = System.nanoTime();
        try {
            if (!wasPaused) {
                ContainerPauser.pause(ctx, o.id());
            }
            frozenAt = System.nanoTime();
            ContainerCheckpoint.checkpoint(ctx, new CheckpointOptions(o.id(), images, images, null, true,
                    o.tcpEstablished(), o.extUnixSk(), o.shellJob(), false, -1, null, o.fileLocks(), false, null,
                    List.of(), false), criuPath);
            long dumped = System.nanoTime();
            long bytes = sendImages(ch, images);
            ch.send(MigrationChannel.message("images-done"));
            err.printf("jruntime migrate: dumped in %d ms, sent %d bytes of images in %d ms%n",
                    (dumped - frozenAt) / 1_000_000, bytes, (System.nanoTime() - dumped) / 1_000_000);
            JsonNode running = ch.expect("running");
            FaultInjection.point("migrate.send.before-commit");
            commitSent = true;
            ch.send(MigrationChannel.message("commit"));
            ch.expect("committed");
            err.printf("jruntime migrate: container %s runs on %s as %s (frozen here for %d ms)%n", o.id(), ch.peer(),
                    running.path("id").asText(), (System.nanoTime() - frozenAt) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            if (commitSent) {
                throw new JRuntimeException("migrate " + o.id() + ": the connection to " + o.address()
                        + " failed after commit was sent (" + e.getMessage() + "): the target may or may not run the "
                        + "container. Container " + o.id() + " is left frozen here, so it never runs twice: if the target "
                        + "runs it, `jruntime delete --force " + o.id() + "`; otherwise `jruntime resume " + o.id() + "`. "
                        + "Its images are in " + images, e);
            }
            String note = rollBack(ctx, o.id(), wasPaused, e);
            LocalFiles.deleteQuietly(stage, e);
            throw new JRuntimeException("migrate " + o.id() + " to " + o.address() + " failed: " + e.getMessage()
                    + "; " + note, e);
        }
        if (o.keepSource()) {
            ContainerKiller.kill(ctx, o.id(), Signals.SIGKILL, true);
            err.println("jruntime migrate: source container " + o.id() + " stopped and kept; its images are in " + images);
        } else {
            ContainerDeleter.delete(ctx, o.id(), true);
            LocalFiles.deleteTree(stage);
        }
        return 0;
    }

    /** Thaws the source (unless it was paused before we came); says in which state the container is now. */
    private static String rollBack(RuntimeContext ctx, String id, boolean wasPaused, Throwable cause) {
        try {
            if (!wasPaused && ctx.store().exists(id)
                    && StatusResolver.status(ctx.store(), ctx.store().load(id)) == ContainerStatus.PAUSED) {
                ContainerPauser.resume(ctx, id);
            }
            ContainerStatus now = StatusResolver.status(ctx.store(), ctx.store().load(id));
            return "container " + id + " is " + now.json() + " on this host again";
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            return "container " + id + " could not be resumed: " + e.getMessage();
        }
    }

    private static long sendImages(MigrationChannel ch, Path images) throws IOException {
        long total = 0;
        List<Path> files;
        try (Stream<Path> l = Files.list(images)) {
            files = l.sorted().toList();
        }
        for (Path f : files) {
            if (!Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("image directory " + images + " holds " + f.getFileName() + ", not a regular file");
            }
            long size = Files.size(f);
            try (InputStream in = Files.newInputStream(f)) {
                ch.sendFile(f.getFileName().toString(), size, in);
            }
            total += size;
        }
        return total;
    }

    private static MigrationChannel connect(String address) throws IOException {
        InetSocketAddress a = MigrationReceiver.parseAddress("--to", address);
        Socket s = new Socket();
        try {
            s.connect(a, 30_000);
            return new MigrationChannel(s, TIMEOUT_MILLIS);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** We answer the target's challenge, then the target must answer ours: both hold the token. */
    private static void authenticate(MigrationChannel ch, MigrationToken token) throws IOException {
        byte[] theirs = MigrationChannel.unb64(ch.expect("challenge").path("nonce"));
        if (theirs == null || theirs.length != MigrationToken.NONCE_BYTES) {
            throw new IOException("protocol error: bad challenge");
        }
        byte[] ours = MigrationToken.nonce();
        ch.send(MigrationChannel.message("response").put("nonce", MigrationChannel.b64(ours))
                .put("mac", MigrationChannel.b64(token.mac(MigrationReceiver.SENDER_ROLE, theirs, ours))));
        JsonNode ok = ch.expect("accepted");
        if (!token.verify(token.mac(MigrationReceiver.RECEIVER_ROLE, ours, theirs), MigrationChannel.unb64(ok.path("mac")))) {
            throw new IOException("the target did not prove that it holds the token: nothing was sent");
        }
    }
}
