package ignis.io.json;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON read from and written to UTF-8, for safetensors headers and the inference service. Reading takes
 * bytes to {@link Map} (in document order, duplicate keys rejected), {@link List}, {@link String},
 * numbers, {@link Boolean} and {@link #NULL}, nested at most as deep as the caller allows; the size is
 * bounded by the caller. Numbers are all {@link Double}s, or, for a reader that wants
 * {@linkplain Numbers#INTEGERS integers}, {@link Long}s with fractions and exponents refused. Writing
 * takes the same types, and also {@code float[]}, {@code int[]} and other {@link Number}s.
 */
public final class Json {

    /** How numbers are read. */
    public enum Numbers {
        /** Every number as a {@link Double}. */
        DOUBLES,
        /** Integers that fit a {@code long}, as {@link Long}; a fraction or exponent is malformed. */
        INTEGERS
    }

    /** The JSON {@code null}. */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** Text that is not JSON, with the byte offset (from the start of the bytes parsed) where it stops being JSON. */
    public static final class SyntaxException extends Exception {
        private final long offset;

        SyntaxException(String message, long offset) {
            super(message);
            this.offset = offset;
        }

        public long offset() {
            return offset;
        }
    }

    private final byte[] in;
    private final int maxDepth;
    private final Numbers numbers;
    private int pos;

    private Json(byte[] in, int maxDepth, Numbers numbers) {
        this.in = in;
        this.maxDepth = maxDepth;
        this.numbers = numbers;
    }

    /**
     * Reads the one JSON value that {@code bytes} hold, with whitespace around it.
     *
     * @param maxDepth the deepest nesting accepted (a batch of 28x28 images needs 4, a safetensors header 3)
     */
    public static Object parse(byte[] bytes, int maxDepth, Numbers numbers) throws SyntaxException {
        Json p = new Json(bytes, maxDepth, numbers);
        p.skipWhitespace();
        Object value = p.value(0);
        p.skipWhitespace();
        if (p.pos != bytes.length) {
            throw p.error("unexpected " + p.describe(p.pos) + " after the end of the JSON value");
        }
        return value;
    }

    private Object value(int depth) throws SyntaxException {
        if (depth >= maxDepth) {
            throw error("nesting deeper than " + maxDepth + " levels");
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
    private Object number() throws SyntaxException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (digits() == 0) {
            throw error("a digit expected after '-'");
        }
        if (numbers == Numbers.INTEGERS) {
            return integer(start);
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

    private Long integer(int start) throws SyntaxException {
        if (peek() == '.' || peek() == 'e' || peek() == 'E') {
            throw new SyntaxException("only integers are expected here, found a fraction or exponent", start);
        }
        String text = new String(in, start, pos - start, StandardCharsets.US_ASCII);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new SyntaxException("integer " + text + " does not fit in 64 bits", start);
        }
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
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case String s -> writeString(out, s);
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
                    writeString(out.append(first ? "" : ","), e.getKey().toString());
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

    /**
     * Appends {@code value} as a JSON string: quotes, backslashes and control characters escaped,
     * everything else as UTF-8 (as serde_json writes it).
     *
     * @throws IllegalArgumentException if the string holds an unpaired surrogate, which UTF-8 cannot encode
     */
    public static StringBuilder writeString(StringBuilder out, String value) {
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        if (!encoder.canEncode(CharBuffer.wrap(value))) {
            throw new IllegalArgumentException("string \"" + value + "\" holds an unpaired surrogate and has no UTF-8 form");
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    /** Appends {@code [v0,v1,...]}. */
    public static StringBuilder writeLongs(StringBuilder out, long... values) {
        out.append('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(values[i]);
        }
        return out.append(']');
    }
}
