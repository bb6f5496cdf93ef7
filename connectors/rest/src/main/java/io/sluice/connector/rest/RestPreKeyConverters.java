package io.sluice.connector.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.spi.PreKeyRequest;
import io.sluice.spi.Registration;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.camel.TypeConverterLoaderException;
import org.apache.camel.spi.TypeConverterLoader;
import org.apache.camel.spi.TypeConverterRegistry;
import org.apache.camel.support.SimpleTypeConverter;

/**
 * Camel type converters between Sluice types and the REST contract's JSON, so that a route file converts with
 * one declarative step ({@code convertBodyTo}). Found by Camel through
 * {@code META-INF/services/org/apache/camel/TypeConverterLoader}.
 *
 * <table>
 *   <caption>Conversions</caption>
 *   <tr><th>from</th><th>to</th></tr>
 *   <tr><td>{@code Registration}, {@code PreKeyRequest}</td><td>{@link JsonBody}</td></tr>
 *   <tr><td>{@link JsonBody}</td><td>{@code InputStream}, {@code byte[]} (for HTTP), {@code JsonNode} (for jq)</td></tr>
 *   <tr><td>{@code InputStream}, {@code byte[]}, {@code String}, {@code JsonNode}</td>
 *       <td>{@link PreKeyBundleList}, {@link PreKeyCount}</td></tr>
 *   <tr><td>{@link PreKeyCount}</td><td>{@code Integer}</td></tr>
 * </table>
 */
public final class RestPreKeyConverters implements TypeConverterLoader {

    @Override
    public void load(TypeConverterRegistry registry) throws TypeConverterLoaderException {
        add(registry, Registration.class, JsonBody.class, PreKeyJson::registration);
        add(registry, PreKeyRequest.class, JsonBody.class, PreKeyJson::claimRequest);
        add(registry, JsonBody.class, InputStream.class, JsonBody::toInputStream);
        add(registry, JsonBody.class, byte[].class, JsonBody::toByteArray);
        add(registry, JsonBody.class, JsonNode.class, PreKeyJson::tree);
        addFromJson(registry, PreKeyBundleList.class, PreKeyJson::claimResponse);
        addFromJson(registry, PreKeyCount.class, PreKeyJson::count);
        add(registry, PreKeyCount.class, Integer.class, PreKeyCount::count);
    }

    /** A document type from every form a JSON reply arrives in: HTTP streams, bytes, text, or a jq result. */
    private static <T> void addFromJson(TypeConverterRegistry registry, Class<T> to, Function<JsonNode, T> read) {
        add(registry, JsonNode.class, to, read);
        add(registry, InputStream.class, to, (InputStream in) -> read.apply(PreKeyJson.parse(in)));
        add(registry, byte[].class, to, (byte[] bytes) -> read.apply(PreKeyJson.parse(bytes)));
        add(
                registry,
                String.class,
                to,
                (String text) -> read.apply(PreKeyJson.parse(text.getBytes(StandardCharsets.UTF_8))));
    }

    private static <F, T> void add(TypeConverterRegistry registry, Class<F> from, Class<T> to, Function<F, T> convert) {
        registry.addTypeConverter(
                to, from, new SimpleTypeConverter(false, (type, exchange, value) -> convert.apply(from.cast(value))));
    }
}
