package io.sluice.spi;

/**
 * A setting with a value Sluice cannot use. Its message is one line in the shape
 * {@code sluice.port: 'abc' (expected: an integer from 0 to 65535)}, fit to be printed as it is.
 */
public class SettingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public SettingException(String key, String value, String expected) {
        super(key + ": " + (value == null ? "missing" : "'" + value + "'") + " (expected: " + expected + ")");
        this.key = key;
    }

    /** The setting at fault. */
    public String key() {
        return key;
    }
}
