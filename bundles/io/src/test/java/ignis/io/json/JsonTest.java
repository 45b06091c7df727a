package ignis.io.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    private static Object parse(String text) throws Json.SyntaxException {
        return Json.parse(text.getBytes(StandardCharsets.UTF_8), 32, Json.Numbers.DOUBLES);
    }

    /** The error as the inference service reports it. */
    private static String error(String text) {
        Json.SyntaxException e = assertThrows(Json.SyntaxException.class, () -> parse(text));
        return "malformed JSON at byte " + e.offset() + ": " + e.getMessage();
    }

    @Test
    void readsEveryKindOfValue() throws Exception {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", List.of(1.0, -0.5, 2.5e-3, 1e10));
        expected.put("b", "x\"\n\u00e9\u20ac");
        expected.put("c", List.of(true, false, Json.NULL));
        expected.put("d", Map.of());
        assertEquals(expected, parse(" {\"a\": [1, -0.5, 2.5E-3, 1e+10], \"b\": \"x\\\"\\n\\u00e9€\", \"c\": [true, false, null], \"d\": {}} "));
    }

    @Test
    void malformedTextIsRefusedWithItsOffset() {
        assertEquals("malformed JSON at byte 0: unexpected end of input, a value expected", error(""));
        assertEquals("malformed JSON at byte 1: unexpected 'N', a value expected", error("[NaN]"));
        assertEquals("malformed JSON at byte 4: unexpected ']', ':' expected", error("{\"a\"]"));
        assertEquals("malformed JSON at byte 6: unexpected ']', ',' or '}' expected", error("{\"a\":1]"));
        assertEquals("malformed JSON at byte 2: unexpected '1', ',' or ']' expected", error("[01]"));
        assertEquals("malformed JSON at byte 3: a digit expected after the decimal point", error("[1.]"));
        assertEquals("malformed JSON at byte 2: unexpected '2' after the end of the JSON value", error("1 2"));
        assertEquals("malformed JSON at byte 9: duplicate key \"a\"", error("{\"a\": 1, \"a\": 2}"));
        assertEquals("malformed JSON at byte 4: unterminated string", error("\"abc"));
        assertTrue(error("[".repeat(100)).contains("nesting deeper than 32 levels"));
        assertTrue(error("\"\\x\"").contains("unknown escape \\x"));
    }

    @Test
    void writesWhatItReads() throws Exception {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("floats", new float[] {0.1f, 1e-7f});
        value.put("ints", new int[] {3, -1});
        value.put("text", "tab\there \"quoted\" \u0001");
        value.put("list", List.of(1L, 2.5, Json.NULL, true));
        String text = Json.write(value);
        assertEquals("{\"floats\":[0.1,1.0E-7],\"ints\":[3,-1],\"text\":\"tab\\there \\\"quoted\\\" \\u0001\",\"list\":[1,2.5,null,true]}", text);
        Map<?, ?> back = (Map<?, ?>) parse(text);
        assertEquals(List.of(0.1, 1e-7), back.get("floats"));
        assertEquals(value.get("text"), back.get("text"));
    }

    @Test
    void numbersJsonCannotHoldAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(Double.NaN)));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new float[] {Float.POSITIVE_INFINITY}));
    }
}
