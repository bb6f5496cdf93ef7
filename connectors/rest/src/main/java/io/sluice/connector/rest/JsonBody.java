package io.sluice.connector.rest;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

/**
 * A JSON request body on its way to a key store. A type of its own, rather than a String, so that key material
 * never reaches a log through Camel's body logging or tracing: {@link #toString()} shows only the size. Camel
 * sends it over HTTP through the connector's converters to {@code InputStream} and {@code byte[]}; the jq language
 * reads it through the converter to Jackson's {@code JsonNode}.
 */
public final class JsonBody {
    private final byte[] utf8;

    JsonBody(byte[] utf8) {
        this.utf8 = utf8;
    }

    /** The JSON text as UTF-8 bytes (a copy). */
    public byte[] toByteArray() {
        return utf8.clone();
    }

    /** A stream of the JSON text as UTF-8. */
    public InputStream toInputStream() {
        return new ByteArrayInputStream(utf8);
    }

    /** Only the size: the JSON holds key material. */
    @Override
    public String toString() {
        return "JsonBody[" + utf8.length + " bytes]";
    }
}
