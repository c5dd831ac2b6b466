package io.jruntime.spec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A spec document over {@link SpecIO#MAX_DOCUMENT_BYTES} is refused before it is read or parsed. */
class DocumentSizeLimitTest {
    @TempDir
    Path dir;

    @Test
    void anOversizedConfigIsRefusedWithItsSizeAndTheLimit() throws Exception {
        Path config = dir.resolve("config.json");
        try (RandomAccessFile f = new RandomAccessFile(config.toFile(), "rw")) {
            f.setLength(50L * 1024 * 1024); // sparse: nothing is written, and nothing must be read
        }
        SpecException e = assertThrows(SpecException.class, () -> SpecIO.read(config));
        assertEquals(config + " is 52428800 bytes, more than jruntime's limit of 4194304 bytes (4 MiB) for a spec document",
                e.getMessage());
    }

    @Test
    void anOversizedStreamIsRefusedAfterTheLimit() throws Exception {
        Path fifo = dir.resolve("process.json");
        java.lang.Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mk.waitFor());
        Thread writer = Thread.ofPlatform().start(() -> {
            try (var out = Files.newOutputStream(fifo)) {
                out.write(new byte[SpecIO.MAX_DOCUMENT_BYTES + 10]);
            } catch (Exception ignored) {
                // the reader stops at the limit and closes
            }
        });
        SpecException e = assertThrows(SpecException.class, () -> SpecIO.read(fifo, Process.class));
        assertEquals(fifo + " is longer than jruntime's limit of 4194304 bytes (4 MiB) for a spec document", e.getMessage());
        writer.join(30_000);
    }

    @Test
    void aDocumentAtTheLimitIsParsed() throws Exception {
        Path p = dir.resolve("process.json");
        String json = "{\"cwd\":\"/\",\"args\":[\"true\"]}";
        Files.writeString(p, json + " ".repeat(SpecIO.MAX_DOCUMENT_BYTES - json.length()));
        assertEquals("/", SpecIO.read(p, Process.class).cwd());
    }
}
