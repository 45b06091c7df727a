package ignis.examples.serve;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON the service reads and writes. Reading takes UTF-8 bytes to {@link Map} (in document order,
 * duplicate keys rejected), {@link List}, {@link String}, {@link Double}, {@link Boolean} and
 * {@link #NULL}, nested at most {@link #MAX_DEPTH} deep; the size is bounded by the caller. Writing
 * takes the same types, and also {@code float[]}, {@code int[]} and other {@link Number}s.
 */
final class Json {

    /** Deepest nesting accepted; a batch of 28x28 images needs 4. */
    static final int MAX_DEPTH = 32;

    /** The JSON {@code null}. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** Text that is not JSON, with the byte offset where it stops being JSON. */
    static final class SyntaxException extends Exception {
        SyntaxException(String message, int offset) {
            super("malformed JSON at byte " + offset + ": " + message);
        }
    }

    private final byte[] in;
    private int pos;

    private Json(byte[] in) {
        this.in = in;
    }

    /** Reads the one JSON value that {@code bytes} hold, with whitespace around it. */
    static Object parse(byte[] bytes) throws SyntaxException {
        Json p = new Json(bytes);
        p.skipWhitespace();
        Object value = p.value(0);
        p.skipWhitespace();
        if (p.pos != bytes.length) {
            throw p.error("unexpected " + p.describe(p.pos) + " after the end of the JSON value");
        }
        return value;
    }

    private Object value(int depth) throws SyntaxException {
        if (depth >= MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels");
        }
        return switch (peek()) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", NULL);
            default -> {
                if (peek() == '-' || peek() >= '0' && peek() <= '9') {
                    yield number();
                }
                throw error("unexpected " + describe(pos) + ", a value expected");
            }
        };
    }

    private Map<String, Object> object(int depth) throws SyntaxException {
        pos++;
        Map<String, Object> out = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return out;
        }
        while (true) {
            skipWhitespace();
            int keyAt = pos;
            if (peek() != '"') {
                throw error("unexpected " + describe(pos) + ", a string key expected");
            }
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            if (out.putIfAbsent(key, value(depth + 1)) != null) {
                throw new SyntaxException("duplicate key \"" + key + "\"", keyAt);
            }
            skipWhitespace();
            if (!more('}')) {
                return out;
            }
        }
    }

    private List<Object> array(int depth) throws SyntaxException {
        pos++;
        List<Object> out = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return out;
        }
        while (true) {
            skipWhitespace();
            out.add(value(depth + 1));
            skipWhitespace();
            if (!more(']')) {
                return out;
            }
        }
    }

    /** After an element: true on a comma, false on the closing bracket (both consumed). */
    private boolean more(char close) throws SyntaxException {
        if (peek() == ',') {
            pos++;
            return true;
        }
        if (peek() == close) {
            pos++;
            return false;
        }
        throw error("unexpected " + describe(pos) + ", ',' or '" + close + "' expected");
    }

    private String string() throws SyntaxException {
        pos++;
        StringBuilder out = new StringBuilder();
        while (true) {
            int runStart = pos;
            while (pos < in.length && in[pos] != '"' && in[pos] != '\\') {
                if ((in[pos] & 0xFF) < 0x20) {
                    throw error("control character 0x" + Integer.toHexString(in[pos]) + " in a string");
                }
                pos++;
            }
            out.append(utf8(runStart, pos));
            if (pos >= in.length) {
                throw error("unterminated string");
            }
            if (in[pos++] == '"') {
                return out.toString();
            }
            if (pos >= in.length) {
                throw error("unterminated escape");
            }
            byte e = in[pos++];
            switch (e) {
                case '"' -> out.append('"');
                case '\\' -> out.append('\\');
                case '/' -> out.append('/');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(unicodeEscape());
                default -> throw new SyntaxException("unknown escape \\" + (char) (e & 0xFF), pos - 1);
            }
        }
    }

    private char unicodeEscape() throws SyntaxException {
        if (pos + 4 > in.length) {
            throw error("unterminated \\u escape");
        }
        int c = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(in[pos + i], 16);
            if (d < 0) {
                throw new SyntaxException("bad hex digit " + describe(pos + i) + " in a \\u escape", pos + i);
            }
            c = c << 4 | d;
        }
        pos += 4;
        return (char) c;
    }

    private String utf8(int from, int to) throws SyntaxException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(in, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            throw new SyntaxException("invalid UTF-8 in a string", from);
        }
    }

    /** A number in JSON's grammar: {@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}. */
    private Double number() throws SyntaxException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (digits() == 0) {
            throw error("a digit expected after '-'");
        }
        if (peek() == '.') {
            pos++;
            if (digits() == 0) {
                throw error("a digit expected after the decimal point");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (digits() == 0) {
                throw error("a digit expected in the exponent");
            }
        }
        return Double.parseDouble(new String(in, start, pos - start, StandardCharsets.US_ASCII));
    }

    private int digits() {
        int start = pos;
        while (peek() >= '0' && peek() <= '9') {
            pos++;
        }
        return pos - start;
    }

    private Object literal(String word, Object value) throws SyntaxException {
        for (int i = 0; i < word.length(); i++) {
            if (pos + i >= in.length || in[pos + i] != word.charAt(i)) {
                throw error("unexpected " + describe(pos) + ", a value expected");
            }
        }
        pos += word.length();
        return value;
    }

    private void expect(char c) throws SyntaxException {
        if (peek() != c) {
            throw error("unexpected " + describe(pos) + ", '" + c + "' expected");
        }
        pos++;
    }

    private int peek() {
        return pos < in.length ? in[pos] : -1;
    }

    private void skipWhitespace() {
        while (pos < in.length && (in[pos] == ' ' || in[pos] == '\t' || in[pos] == '\n' || in[pos] == '\r')) {
            pos++;
        }
    }

    private String describe(int at) {
        if (at >= in.length) {
            return "end of input";
        }
        int b = in[at] & 0xFF;
        return b >= 0x20 && b < 0x7F ? "'" + (char) b + "'" : "byte 0x" + Integer.toHexString(b);
    }

    private SyntaxException error(String message) {
        return new SyntaxException(message, pos);
    }

    // ---- writing ------------------------------------------------------------------------------

    /**
     * {@code value} as JSON text.
     *
     * @throws IllegalArgumentException for a number that is not finite, which JSON cannot hold, or a
     *         type it does not know
     */
    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case String s -> string(out, s);
            case Boolean b -> out.append(b);
            case Integer i -> out.append(i);
            case Long l -> out.append(l);
            case Number n -> {
                double d = n.doubleValue();
                if (!Double.isFinite(d)) {
                    throw new IllegalArgumentException("JSON cannot hold the number " + d);
                }
                out.append(n instanceof Float f ? f.toString() : Double.toString(d));
            }
            case float[] floats -> {
                out.append('[');
                for (int i = 0; i < floats.length; i++) {
                    write(out.append(i == 0 ? "" : ","), floats[i]);
                }
                out.append(']');
            }
            case int[] ints -> {
                out.append('[');
                for (int i = 0; i < ints.length; i++) {
                    out.append(i == 0 ? "" : ",").append(ints[i]);
                }
                out.append(']');
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    write(out.append(i == 0 ? "" : ","), list.get(i));
                }
                out.append(']');
            }
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    string(out.append(first ? "" : ","), e.getKey().toString());
                    write(out.append(':'), e.getValue());
                    first = false;
                }
                out.append('}');
            }
            default -> {
                if (value == NULL) {
                    out.append("null");
                } else {
                    throw new IllegalArgumentException("no JSON form for a " + value.getClass().getName());
                }
            }
        }
    }

    private static void string(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
