package io.jruntime.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

import java.util.Collection;
import java.util.List;

/**
 * Turns Jackson's exceptions into {@code source:line:column: path: reason}, the reason in JSON terms
 * ("expected an array, found a string") rather than Java types.
 */
final class JsonErrorMessage {

    private JsonErrorMessage() {
    }

    static String of(String sourceName, JsonProcessingException e) {
        StringBuilder message = new StringBuilder(sourceName);
        JsonLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            message.append(':').append(location.getLineNr()).append(':').append(location.getColumnNr());
        }
        message.append(": ");
        if (e instanceof JsonMappingException mapping) {
            String path = jsonPath(mapping.getPath());
            if (!path.isEmpty()) {
                message.append(path).append(": ");
            }
        }
        return message.append(reason(e)).toString();
    }

    private static String reason(JsonProcessingException e) {
        if (e instanceof InvalidNullException) {
            return "null is not allowed here";
        }
        if (e instanceof ValueInstantiationException && e.getCause() != null) {
            return e.getCause().getMessage();
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null
                && mismatch.getProcessor() instanceof JsonParser parser) {
            String expected = expected(mismatch.getTargetType());
            String found = found(parser.currentToken());
            if (!expected.equals(found)) {
                return "expected " + expected + ", found " + found;
            }
        }
        if (e instanceof StreamReadException) {
            return "invalid JSON: " + e.getOriginalMessage();
        }
        return e.getOriginalMessage();
    }

    private static String jsonPath(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                path = new StringBuilder(JsonPath.field(path.toString(), reference.getFieldName()));
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String expected(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (type == Long.class || type == Integer.class || type == long.class || type == int.class) {
            return "an integer";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String found(JsonToken token) {
        if (token == null) {
            return "the end of the input";
        }
        return switch (token) {
            case VALUE_STRING -> "a string";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a decimal number";
            case START_ARRAY -> "an array";
            case START_OBJECT, FIELD_NAME -> "an object";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }
}
