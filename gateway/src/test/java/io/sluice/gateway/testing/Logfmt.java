package io.sluice.gateway.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A strict logfmt reader for tests: {@code key=value} pairs separated by single spaces, keys of letters, digits,
 * {@code _ . -}, values bare (printable ASCII without space, {@code "}, {@code =}, {@code \}) or double-quoted with
 * {@code \" \\ \n \r \t \}{@code uXXXX} escapes. Anything else is an error naming the line.
 */
public final class Logfmt {
    private Logfmt() {}

    /** The line's pairs in order, values unescaped. */
    public static Map<String, String> parse(String line) {
        Map<String, String> pairs = new LinkedHashMap<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            if (i > 0) {
                expect(line, i++, ' ');
            }
            int keyStart = i;
            while (i < n && isKeyChar(line.charAt(i), i == keyStart)) {
                i++;
            }
            if (i == keyStart) {
                throw new IllegalArgumentException("no key at " + i + ": " + line);
            }
            String key = line.substring(keyStart, i);
            expect(line, i++, '=');
            StringBuilder value = new StringBuilder();
            if (i < n && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("unterminated value of " + key + ": " + line);
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        break;
                    }
                    if (c < 0x20) {
                        throw new IllegalArgumentException("control character in " + key + ": " + line);
                    }
                    if (c == '\\') {
                        char e = line.charAt(i++);
                        switch (e) {
                            case '"' -> value.append('"');
                            case '\\' -> value.append('\\');
                            case 'n' -> value.append('\n');
                            case 'r' -> value.append('\r');
                            case 't' -> value.append('\t');
                            case 'u' -> {
                                value.append((char) Integer.parseInt(line.substring(i, i + 4), 16));
                                i += 4;
                            }
                            default -> throw new IllegalArgumentException("bad escape in " + key + ": " + line);
                        }
                    } else {
                        value.append(c);
                    }
                }
            } else {
                int start = i;
                while (i < n && line.charAt(i) != ' ') {
                    char c = line.charAt(i++);
                    if (c < 0x21 || c > 0x7e || c == '"' || c == '=' || c == '\\') {
                        throw new IllegalArgumentException("bare value of " + key + " holds '" + c + "': " + line);
                    }
                }
                if (i == start) {
                    throw new IllegalArgumentException("empty bare value of " + key + ": " + line);
                }
                value.append(line, start, i);
            }
            if (pairs.put(key, value.toString()) != null) {
                throw new IllegalArgumentException("key " + key + " twice: " + line);
            }
        }
        return pairs;
    }

    private static boolean isKeyChar(char c, boolean first) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || c == '_'
                || (!first && ((c >= '0' && c <= '9') || c == '.' || c == '-'));
    }

    private static void expect(String line, int at, char c) {
        if (at >= line.length() || line.charAt(at) != c) {
            throw new IllegalArgumentException("expected '" + c + "' at " + at + ": " + line);
        }
    }
}
