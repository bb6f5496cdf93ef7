package io.sluice.gateway.camel;

import io.sluice.connector.support.SluiceExchanges;
import io.sluice.gateway.protocol.Backend;
import io.sluice.gateway.tracing.RequestTracer;
import io.sluice.spi.Address;
import io.sluice.spi.ErrorName;
import io.sluice.spi.PreKeyBundle;
import io.sluice.spi.PreKeyRequest;
import io.sluice.spi.Registration;
import io.sluice.spi.SluiceException;
import io.sluice.spi.SluiceHeaders;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.camel.Message;
import org.apache.camel.NoTypeConversionAvailableException;
import org.apache.camel.TypeConversionException;

/**
 * The {@link Backend} that runs each request through the route consuming its {@code sluice:} endpoint. The
 * exchange carries the request as body and headers; the route's normal completion is success, and its out
 * body is the reply. A route fails a request by throwing (a {@link SluiceException} names the error, anything
 * else is {@code unavailable}) or by setting {@link SluiceHeaders#ERROR}. The bridge sets no deadline of its own:
 * each request has one, owned by its caller (a connection's request pipeline, or {@code Deadlines.bound}).
 */
public final class RouteBridge implements Backend {
    private final SluiceComponent component;
    private final RequestTracer tracer;

    public RouteBridge(SluiceComponent component) {
        this(component, RequestTracer.NONE);
    }

    /** A bridge that starts a span per request, whose context the exchange carries to the route. */
    public RouteBridge(SluiceComponent component, RequestTracer tracer) {
        this.component = component;
        this.tracer = tracer;
    }

    @Override
    public CompletionStage<Void> register(Caller caller, Address address, Registration registration) {
        return call(
                SluiceOperation.REGISTER,
                caller,
                in -> {
                    SluiceExchanges.setAddress(in, address);
                    in.setBody(registration);
                },
                in -> null);
    }

    @Override
    public CompletionStage<Void> unregister(Caller caller, Address address) {
        return call(SluiceOperation.UNREGISTER, caller, in -> SluiceExchanges.setAddress(in, address), in -> null);
    }

    @Override
    public CompletionStage<List<PreKeyBundle>> requestPreKeys(Caller caller, PreKeyRequest request) {
        return call(
                SluiceOperation.REQUEST_PREKEYS,
                caller,
                in -> {
                    in.setHeader(SluiceHeaders.USER_ID, request.userId().toString());
                    in.setBody(request);
                },
                RouteBridge::bundles);
    }

    @Override
    public CompletionStage<Void> outbound(Caller caller, Address to, byte[] sealed) {
        return call(
                SluiceOperation.OUTBOUND,
                caller,
                in -> {
                    SluiceExchanges.setAddress(in, to);
                    in.setBody(sealed);
                },
                in -> null);
    }

    @Override
    public CompletionStage<Integer> preKeyCount(Caller caller, Address address) {
        return call(
                SluiceOperation.PREKEY_COUNT,
                caller,
                in -> SluiceExchanges.setAddress(in, address),
                in -> reply(in, Integer.class));
    }

    private <T> CompletionStage<T> call(
            SluiceOperation operation, Caller caller, Consumer<Message> request, Function<Message, T> reply) {
        RequestTracer.RequestSpan span =
                tracer.start(operation.uri(), caller.connectionId(), Integer.toUnsignedLong(caller.sequence()));
        return component
                .slot(operation)
                .request(
                        in -> {
                            in.setHeader(SluiceHeaders.CONNECTION_ID, caller.connectionId());
                            in.setHeader(SluiceHeaders.SEQUENCE, Integer.toUnsignedLong(caller.sequence()));
                            span.headers().forEach(in::setHeader);
                            request.accept(in);
                        },
                        completed -> {
                            if (completed.getException() != null) {
                                throw completed.getException() instanceof RuntimeException r
                                        ? r
                                        : new java.util.concurrent.CompletionException(completed.getException());
                            }
                            Message out = completed.getMessage();
                            String error = out.getHeader(SluiceHeaders.ERROR, String.class);
                            if (error != null) {
                                throw new SluiceException(
                                        ErrorName.ofWireName(error).orElse(ErrorName.UNKNOWN_ERROR),
                                        out.getHeader(SluiceHeaders.ERROR_DESCRIPTION, error, String.class));
                            }
                            return reply.apply(out);
                        },
                        caller::expired)
                .whenComplete((answer, failure) -> span.end(failure));
    }

    private static <T> T reply(Message out, Class<T> type) {
        try {
            T value = out.getMandatoryBody(type);
            return value;
        } catch (Exception e) {
            throw new SluiceException(
                    ErrorName.UNKNOWN_ERROR,
                    "the route's reply is not a " + type.getSimpleName() + ": " + describe(out.getBody()),
                    e);
        }
    }

    private static List<PreKeyBundle> bundles(Message out) {
        Object body = out.getBody();
        Collection<?> items;
        if (body instanceof Collection<?> c) {
            items = c;
        } else if (body instanceof Object[] array) {
            items = List.of(array);
        } else {
            items = reply(out, List.class);
        }
        List<PreKeyBundle> bundles = new ArrayList<>(items.size());
        for (Object item : items) {
            if (item instanceof PreKeyBundle b) {
                bundles.add(b);
                continue;
            }
            try {
                bundles.add(out.getExchange()
                        .getContext()
                        .getTypeConverter()
                        .mandatoryConvertTo(PreKeyBundle.class, out.getExchange(), item));
            } catch (NoTypeConversionAvailableException | TypeConversionException e) {
                throw new SluiceException(
                        ErrorName.UNKNOWN_ERROR,
                        "the route's reply holds a " + describe(item) + ", not a PreKeyBundle",
                        e);
            }
        }
        return bundles;
    }

    private static String describe(Object value) {
        return value == null ? "null body" : value.getClass().getName();
    }
}
