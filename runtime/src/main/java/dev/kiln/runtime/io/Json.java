package dev.kiln.runtime.io;

/**
 * A small strict pull reader of JSON for the subset a safetensors header uses: objects, arrays,
 * strings with every JSON escape, and integers that fit in 64 bits. Fractions, exponents,
 * {@code true}, {@code false} and {@code null} are rejected because a header never holds them. The
 * caller reads the values it expects in order ({@link #beginObject}, {@link #nextName},
 * {@link #nextLong}...), so the reader keeps no tree, needs no recursion however deep a file nests
 * (a value of the wrong kind is an error where it starts), and holds only what the caller keeps.
 * Errors are {@link IllegalArgumentException}s naming the character offset and what was expected.
 */
final class Json {
    private final CharSequence text;
    private int at;
    /** For each open object or array, whether its next member is its first. */
    private final java.util.BitSet first = new java.util.BitSet();
    private int depth;

    /** A reader of {@code text}: a String, or {@link #ascii} bytes read in place. */
    Json(CharSequence text) {
        this.text = text;
        skipWhiteSpace();
    }

    /** What the next value is: {@code '{'}, {@code '['}, {@code '"'} or {@code '0'} for a number; an error otherwise. */
    char peek() {
        if (at >= text.length()) {
            throw error("expected a value");
        }
        char c = text.charAt(at);
        if (c == '{' || c == '[' || c == '"') {
            return c;
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return '0';
        }
        throw error("expected an object, array, string or integer");
    }

    /** The kind of the next value for a message ({@code an object}...), reading a number to check it. */
    String describeNext() {
        return switch (peek()) {
            case '{' -> "an object";
            case '[' -> "an array";
            case '"' -> "a string";
            default -> {
                nextLong();
                yield "a number";
            }
        };
    }

    void beginObject() {
        expect('{');
        open();
    }

    void beginArray() {
        expect('[');
        open();
    }

    private void open() {
        skipWhiteSpace();
        first.set(depth++);
    }

    /**
     * Whether the open object or array has another member; consumes the comma before it, or the
     * closing bracket after the last.
     */
    boolean hasNext(char close) {
        skipWhiteSpace();
        boolean isFirst = first.get(depth - 1);
        if (peekChar(close)) {
            at++;
            depth--;
            skipWhiteSpace();
            return false;
        }
        if (!isFirst) {
            if (!peekChar(',')) {
                throw error("expected ',' or '" + close + "'");
            }
            at++;
            skipWhiteSpace();
        }
        first.clear(depth - 1);
        return true;
    }

    /** Reads a member name and the colon after it. */
    String nextName() {
        if (!peekChar('"')) {
            throw error("expected a member name in double quotes");
        }
        String name = nextString();
        expect(':');
        skipWhiteSpace();
        return name;
    }

    /** Where the reader is, for {@link #errorAt}. */
    int position() {
        return at;
    }

    /** Checks that only white space follows the top-level value. */
    void end() {
        skipWhiteSpace();
        if (at < text.length()) {
            throw error("expected the end of the document");
        }
    }

    /** The JSON string literal of {@code s}, quotes included. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
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
        return out.append('"').toString();
    }

    /**
     * Whether the next string is exactly {@code plain} (which has no characters to escape); if so,
     * reads it and the white space after it without allocating, else leaves the reader where it was.
     */
    boolean nextStringIs(String plain) {
        int end = at + 1 + plain.length();
        if (peekChar('"') && end < text.length() && text.charAt(end) == '"' && startsWith(plain, at + 1)) {
            at = end + 1;
            skipWhiteSpace();
            return true;
        }
        return false;
    }

    /** Whether the next member name is exactly {@code plain}; if so, reads it and the colon after it. */
    boolean nextNameIs(String plain) {
        if (nextStringIs(plain)) {
            expect(':');
            skipWhiteSpace();
            return true;
        }
        return false;
    }

    /** Reads a string and the white space after it; one without escapes is a substring of the text. */
    String nextString() {
        if (!peekChar('"')) {
            throw error("expected a string");
        }
        int plainEnd = at + 1;
        while (plainEnd < text.length() && text.charAt(plainEnd) != '"' && text.charAt(plainEnd) != '\\' && text.charAt(plainEnd) >= 0x20) {
            plainEnd++;
        }
        if (plainEnd < text.length() && text.charAt(plainEnd) == '"') {
            String plain = text.subSequence(at + 1, plainEnd).toString();
            at = plainEnd + 1;
            skipWhiteSpace();
            return plain;
        }
        StringBuilder out = new StringBuilder();
        at++;
        while (true) {
            if (at >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(at++);
            if (c == '"') {
                skipWhiteSpace();
                return out.toString();
            }
            if (c < 0x20) {
                at--;
                throw error("control character U+" + String.format("%04X", (int) c) + " must be escaped in a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (at >= text.length()) {
                throw error("unterminated escape");
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(unicodeEscape());
                default -> {
                    at -= 2;
                    throw error("invalid escape \\" + e);
                }
            }
        }
    }

    /** The character(s) of a {@code \}{@code uXXXX} escape whose backslash and u were read; pairs surrogates. */
    private String unicodeEscape() {
        char c = hex4();
        if (Character.isLowSurrogate(c)) {
            throw error("unpaired low surrogate \\u" + String.format("%04x", (int) c));
        }
        if (!Character.isHighSurrogate(c)) {
            return String.valueOf(c);
        }
        if (!startsWith("\\u", at)) {
            throw error("high surrogate \\u" + String.format("%04x", (int) c) + " is not followed by a low surrogate escape");
        }
        at += 2;
        char low = hex4();
        if (!Character.isLowSurrogate(low)) {
            throw error("high surrogate \\u" + String.format("%04x", (int) c) + " is followed by \\u" + String.format("%04x", (int) low)
                    + ", not a low surrogate");
        }
        return new String(new char[] {c, low});
    }

    private char hex4() {
        if (at + 4 > text.length()) {
            throw error("expected 4 hex digits after \\u");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(at), 16);
            if (d < 0) {
                throw error("expected a hex digit after \\u");
            }
            v = v * 16 + d;
            at++;
        }
        return (char) v;
    }

    /** Reads an integer and the white space after it. */
    long nextLong() {
        int start = at;
        if (peekChar('-')) {
            at++;
        }
        int digits = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
        }
        if (at == digits) {
            throw error("expected a digit");
        }
        if (text.charAt(digits) == '0' && at - digits > 1) {
            at = digits;
            throw error("a number cannot have a leading zero");
        }
        if (at < text.length() && (text.charAt(at) == '.' || text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
            throw error("only integers are allowed here, not fractions or exponents");
        }
        try {
            long value = Long.parseLong(text, start, at, 10);
            skipWhiteSpace();
            return value;
        } catch (NumberFormatException e) {
            String digitsFound = text.subSequence(start, at).toString();
            at = start;
            throw error("integer " + digitsFound + " does not fit in 64 bits");
        }
    }

    private void skipWhiteSpace() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            at++;
        }
    }

    private boolean startsWith(String prefix, int from) {
        if (from + prefix.length() > text.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (text.charAt(from + i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Bytes of which none is above 0x7F, read as the characters they are in UTF-8 without copying
     * them into a String; null if any byte is not ASCII.
     */
    static CharSequence ascii(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] < 0) {
                return null;
            }
        }
        return new Ascii(bytes, offset, length);
    }

    private record Ascii(byte[] bytes, int offset, int length) implements CharSequence {
        @Override
        public char charAt(int index) {
            return (char) bytes[offset + index];
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new String(bytes, offset + start, end - start, java.nio.charset.StandardCharsets.US_ASCII);
        }

        @Override
        public String toString() {
            return new String(bytes, offset, length, java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    private boolean peekChar(char c) {
        return at < text.length() && text.charAt(at) == c;
    }

    private void expect(char c) {
        skipWhiteSpace();
        if (!peekChar(c)) {
            throw error("expected '" + c + "'");
        }
        at++;
    }

    /** An error at the reader's position. */
    IllegalArgumentException error(String problem) {
        return errorAt(at, problem);
    }

    /** An error at {@code position}, such as where a duplicate name started. */
    IllegalArgumentException errorAt(int position, String problem) {
        int saved = at;
        at = position;
        IllegalArgumentException e = describe(problem);
        at = saved;
        return e;
    }

    private IllegalArgumentException describe(String problem) {
        String found = at < text.length() ? "'" + text.charAt(at) + "'" : "the end";
        int from = Math.max(0, at - 20);
        String context = text.subSequence(from, Math.min(text.length(), at + 20)).toString();
        return new IllegalArgumentException(problem + " at character " + at + ", found " + found + " in ..." + context + "...");
    }
}
