package io.jruntime.bundles.engines;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Runs engine commands (podman, ctr, conmon, ...) for the engine tests: explicit environment additions,
 * optional stdin text, a hard time limit after which the whole process tree is killed, and output captured
 * to files so a chatty child can never block on a full pipe.
 */
public final class Cmd {
    private Cmd() {
    }

    /** One finished command. */
    public record Result(List<String> cmd, int exitCode, String stdout, String stderr) {
        public Result ok() {
            if (exitCode != 0) {
                throw new AssertionError(this.toString());
            }
            return this;
        }

        public Result exit(int expected) {
            if (exitCode != expected) {
                throw new AssertionError("expected exit " + expected + ": " + this);
            }
            return this;
        }

        @Override
        public String toString() {
            return String.join(" ", cmd) + "\n  exit " + exitCode + "\n  stdout: " + stdout.strip() + "\n  stderr: " + stderr.strip();
        }
    }

    public static Result run(List<String> cmd, Map<String, String> env, String stdin, int timeoutSeconds) {
        try {
            Path out = Files.createTempFile("engine-out", ".txt");
            Path err = Files.createTempFile("engine-err", ".txt");
            Path in = null;
            try {
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
                if (stdin != null) {
                    in = Files.createTempFile("engine-in", ".txt");
                    Files.writeString(in, stdin);
                    pb.redirectInput(in.toFile());
                } else {
                    pb.redirectInput(new File("/dev/null"));
                }
                pb.environment().putAll(env);
                Process p = pb.start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    killTree(p.toHandle());
                    p.waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError("timed out after " + timeoutSeconds + "s: " + String.join(" ", cmd)
                            + "\nstdout: " + Files.readString(out) + "\nstderr: " + Files.readString(err));
                }
                return new Result(cmd, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
                if (in != null) {
                    Files.deleteIfExists(in);
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Runs cmd under a pseudo-terminal (util-linux `script`), feeding it stdin; output is what the terminal showed. */
    public static Result runInPty(List<String> cmd, Map<String, String> env, String stdin, int timeoutSeconds) {
        List<String> s = List.of("script", "-q", "-e", "-c", shellQuote(cmd), "/dev/null");
        Result r = run(s, env, stdin, timeoutSeconds);
        return new Result(cmd, r.exitCode(), r.stdout(), r.stderr());
    }

    static String shellQuote(List<String> cmd) {
        List<String> q = new ArrayList<>();
        for (String a : cmd) {
            q.add("'" + a.replace("'", "'\\''") + "'");
        }
        return String.join(" ", q);
    }

    /** SIGKILLs a process and all its descendants (children first looked up, then everything killed). */
    public static void killTree(ProcessHandle h) {
        List<ProcessHandle> all = new ArrayList<>(h.descendants().toList());
        all.add(h);
        for (ProcessHandle p : all) {
            p.destroyForcibly();
        }
    }

    /**
     * Polls cond every 50 ms until it holds; fails with what after timeoutMs, but never before 30 s: each poll may be
     * an engine call, which a loaded machine makes take seconds (the class's @Timeout stays the bound of a test).
     */
    public static void await(String what, long timeoutMs, BooleanSupplier cond) {
        timeoutMs = Math.max(timeoutMs, 30_000);
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            if (cond.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
        throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what);
    }

    /** Mount points at or below dir, deepest first. */
    public static List<String> mountsUnder(Path dir) {
        String prefix = dir.toString() + "/";
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            return lines.map(l -> l.split(" ")[4]).filter(mp -> mp.startsWith(prefix) || mp.equals(dir.toString()))
                    .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Lazily unmounts everything below dir, then deletes the tree; returns the mounts that had to be removed. */
    public static List<String> removeTree(Path dir) {
        List<String> mounts = mountsUnder(dir);
        for (String m : mounts) {
            run(List.of("umount", "-l", m), Map.of(), null, 10);
        }
        if (Files.exists(dir)) {
            run(List.of("rm", "-rf", "--one-file-system", dir.toString()), Map.of(), null, 60);
        }
        return mounts;
    }

    /** Pids of processes whose command line contains needle. */
    public static List<ProcessHandle> processesWithArg(String needle) {
        return ProcessHandle.allProcesses().filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(needle)).orElse(false)
                || p.info().commandLine().map(c -> c.contains(needle)).orElse(false)).toList();
    }

    public static boolean exists(String executable) {
        for (String d : List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            if (Files.isExecutable(Path.of(d, executable))) {
                return true;
            }
        }
        return false;
    }
}
