package io.jruntime.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads and writes the spec documents (config.json, process.json, state, features, resources).
 * Parsing is as strict as Go's encoding/json is for runc (no type coercion, no fractional integers, nothing after
 * the document); fields the model does not know are kept. Errors are {@link SpecException}s naming the source,
 * the line and column, the JSON path and the reason.
 */
public final class SpecIO {

    private static final String CONFIG_JSON = "config.json";

    private SpecIO() {
    }

    /** Reads a bundle's config.json (or any file holding a {@link Spec}). */
    public static Spec read(Path configJson) {
        return read(configJson, Spec.class);
    }

    /** Reads a file holding one spec document, e.g. a {@link Process} for {@code exec --process}. */
    public static <T> T read(Path file, Class<T> type) {
        return parse(readBytes(file), file.toString(), type);
    }

    public static Spec parse(byte[] json, String sourceName) {
        return parse(json, sourceName, Spec.class);
    }

    /**
     * Parses one document of the given type.
     *
     * @param sourceName names the input in error messages (a path, "stdin", ...)
     */
    public static <T> T parse(byte[] json, String sourceName, Class<T> type) {
        if (isBlank(json)) {
            throw new SpecException(sourceName + ": is empty; expected a JSON object");
        }
        // A well-formed document of a known type is read by the streaming SpecReader; databind reads whatever it
        // leaves (unknown fields, errors), so the error messages below are databind's in every case.
        T value = SpecReader.tryRead(json, type);
        if (value != null) {
            return value;
        }
        try {
            value = mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new SpecException(JsonErrorMessage.of(sourceName, e), e);
        } catch (IOException e) {
            throw new SpecException(sourceName + ": " + e.getMessage(), e);
        }
        if (value == null) {
            throw new SpecException(sourceName + ": expected a JSON object, found null");
        }
        return value;
    }

    private static boolean isBlank(byte[] json) {
        for (byte b : json) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** Compact JSON, absent fields omitted. */
    public static byte[] toJson(Object value) {
        return write(mapper().writer(), value);
    }

    /** JSON indented with tabs and without a trailing newline, byte for byte the layout {@code runc spec} writes. */
    public static byte[] toPrettyJson(Object value) {
        return write(Holder.PRETTY_WRITER, value);
    }

    /** The shared, configured mapper; use it for documents not covered above, never reconfigure it. */
    public static ObjectMapper mapper() {
        return Holder.MAPPER;
    }

    /**
     * The largest spec document jruntime reads (config.json, exec's process JSON, ...): 4 MiB, a hundred times a
     * large real config. Checked before anything is parsed, in the daemon as in a JVM of its own, so a huge
     * document is refused with a message instead of exhausting a heap (the daemon runs with 64 MB).
     */
    public static final int MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;

    private static byte[] readBytes(Path file) {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            // a regular file's size tells at once; a pipe (/dev/fd/N) is read up to one byte past the limit
            long size = Files.isRegularFile(file) ? Files.size(file) : 0;
            byte[] data = size > MAX_DOCUMENT_BYTES ? null : in.readNBytes(MAX_DOCUMENT_BYTES + 1);
            if (data == null || data.length > MAX_DOCUMENT_BYTES) {
                throw new SpecException(file + " is " + (data == null ? size + " bytes, more" : "longer")
                        + " than jruntime's limit of " + MAX_DOCUMENT_BYTES + " bytes (4 MiB) for a spec document");
            }
            return data;
        } catch (NoSuchFileException e) {
            throw new SpecException(notFoundMessage(file), e);
        } catch (AccessDeniedException e) {
            throw new SpecException("cannot read " + file + ": permission denied", e);
        } catch (IOException e) {
            String reason = Files.isDirectory(file) ? "it is a directory, not a JSON file" : e.getMessage();
            throw new SpecException("cannot read " + file + ": " + reason, e);
        }
    }

    private static String notFoundMessage(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (file.getFileName() != null && CONFIG_JSON.equals(file.getFileName().toString()) && dir != null) {
            return CONFIG_JSON + " not found in bundle " + dir;
        }
        return file + " not found";
    }

    private static byte[] write(ObjectWriter writer, Object value) {
        try {
            return writer.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new SpecException("cannot write " + value.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Built on first use so that commands which never touch JSON do not pay for Jackson's setup. */
    private static final class Holder {
        static final ObjectMapper MAPPER = createMapper();
        static final ObjectWriter PRETTY_WRITER = MAPPER.writer(goStylePrettyPrinter());

        private static ObjectMapper createMapper() {
            ObjectMapper mapper = JsonMapper.builder()
                    .serializationInclusion(JsonInclude.Include.NON_NULL)
                    // Go's encoding/json never converts between JSON types; neither do we.
                    .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                    .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    // Unknown fields keep decimal numbers exactly as written ("1.0" stays "1.0").
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                    // A null inside a list or map is an error at parse time, so the model never holds one.
                    .defaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL))
                    .build();
            mapper.coercionConfigFor(LogicalType.Textual)
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
            return mapper;
        }

        private static DefaultPrettyPrinter goStylePrettyPrinter() {
            // json.MarshalIndent(v, "", "\t"): "key": value, one array element per line, [] and {} when empty.
            Separators separators = Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator("");
            DefaultIndenter tabs = new DefaultIndenter("\t", "\n");
            return new DefaultPrettyPrinter(separators)
                    .withObjectIndenter(tabs)
                    .withArrayIndenter(tabs);
        }
    }
}
