package io.jruntime.spec;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.math.BigInteger;

/**
 * Marks a {@code Long} that holds an unsigned 64-bit value (a {@code uint64} in the spec), stored as its two's
 * complement bit pattern: {@code 18446744073709551615} (RLIM_INFINITY, or a seccomp mask) is {@code -1L}.
 * That is exactly what setrlimit(2) and seccomp filters take, so callers pass the value through unchanged;
 * compare with {@link Long#compareUnsigned} and print with {@link Long#toUnsignedString(long)}.
 * In JSON the value is written and read as a plain non-negative integer up to 2^64-1.
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@JacksonAnnotationsInside
@JsonSerialize(using = Uint64.Serializer.class)
@JsonDeserialize(using = Uint64.Deserializer.class)
public @interface Uint64 {

    /** Writes the unsigned value. */
    final class Serializer extends StdSerializer<Long> {
        public Serializer() {
            super(Long.class);
        }

        @Override
        public void serialize(Long value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (value >= 0) {
                gen.writeNumber(value);
            } else {
                gen.writeNumber(new BigInteger(Long.toUnsignedString(value)));
            }
        }
    }

    /** Reads 0..2^64-1 and rejects everything else, as Go's encoding/json does for a uint64. */
    final class Deserializer extends StdDeserializer<Long> {
        private static final int UINT64_BITS = 64;

        public Deserializer() {
            super(Long.class);
        }

        @Override
        public Long deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                return (Long) context.handleUnexpectedToken(Long.class, parser);
            }
            BigInteger value = parser.getBigIntegerValue();
            if (value.signum() < 0 || value.bitLength() > UINT64_BITS) {
                throw JsonMappingException.from(parser, "value " + value
                        + " is out of range for an unsigned 64-bit integer (0 to 18446744073709551615)");
            }
            return value.longValue();
        }
    }
}
