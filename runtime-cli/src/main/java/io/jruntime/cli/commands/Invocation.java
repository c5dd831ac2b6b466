package io.jruntime.cli.commands;

import io.jruntime.cli.Operations;
import io.jruntime.core.ops.GlobalOptions;

import java.io.InputStream;
import java.nio.file.Path;

/**
 * What a command needs besides its own flags.
 *
 * @param global the parsed global flags
 * @param ops    where the command hands over
 * @param cwd    working directory relative paths are resolved against
 * @param stdin  for {@code update --resources -}
 */
public record Invocation(GlobalOptions global, Operations ops, Path cwd, InputStream stdin) {
}
