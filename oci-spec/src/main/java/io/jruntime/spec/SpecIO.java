package io.jruntime.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;

/** STUB (cli branch): JSON in/out for the OCI model. The spec branch provides the real one. */
public final class SpecIO {
    private SpecIO() {
    }

    /** Tab-indented JSON without a trailing newline, the layout runc writes config.json in. */
    public static String toPrettyJson(Object value) {
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter() {
            @Override
            public DefaultPrettyPrinter createInstance() {
                return this;
            }

            @Override
            public void writeObjectFieldValueSeparator(com.fasterxml.jackson.core.JsonGenerator g) throws java.io.IOException {
                g.writeRaw(": ");
            }
        };
        DefaultIndenter tabs = new DefaultIndenter("\t", "\n");
        pp.indentObjectsWith(tabs);
        pp.indentArraysWith(tabs);
        try {
            return new ObjectMapper().writer(pp).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
