package ignis.bench.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void readsEveryKindOfValue() {
        Object value = Json.parse(" {\"a\": [1, -2.5e3, true, false, null], \"b\\n\\u00e9\": {}, \"c\": [], \"d\": \"x\\\"y\"} ");
        Map<?, ?> map = (Map<?, ?>) value;
        assertEquals(Arrays.asList(1.0, -2500.0, true, false, null), map.get("a"));
        assertEquals(Map.of(), map.get("b\né"));
        assertEquals(List.of(), map.get("c"));
        assertEquals("x\"y", map.get("d"));
        assertTrue(((Double) Json.parse("NaN")).isNaN());
        assertEquals(Double.NEGATIVE_INFINITY, Json.parse("-Infinity"));
        assertNull(Json.parse("null"));
    }

    @Test
    void rejectsWhatIsNotJson() {
        for (String bad : new String[] {"", "{", "[1,", "{\"a\" 1}", "\"open", "1 2", "{1: 2}", "tru", "\"\\q\""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("JSON at offset "), e.getMessage());
        }
    }

    @Test
    void writesNumbersWithSixSignificantDigitsAndNullForNone() {
        assertEquals("12.3457", Json.number(12.345678));
        assertEquals("0.00123457", Json.number(0.00123456789));
        assertEquals("1234570", Json.number(1234567.0));
        assertEquals("2", Json.number(2.0));
        assertEquals("null", Json.number(Double.NaN));
        assertEquals("null", Json.number(Optional.empty()));
        assertEquals("\"a\\\"b\\\\c\\n\"", Json.string("a\"b\\c\n"));
        assertEquals(12.3457, Json.parse(Json.number(12.345678)));
    }
}
