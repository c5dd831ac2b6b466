package io.jruntime.cli;

import io.jruntime.core.JRuntimeException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ps} in table form, as runc does it: run the host's ps(1) with the given arguments (default -ef) and keep
 * the header plus the lines whose PID column is one of the container's pids.
 */
final class PsTable {
    private PsTable() {
    }

    static String filter(List<String> psArgs, List<Integer> pids) {
        List<String> cmd = new ArrayList<>();
        cmd.add(findPs());
        cmd.addAll(psArgs.isEmpty() ? List.of("-ef") : psArgs);
        String output;
        try {
            java.lang.Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new JRuntimeException("ps " + String.join(" ", cmd.subList(1, cmd.size())) + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new JRuntimeException("cannot run ps: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JRuntimeException("ps interrupted");
        }
        String[] lines = output.split("\n");
        if (lines.length == 0) {
            return "";
        }
        int pidCol = List.of(lines[0].trim().split("\\s+")).indexOf("PID");
        if (pidCol < 0) {
            throw new JRuntimeException("couldn't find PID field in ps output");
        }
        StringBuilder sb = new StringBuilder(lines[0]).append('\n');
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].trim().split("\\s+");
            if (f.length > pidCol && f[pidCol].matches("\\d+") && pids.contains(Integer.parseInt(f[pidCol]))) {
                sb.append(lines[i]).append('\n');
            }
        }
        return sb.toString();
    }

    /** Engines may call us without PATH. */
    private static String findPs() {
        for (String p : List.of("/usr/bin/ps", "/bin/ps")) {
            if (new java.io.File(p).canExecute()) {
                return p;
            }
        }
        return "ps";
    }
}
