package io.sluice.gateway.protocol;

import io.sluice.spi.Address;
import io.sluice.spi.PreKeyRequest;
import io.sluice.spi.Registration;

/** A client request, decoded from its frame: the gateway's own types, no protobuf past the codec. */
public sealed interface Request {

    /** The sequence the client chose; every response carries it. */
    int sequence();

    /**
     * An answer to the AuthChallenge. {@code login} is empty when the login bytes did not parse or named no
     * valid Address: such a login fails like a bad signature.
     */
    record Login(int sequence, java.util.Optional<LoginClaim> login, byte[] loginBytes, byte[] signature)
            implements Request {}

    /** What a parsed {@code Login} claims: this Address, answering this nonce. */
    record LoginClaim(Address address, byte[] nonce) {}

    /** Register prekeys for the connection's Address. */
    record Register(int sequence, Registration registration) implements Request {}

    /** Remove the connection's Address's registration. */
    record Unregister(int sequence) implements Request {}

    /** Anonymous: claim prekeys of a user's devices. */
    record RequestPreKeys(int sequence, PreKeyRequest request) implements Request {}

    /** Anonymous: queue a sealed message for an Address. */
    record Outbound(int sequence, Address to, byte[] sealed) implements Request {}

    /** Acknowledges the inboundMessage the server sent with this sequence. */
    record Ack(int sequence) implements Request {}
}
