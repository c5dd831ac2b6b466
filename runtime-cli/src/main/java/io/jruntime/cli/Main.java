package io.jruntime.cli;

/** Entry point of bin/jruntime. Placeholder until the CLI surface lands. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("jruntime version 0.1.0");
    }
}
