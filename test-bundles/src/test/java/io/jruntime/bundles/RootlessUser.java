package io.jruntime.bundles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The unprivileged test user and a copy of jruntime it can execute.
 *
 * <p>The user ({@value #NAME}) is created on first use and left in place: {@code useradd --system --create-home}
 * plus {@code NAME:200000:65536} in /etc/subuid and /etc/subgid when it has no range there yet (idempotent).
 * The checkout may live where that user cannot read (CI clones under /root), so {@link #install} copies
 * build/lib/jruntime into a world-readable temporary directory and writes a launcher there with
 * scripts/make-launcher.sh (no AOT cache: it is tied to the jar's path).
 */
public final class RootlessUser {
    public static final String NAME = "jrtest";

    public final int uid;
    public final int gid;
    public final Path home;
    public final long subuidStart;
    public final long subuidCount;
    public final long subgidStart;
    public final long subgidCount;

    private RootlessUser(int uid, int gid, Path home, long[] subuid, long[] subgid) {
        this.uid = uid;
        this.gid = gid;
        this.home = home;
        this.subuidStart = subuid[0];
        this.subuidCount = subuid[1];
        this.subgidStart = subgid[0];
        this.subgidCount = subgid[1];
    }

    /** Creates the user and its subordinate ranges if missing. */
    public static synchronized RootlessUser ensure() throws IOException {
        if (Jruntime.exec(List.of("id", "-u", NAME), null, 10).exitCode() != 0) {
            Jruntime.exec(List.of(Files.isExecutable(Path.of("/usr/sbin/useradd")) ? "/usr/sbin/useradd" : "useradd", "--system", "--create-home", "--shell", "/bin/sh", NAME), null, 30).assertOk();
        }
        for (String f : List.of("/etc/subuid", "/etc/subgid")) {
            Path p = Path.of(f);
            List<String> lines = Files.exists(p) ? Files.readAllLines(p) : List.of();
            if (lines.stream().noneMatch(l -> l.startsWith(NAME + ":"))) {
                Files.writeString(p, NAME + ":200000:65536\n", java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
            }
        }
        int uid = Integer.parseInt(Jruntime.exec(List.of("id", "-u", NAME), null, 10).assertOk().stdout().trim());
        int gid = Integer.parseInt(Jruntime.exec(List.of("id", "-g", NAME), null, 10).assertOk().stdout().trim());
        String home = Jruntime.exec(List.of("getent", "passwd", NAME), null, 10).assertOk().stdout().trim().split(":")[5];
        return new RootlessUser(uid, gid, Path.of(home), range("/etc/subuid"), range("/etc/subgid"));
    }

    private static long[] range(String file) throws IOException {
        for (String l : Files.readAllLines(Path.of(file))) {
            String[] f = l.split(":");
            if (f.length == 3 && f[0].equals(NAME)) {
                return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])};
            }
        }
        throw new IllegalStateException("no " + NAME + " range in " + file);
    }

    /** A world-readable copy of build/lib/jruntime with its own launcher; returns the launcher. */
    public static Path install(Path dir) throws IOException {
        Path checkout = Jruntime.defaultBinary().getParent().getParent();
        Path lib = dir.resolve("lib");
        Path src = checkout.resolve("build/lib/jruntime");
        try (Stream<Path> walk = Files.walk(src)) {
            for (Path p : walk.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith("jruntime") && name.contains(".aot")) { // a cache is valid for its path only
                    continue;
                }
                Path t = lib.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        Jruntime.exec(List.of("chmod", "-R", "a+rX", dir.toString()), null, 10).assertOk();
        Path launcher = dir.resolve("jruntime");
        Jruntime.exec(List.of(checkout.resolve("scripts/make-launcher.sh").toString(), jdk(checkout), lib.toString(),
                launcher.toString()), null, 60).assertOk();
        return launcher;
    }

    /** The JDK `make build` uses (scripts/find-jdk.sh; world-readable under /usr/lib/jvm), else this JVM's. */
    private static String jdk(Path checkout) {
        Jruntime.Result r = Jruntime.exec(List.of(checkout.resolve("scripts/find-jdk.sh").toString()), null, 30);
        return r.exitCode() == 0 && !r.stdout().isBlank() ? r.stdout().trim() : System.getProperty("java.home");
    }

    /** A directory owned by the user (mode 700), made by root. */
    public Path ownedDir(Path p) throws IOException {
        Files.createDirectories(p);
        chown(p);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    public void chown(Path p) {
        Jruntime.exec(List.of("chown", "-R", uid + ":" + gid, p.toString()), null, 30).assertOk();
    }

    /** The command prefix that runs something as the user with a clean environment. */
    public List<String> as(Path xdgRuntimeDir, String user) {
        List<String> c = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--init-groups",
                "env", "-i", "HOME=" + home, "LOGNAME=" + NAME, "PATH=/usr/bin:/bin:/usr/sbin:/sbin"));
        if (user != null) {
            c.add("USER=" + user);
        }
        if (xdgRuntimeDir != null) {
            c.add("XDG_RUNTIME_DIR=" + xdgRuntimeDir);
        }
        return c;
    }
}
