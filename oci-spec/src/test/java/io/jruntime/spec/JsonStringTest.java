package io.jruntime.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonStringTest {
    @Test
    void escapesAsGoEncodingJson() {
        // Go: json.Marshal("a\"b\\c\nd\re\tf\x01<>&\u2028") (checked with go1.20, the version runc 1.1.5 is built with)
        assertEquals("\"a\\\"b\\\\c\\nd\\re\\tf\\u0001\\u003c\\u003e\\u0026\\u2028\"",
                JsonString.quote("a\"b\\c\nd\re\tf\u0001<>&\u2028"));
    }

    @Test
    void plainLeavesHtmlCharactersAlone() {
        assertEquals("\"<a & b>\\u0007\"", JsonString.quotePlain("<a & b>\u0007"));
        assertEquals("x=\"/\"", JsonString.appendPlain(new StringBuilder("x="), "/").toString());
    }

    @Test
    void surrogatePairsKeptAndLoneSurrogatesReplaced() {
        assertEquals("\"\uD83D\uDE00\"", JsonString.quote("\uD83D\uDE00"));
        assertEquals("\"\\ufffdx\\ufffd\"", JsonString.quote("\uDE00x\uD83D"));
    }

    @Test
    void jacksonReadsBackWhatWasWritten() throws Exception {
        String s = "id \"q\" \\ \u0000\u001f <&> \u2029 \u00e9\uD83D\uDE00";
        assertEquals(s, new ObjectMapper().readValue(JsonString.quote(s), String.class));
        assertEquals(s, new ObjectMapper().readValue(JsonString.quotePlain(s), String.class));
    }
}
