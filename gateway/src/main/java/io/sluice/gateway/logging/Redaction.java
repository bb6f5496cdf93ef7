package io.sluice.gateway.logging;

import java.util.regex.Pattern;

/**
 * A last line of defence for the rule that no user id reaches the logs: a UserID in its text forms (44 characters
 * of base64 or base64url starting with {@code B}, the encoding of its type byte {@code 0x05}; or 66 hex digits
 * starting {@code 05}), also inside a URL path, is replaced by {@value #MASK} in every value either log format writes, Sluice's or a
 * library's (an HTTP client's error naming a URL with a user id in its path, a route's own log step). Sluice's own
 * events do not log user ids to begin with.
 */
public final class Redaction {
    /** What a user id is replaced with. */
    public static final String MASK = "<user-id>";

    /** The text forms of a UserID, not inside a longer token of the same alphabet. */
    public static final String USER_ID_REGEX = "(?<![A-Za-z0-9_-])B[A-Za-z0-9_+/-]{43}(?![A-Za-z0-9_-])"
            + "|(?<![0-9A-Fa-f])05[0-9A-Fa-f]{64}(?![0-9A-Fa-f])";

    private static final Pattern USER_ID = Pattern.compile(USER_ID_REGEX);

    private Redaction() {}

    /** The value with every user id masked; the same string when it holds none. */
    public static String mask(String value) {
        if (value.length() < 44) {
            return value;
        }
        return USER_ID.matcher(value).replaceAll(MASK);
    }
}
