package io.sluice.spi;

/**
 * A setting with a value Sluice cannot use. Its message is one line in the shape
 * {@code sluice.port: 'abc' (expected: an integer from 0 to 65535)}, fit to be printed as it is;
 * {@link #problem()} is the line the gateway prints after {@code sluice: }.
 */
public class SettingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public SettingException(String key, String value, String expected) {
        super(key + ": " + (value == null ? "missing" : "'" + value + "'") + " (expected: " + expected + ")");
        this.key = key;
    }

    /** A problem with a setting that is not its value, for subclasses; {@code message} is one line. */
    protected SettingException(String key, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
    }

    /** The setting at fault. */
    public String key() {
        return key;
    }

    /** The problem as one line for people: {@code invalid setting sluice.port: 'abc' (expected: …)}. */
    public String problem() {
        return "invalid setting " + getMessage();
    }
}
