package io.jruntime.cli;

import io.jruntime.cli.text.GoJson;
import io.jruntime.core.FeaturesReport;
import io.jruntime.core.HostFeatures;
import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.ops.SpecOptions;
import io.jruntime.core.sys.Processes;
import io.jruntime.criu.CriuClient;
import io.jruntime.spec.Spec;
import io.jruntime.spec.SpecIO;
import io.jruntime.spec.SpecTemplates;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** {@code spec} and {@code features}: the commands that need the OCI model and Jackson (kept out of Operations). */
final class SpecWriter {
    private SpecWriter() {
    }

    /** Writes bundle/config.json like runc: refuses to overwrite, fails like chdir for a missing bundle. */
    static void write(SpecOptions o) {
        Path bundle = o.bundle();
        if (!Files.isDirectory(bundle)) {
            throw new InvalidArgumentException("chdir " + bundle + ": "
                    + (Files.exists(bundle) ? "not a directory" : "no such file or directory"));
        }
        Path config = bundle.resolve("config.json");
        if (Files.exists(config, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidArgumentException("File config.json exists. Remove it first");
        }
        Spec spec = o.rootless() ? SpecTemplates.rootless(Processes.geteuid(), Processes.getegid()) : SpecTemplates.runcDefault();
        try {
            Files.write(config, SpecIO.toPrettyJson(spec),
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new InvalidArgumentException("File config.json exists. Remove it first");
        } catch (IOException e) {
            throw new JRuntimeException("write " + config + ": " + e.getMessage(), e);
        }
    }

    /** The features document as runc prints it: 4-space indent, trailing newline. */
    static String features(String criuPath) {
        return GoJson.write(FeaturesReport.build(Version.VERSION, HostFeatures.probe(usableCriu(criuPath))), "    ") + "\n";
    }

    /** The version of the CRIU checkpoint/restore would use, if there is one and it is supported; else null. */
    static String usableCriu(String criuPath) {
        try {
            return CriuClient.open(criuPath).version().toString();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
