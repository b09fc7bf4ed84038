package dev.kiln.runtime.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON parser for the subset a safetensors header uses: objects (as
 * {@code Map<String, Object>} in file order, duplicate keys rejected), arrays
 * ({@code List<Object>}), strings with every JSON escape, and integers ({@code Long}). Fractions,
 * exponents, {@code true}, {@code false} and {@code null} are rejected because a header never holds
 * them. Only white space may follow the top-level value.
 */
final class Json {
    private final String text;
    private int at;

    private Json(String text) {
        this.text = text;
    }

    /**
     * Parses a document.
     *
     * @throws IllegalArgumentException naming the character offset and what was expected
     */
    static Object parse(String text) {
        Json json = new Json(text);
        json.skipWhiteSpace();
        Object value = json.value();
        json.skipWhiteSpace();
        if (json.at < text.length()) {
            throw json.error("expected the end of the document");
        }
        return value;
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

    private Object value() {
        if (at >= text.length()) {
            throw error("expected a value");
        }
        char c = text.charAt(at);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield integer();
                }
                throw error("expected an object, array, string or integer");
            }
        };
    }

    private Map<String, Object> object() {
        Map<String, Object> members = new LinkedHashMap<>();
        at++;
        skipWhiteSpace();
        if (peek('}')) {
            at++;
            return members;
        }
        while (true) {
            if (!peek('"')) {
                throw error("expected a member name in double quotes");
            }
            int nameAt = at;
            String name = string();
            skipWhiteSpace();
            expect(':');
            skipWhiteSpace();
            if (members.put(name, value()) != null) {
                at = nameAt;
                throw error("duplicate member name " + quote(name));
            }
            skipWhiteSpace();
            if (peek(',')) {
                at++;
                skipWhiteSpace();
            } else {
                expect('}');
                return members;
            }
        }
    }

    private List<Object> array() {
        List<Object> elements = new ArrayList<>();
        at++;
        skipWhiteSpace();
        if (peek(']')) {
            at++;
            return elements;
        }
        while (true) {
            elements.add(value());
            skipWhiteSpace();
            if (peek(',')) {
                at++;
                skipWhiteSpace();
            } else {
                expect(']');
                return elements;
            }
        }
    }

    private String string() {
        StringBuilder out = new StringBuilder();
        at++;
        while (true) {
            if (at >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(at++);
            if (c == '"') {
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
        if (!text.startsWith("\\u", at)) {
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

    private Long integer() {
        int start = at;
        if (peek('-')) {
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
            return Long.parseLong(text, start, at, 10);
        } catch (NumberFormatException e) {
            String digitsFound = text.substring(start, at);
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

    private boolean peek(char c) {
        return at < text.length() && text.charAt(at) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("expected '" + c + "'");
        }
        at++;
    }

    private IllegalArgumentException error(String problem) {
        String found = at < text.length() ? "'" + text.charAt(at) + "'" : "the end";
        int from = Math.max(0, at - 20);
        String context = text.substring(from, Math.min(text.length(), at + 20));
        return new IllegalArgumentException(problem + " at character " + at + ", found " + found + " in ..." + context + "...");
    }
}
