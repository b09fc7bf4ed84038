package dev.kiln.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    /** The document as maps, lists, strings and longs, read with the pull reader (what a caller that expects any value would do). */
    private static Object parse(String text) {
        Json json = new Json(text);
        Object value = value(json);
        json.end();
        return value;
    }

    private static Object value(Json json) {
        switch (json.peek()) {
            case '{' -> {
                Map<String, Object> map = new java.util.LinkedHashMap<>();
                json.beginObject();
                while (json.hasNext('}')) {
                    int at = json.position();
                    String name = json.nextName();
                    if (map.put(name, value(json)) != null) {
                        throw json.errorAt(at, "duplicate member name " + Json.quote(name));
                    }
                }
                return map;
            }
            case '[' -> {
                List<Object> list = new java.util.ArrayList<>();
                json.beginArray();
                while (json.hasNext(']')) {
                    list.add(value(json));
                }
                return list;
            }
            case '"' -> {
                return json.nextString();
            }
            default -> {
                return json.nextLong();
            }
        }
    }

    @Test
    void parsesNestedObjectsArraysStringsAndIntegersInOrder() {
        Object value = parse(" {\"b\": {\"x\": \"y\"}, \"a\": [0, 12, -3, 9223372036854775807], \"c\": []}   ");

        Map<?, ?> map = (Map<?, ?>) value;
        assertEquals(List.of("b", "a", "c"), List.copyOf(map.keySet()));
        assertEquals(Map.of("x", "y"), map.get("b"));
        assertEquals(List.of(0L, 12L, -3L, Long.MAX_VALUE), map.get("a"));
        assertEquals(List.of(), map.get("c"));
    }

    @Test
    void decodesEveryEscapeIncludingSurrogatePairs() {
        Object value = parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9 \\ud83d\\ude00 raw é\"");

        assertEquals("q\" b\\ s/ \b\f\n\r\t \u00e9 \ud83d\ude00 raw é", value);
    }

    @Test
    void quoteRoundTripsAnyString() {
        String s = "a\"b\\c\u0001\u001f\n\té😀/";

        assertEquals(s, parse(Json.quote(s)));
        assertEquals("\"\\u0001\"", Json.quote("\u0001"));
    }

    @Test
    void rejectsWhatTheSubsetDoesNotAllowWithThePosition() {
        assertError("{\"a\": [1, 2,]}", "expected an object, array, string or integer at character 12");
        assertError("[1 2]", "expected ',' or ']' at character 3");
        assertError("{\"a\": 1,}", "expected a member name in double quotes at character 8");
        assertError("{\"a\": \"x}", "unterminated string");
        assertError("\"\\x\"", "invalid escape \\x at character 1");
        assertError("\"\\ud83d\"", "is not followed by a low surrogate");
        assertError("\"\\ude00\"", "unpaired low surrogate");
        assertError("\"a\u0001\"", "control character U+0001 must be escaped");
        assertError("[01]", "leading zero");
        assertError("[1.5]", "only integers");
        assertError("[1e3]", "only integers");
        assertError("[true]", "expected an object, array, string or integer");
        assertError("{\"a\": null}", "expected an object, array, string or integer");
        assertError("{\"a\": 1, \"a\": 2}", "duplicate member name \"a\" at character 9");
        assertError("{} x", "expected the end of the document at character 3");
        assertError("[99999999999999999999]", "does not fit in 64 bits");
        assertError("", "expected a value at character 0");
        assertError("{\"a\" 1}", "expected ':'");
    }

    private static void assertError(String json, String expected) {
        String message = assertThrows(IllegalArgumentException.class, () -> parse(json), json).getMessage();
        assertTrue(message.contains(expected), json + " -> " + message);
    }
}
