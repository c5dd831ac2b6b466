package io.jruntime.criu.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jruntime.core.FaultInjection;
import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.RuntimeContext;
import io.jruntime.core.lifecycle.BundleConfig;
import io.jruntime.core.lifecycle.ContainerDeleter;
import io.jruntime.core.ops.RestoreOptions;
import io.jruntime.core.state.ContainerId;
import io.jruntime.core.state.ContainerState;
import io.jruntime.core.sys.Caller;
import io.jruntime.criu.CriuClient;
import io.jruntime.criu.CriuVersion;
import io.jruntime.criu.container.ExternalMounts;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code jruntime migrate receive --listen HOST:PORT --bundle DIR --token-file F NEW_ID}: waits for one migration,
 * checks (preflight) that this host can take the container, receives the images, restores them as NEW_ID and
 * reports it running; the container stays only if the source then commits. Whatever fails, everything this made
 * is removed (the container, the staged images, a config.json it wrote into the bundle) before it exits non-zero.
 */
public final class MigrationReceiver {
    static final String SENDER_ROLE = "jruntime-migrate send";
    static final String RECEIVER_ROLE = "jruntime-migrate receive";

    private MigrationReceiver() {
    }

    public static int receive(RuntimeContext ctx, MigrateOptions o, String criuPath, PrintStream out, PrintStream err,
                              Caller caller) {
        ContainerId.check(o.id());
        MigrationToken token = MigrationToken.read(o.tokenFile());
        if (ctx.store().exists(o.id())) {
            throw new InvalidArgumentException("container " + o.id() + " already exists here");
        }
        if (o.bundle() == null) {
            throw new InvalidArgumentException("migrate receive needs --bundle DIR (the rootfs, and config.json if it has one, of this host)");
        }
        InetSocketAddress listen = parseAddress("--listen", o.address());
        try (ServerSocket server = new ServerSocket()) {
            server.bind(listen, 1);
            out.println("listening on " + hostPort(server.getInetAddress(), server.getLocalPort()));
            out.flush();
            Socket s = server.accept();
            server.close(); // one migration per receive
            try (MigrationChannel ch = new MigrationChannel(s, MigrationSender.TIMEOUT_MILLIS)) {
                if (!authenticate(ch, token)) {
                    throw new JRuntimeException("migrate receive: " + ch.peer() + " does not hold the token: refused");
                }
                return afterAuth(ctx, o, criuPath, ch, out, err, caller);
            }
        } catch (IOException e) {
            throw new JRuntimeException("migrate receive " + o.id() + ": " + e.getMessage(), e);
        }
    }

    private static int afterAuth(RuntimeContext ctx, MigrateOptions o, String criuPath, MigrationChannel ch,
                                 PrintStream out, PrintStream err, Caller caller) throws IOException {
        JsonNode pre = ch.expect("preflight");
        Path bundle = o.bundle().toAbsolutePath().normalize();
        // One name per id: what a receiver killed mid-transfer left is removed by the next receive of that id.
        Path stage = o.stagingRoot().resolve("jruntime-migrate-in-" + o.id());
        LocalFiles.deleteTree(stage);
        LocalFiles.createPrivateDir(stage);
        boolean wroteConfig = false;
        boolean restored = false;
        try {
            byte[] config = MigrationChannel.unb64(pre.path("config"));
            wroteConfig = TargetBundle.provideConfig(bundle, config);
            List<String> problems = preflight(ctx, o, criuPath, pre, bundle, stage);
            ObjectNode result = MigrationChannel.message("preflight-result");
            problems.forEach(result.putArray("problems")::add);
            if (problems.isEmpty()) {
                result.putArray("problems");
            }
            ch.send(result);
            if (!problems.isEmpty()) {
                throw new JRuntimeException("migrate receive " + o.id() + ": refused (nothing was frozen on the source):\n  "
                        + String.join("\n  ", problems));
            }
            if (pre.path("dryRun").asBoolean()) {
                out.println("dry run: preflight passed");
                cleanUp(stage, wroteConfig ? bundle.resolve("config.json") : null, null);
                return 0;
            }
            Path images = stage.resolve("images");
            Files.createDirectories(images);
            long bytes = receiveImages(ch, images);
            err.printf("jruntime migrate: received %d bytes of images%n", bytes);
            RestoreOptions r = new RestoreOptions(o.id(), bundle, null, images, stage.resolve("work"),
                    pre.path("tcpEstablished").asBoolean(), pre.path("extUnixSk").asBoolean(),
                    pre.path("shellJob").asBoolean(), pre.path("fileLocks").asBoolean(), null, true, null, false, false,
                    false, List.of(), false, false, null, null);
            ContainerState state;
            try {
                state = CheckpointArchive.restoreStaged(ctx, r, images, o.mounts(), stage.resolve("work"), criuPath, null,
                        caller);
            } catch (RuntimeException e) {
                ch.send(MigrationChannel.message("failed").put("reason", "restore on the target failed: " + e.getMessage()));
                throw e;
            }
            restored = true;
            ch.send(MigrationChannel.message("running").put("id", o.id()).put("pid", state.initPid()));
            FaultInjection.point("migrate.receive.before-commit");
            ch.expect("commit");
            ch.send(MigrationChannel.message("committed"));
            out.println("running as " + o.id() + " (pid " + state.initPid() + ")");
            cleanUp(stage, null, null);
            return 0;
        } catch (IOException | RuntimeException e) {
            if (restored) {
                try {
                    ContainerDeleter.delete(ctx, o.id(), true);
                } catch (RuntimeException d) {
                    e.addSuppressed(d);
                }
            }
            try {
                cleanUp(stage, wroteConfig ? bundle.resolve("config.json") : null, e);
            } catch (RuntimeException c) {
                e.addSuppressed(c);
            }
            if (e instanceof JRuntimeException je) {
                throw je;
            }
            throw new JRuntimeException("migrate receive " + o.id() + ": " + e.getMessage()
                    + (restored ? " (the source did not commit: the restored container was removed; the source keeps it)"
                    : "; everything received was removed"), e);
        }
    }

    private static List<String> preflight(RuntimeContext ctx, MigrateOptions o, String criuPath, JsonNode pre,
                                          Path bundle, Path stage) {
        List<String> problems = new ArrayList<>();
        if (ctx.store().exists(o.id())) {
            problems.add("container " + o.id() + " already exists on the target");
        }
        try {
            CriuVersion here = CriuClient.open(criuPath).version();
            CriuVersion there = CriuVersion.parse(pre.path("criu").asText());
            if (!here.atLeast(there)) {
                problems.add("CRIU on the target is " + here + ", older than the source's " + there);
            }
        } catch (RuntimeException e) {
            problems.add("CRIU on the target: " + e.getMessage());
        }
        try {
            BundleConfig bc = TargetBundle.load(ctx, bundle, o.mounts(), stage.resolve("work"));
            Map<String, String> keys = new LinkedHashMap<>();
            pre.path("externals").forEach(k -> keys.put(k.asText(), ""));
            List<String> masked = new ArrayList<>();
            pre.path("masked").forEach(k -> masked.add(k.asText()));
            problems.addAll(new ExternalMounts(keys, masked).problemsOn(bc));
        } catch (RuntimeException e) {
            problems.add(e.getMessage());
        }
        return problems;
    }

    private static long receiveImages(MigrationChannel ch, Path images) throws IOException {
        long total = 0;
        int files = 0;
        while (true) {
            JsonNode m = ch.receive();
            String type = m.path("type").asText();
            if (type.equals("images-done")) {
                return total;
            }
            if (!type.equals("file")) {
                throw new IOException("protocol error: expected file or images-done, got " + type);
            }
            String name = m.path("name").asText();
            long size = m.path("size").asLong(-1);
            if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..") || size < 0) {
                throw new IOException("protocol error: bad file " + name + " (" + size + " bytes)");
            }
            try (OutputStream f = Files.newOutputStream(images.resolve(name), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                ch.receiveBytes(size, f);
            }
            total += size;
            if (++files == 2) {
                FaultInjection.point("migrate.receive.mid-transfer");
            }
        }
    }

    private static void cleanUp(Path stage, Path wroteConfig, Throwable into) {
        if (into == null) {
            LocalFiles.deleteTree(stage);
            if (wroteConfig != null) {
                LocalFiles.deleteTree(wroteConfig);
            }
            return;
        }
        LocalFiles.deleteQuietly(stage, into);
        if (wroteConfig != null) {
            LocalFiles.deleteQuietly(wroteConfig, into);
        }
    }

    /** Challenge the sender, check its answer, then answer its nonce in turn. */
    private static boolean authenticate(MigrationChannel ch, MigrationToken token) throws IOException {
        byte[] ours = MigrationToken.nonce();
        ch.send(MigrationChannel.message("challenge").put("nonce", MigrationChannel.b64(ours)));
        JsonNode r = ch.expect("response");
        byte[] theirs = MigrationChannel.unb64(r.path("nonce"));
        if (theirs == null || theirs.length != MigrationToken.NONCE_BYTES
                || !token.verify(token.mac(SENDER_ROLE, ours, theirs), MigrationChannel.unb64(r.path("mac")))) {
            ch.send(MigrationChannel.message("refused").put("reason", "authentication failed: the target holds another token"));
            return false;
        }
        ch.send(MigrationChannel.message("accepted").put("mac", MigrationChannel.b64(token.mac(RECEIVER_ROLE, theirs, ours))));
        return true;
    }

    static InetSocketAddress parseAddress(String flag, String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0) {
            throw new InvalidArgumentException(flag + " " + value + ": expected ADDRESS:PORT");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException(flag + " " + value + ": port is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new InvalidArgumentException(flag + " " + value + ": port out of range");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (IOException e) {
            throw new InvalidArgumentException(flag + " " + value + ": " + e.getMessage());
        }
    }

    private static String hostPort(InetAddress a, int port) {
        String h = a.getHostAddress();
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
    }
}
