package io.sluice.client;

/** The server answered a request with {@code Error{name, description}}. */
public final class SluiceError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String name;

    public SluiceError(String name, String description) {
        super(name + (description == null || description.isEmpty() ? "" : ": " + description));
        this.name = name;
    }

    /** The protocol error name, for example {@code unknown_user}. */
    public String name() {
        return name;
    }
}
