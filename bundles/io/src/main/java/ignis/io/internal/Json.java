package ignis.io.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subset of JSON that safetensors headers use, read from and written to UTF-8 bytes: objects
 * (kept in file order, duplicate keys rejected), arrays, strings with escapes, integers that fit a
 * {@code long}, and {@code true}/{@code false}/{@code null}. Fractions and exponents are rejected, as
 * is nesting deeper than {@link #MAX_DEPTH}. Values are read as {@link Map}, {@link List},
 * {@link String}, {@link Long}, {@link Boolean} and {@link #NULL}.
 */
public final class Json {

    /** Deepest nesting accepted; safetensors needs 3. */
    public static final int MAX_DEPTH = 64;

    /** The JSON {@code null}. */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** Malformed JSON, at a byte offset counted from the start of the parsed bytes. */
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
    private int pos;

    private Json(byte[] in) {
        this.in = in;
    }

    /** Parses one JSON value that fills {@code bytes}, allowing whitespace (the padding) around it. */
    public static Object parse(byte[] bytes) throws SyntaxException {
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
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels");
        }
        if (pos >= in.length) {
            throw error("unexpected end of JSON, a value expected");
        }
        return switch (in[pos]) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", NULL);
            default -> {
                if (in[pos] == '-' || in[pos] >= '0' && in[pos] <= '9') {
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
            Object value = value(depth + 1);
            if (out.putIfAbsent(key, value) != null) {
                throw new SyntaxException("duplicate key \"" + key + "\"", keyAt);
            }
            skipWhitespace();
            if (peek() == ',') {
                pos++;
            } else if (peek() == '}') {
                pos++;
                return out;
            } else {
                throw error("unexpected " + describe(pos) + ", ',' or '}' expected");
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
            if (peek() == ',') {
                pos++;
            } else if (peek() == ']') {
                pos++;
                return out;
            } else {
                throw error("unexpected " + describe(pos) + ", ',' or ']' expected");
            }
        }
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
            if (pos > runStart) {
                out.append(utf8(runStart, pos));
            }
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
                case 'u' -> {
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
                    out.append((char) c);
                }
                default -> throw new SyntaxException("unknown escape \\" + (char) (e & 0xFF), pos - 1);
            }
        }
    }

    private String utf8(int from, int to) throws SyntaxException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return decoder.decode(ByteBuffer.wrap(in, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            throw new SyntaxException("invalid UTF-8 in a string", from);
        }
    }

    private Long number() throws SyntaxException {
        int start = pos;
        if (in[pos] == '-') {
            pos++;
        }
        int digitsStart = pos;
        while (pos < in.length && in[pos] >= '0' && in[pos] <= '9') {
            pos++;
        }
        if (pos == digitsStart) {
            throw error("a digit expected after '-'");
        }
        if (in[digitsStart] == '0' && pos - digitsStart > 1) {
            throw new SyntaxException("number with a leading zero", start);
        }
        if (pos < in.length && (in[pos] == '.' || in[pos] == 'e' || in[pos] == 'E')) {
            throw new SyntaxException("only integers are expected here, found a fraction or exponent", start);
        }
        String text = new String(in, start, pos - start, StandardCharsets.US_ASCII);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new SyntaxException("integer " + text + " does not fit in 64 bits", start);
        }
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
            return "end of JSON";
        }
        int b = in[at] & 0xFF;
        return b >= 0x20 && b < 0x7F ? "'" + (char) b + "'" : "byte 0x" + Integer.toHexString(b);
    }

    private SyntaxException error(String message) {
        return new SyntaxException(message, pos);
    }

    // ---- writing ------------------------------------------------------------------------------

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
