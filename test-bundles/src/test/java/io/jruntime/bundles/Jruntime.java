package io.jruntime.bundles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs bin/jruntime (or another runc-compatible binary, for side-by-side tests) the way an engine does: as a
 * separate process with its own --root, output captured, bounded in time.
 */
public final class Jruntime {
    /** Result of one invocation. */
    public record Result(int exitCode, String stdout, String stderr) {
        public Result assertOk() {
            if (exitCode != 0) {
                throw new AssertionError("expected exit 0, got " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr);
            }
            return this;
        }
    }

    private final Path binary;
    private final Path root;

    public Jruntime(Path binary, Path root) {
        this.binary = binary;
        this.root = root;
    }

    /** bin/jruntime of the checkout the tests run from (built by `make build`). */
    public static Path defaultBinary() {
        String home = System.getProperty("jruntime.home", System.getProperty("user.dir") + "/..");
        Path p = Path.of(home, "bin", "jruntime").toAbsolutePath().normalize();
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException(p + " is missing: run `make build` before the integration tests");
        }
        return p;
    }

    public Path root() {
        return root;
    }

    public Result run(String... args) {
        return run(null, 60, args);
    }

    /** Runs with the given working directory and timeout; stdin is /dev/null. */
    public Result run(Path cwd, int timeoutSeconds, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.add("--root");
        cmd.add(root.toString());
        cmd.addAll(List.of(args));
        return exec(cmd, cwd, timeoutSeconds);
    }

    /** Runs with the given text on stdin (e.g. {@code update --resources -}). */
    public Result runWithInput(String input, String... args) {
        try {
            Path in = Files.createTempFile("jr-in", ".txt");
            try {
                Files.writeString(in, input);
                List<String> cmd = new ArrayList<>();
                cmd.add(binary.toString());
                cmd.add("--root");
                cmd.add(root.toString());
                cmd.addAll(List.of(args));
                return exec(cmd, null, 60, in);
            } finally {
                Files.deleteIfExists(in);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Starts the binary in the background with stdout and stderr going to the given file (caller destroys it). */
    public Process startBackground(Path output, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.add("--root");
        cmd.add(root.toString());
        cmd.addAll(List.of(args));
        try {
            return new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(output.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd + ": " + e, e);
        }
    }

    /** The binary with --root and the arguments, as a command line. */
    public List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.add("--root");
        cmd.add(root.toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Starts cmd in the background with fd 3 open for writing on fd3File (truncated), as a --status-fd target, stdin
     * /dev/null and stdout+stderr to output (caller destroys it). ProcessBuilder cannot pass extra fds, so a shell
     * opens it and execs cmd.
     */
    public static Process startWithFd3(List<String> cmd, Path fd3File, Path output) {
        List<String> sh = new ArrayList<>(List.of("/bin/sh", "-c", "exec \"$@\" 3>\"$FD3_FILE\"", "sh"));
        sh.addAll(cmd);
        ProcessBuilder pb = new ProcessBuilder(sh).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(output.toFile()).redirectErrorStream(true);
        pb.environment().put("FD3_FILE", fd3File.toString());
        try {
            return pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd + ": " + e, e);
        }
    }

    /**
     * Runs with stdin, stdout and stderr all /dev/null, as a detached container's stdio must be for CRIU (a host
     * file as stdio cannot be checkpointed); the result carries only the exit code.
     */
    public Result runWithNullStdio(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.add("--root");
        cmd.add(root.toString());
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + cmd);
            }
            return new Result(p.exitValue(), "", "");
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public static Result exec(List<String> cmd, Path cwd, int timeoutSeconds) {
        return exec(cmd, cwd, timeoutSeconds, null);
    }

    static Result exec(List<String> cmd, Path cwd, int timeoutSeconds, Path stdin) {
        return exec(cmd, cwd, timeoutSeconds, stdin, java.util.Map.of());
    }

    /** As {@link #exec(List, Path, int, Path)} with extra environment variables. */
    static Result exec(List<String> cmd, Path cwd, int timeoutSeconds, Path stdin, java.util.Map<String, String> env) {
        try {
            Path out = Files.createTempFile("jr-out", ".txt");
            Path err = Files.createTempFile("jr-err", ".txt");
            try {
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(
                                stdin == null ? new java.io.File("/dev/null") : stdin.toFile()))
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                if (cwd != null) {
                    pb.directory(cwd.toFile());
                }
                pb.environment().putAll(env);
                Process p = pb.start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor();
                    throw new AssertionError("timed out after " + timeoutSeconds + "s: " + cmd + "\nstdout: "
                            + Files.readString(out) + "\nstderr: " + Files.readString(err));
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
