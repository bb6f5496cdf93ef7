package io.sluice.connector.support;

import io.sluice.spi.Address;
import io.sluice.spi.SluiceException;
import io.sluice.spi.SluiceHeaders;
import io.sluice.spi.UserId;
import org.apache.camel.Message;

/** Reads and writes the Sluice headers of an exchange message, in one place for every endpoint. */
public final class SluiceExchanges {
    private SluiceExchanges() {}

    /**
     * The Address an exchange is about: the {@link SluiceHeaders#ADDRESS} header, or else
     * {@link SluiceHeaders#USER_ID} (base64url) with {@link SluiceHeaders#DEVICE_ID}. A route that builds an
     * exchange from a backend record (Kafka, RabbitMQ, …) sets the latter two from the record.
     *
     * @throws SluiceException invalid_message when neither form is present, invalid_user_id when malformed
     */
    public static Address address(Message message) {
        Object address = message.getHeader(SluiceHeaders.ADDRESS);
        if (address instanceof Address a) {
            return a;
        }
        if (address != null) {
            return Address.parse(address.toString());
        }
        Object user = message.getHeader(SluiceHeaders.USER_ID);
        Object device = message.getHeader(SluiceHeaders.DEVICE_ID);
        if (user == null || device == null) {
            throw SluiceException.invalidMessage("the exchange names no Address: set header " + SluiceHeaders.ADDRESS
                    + ", or " + SluiceHeaders.USER_ID + " and " + SluiceHeaders.DEVICE_ID);
        }
        int deviceId;
        try {
            deviceId = device instanceof Number n
                    ? n.intValue()
                    : Integer.parseUnsignedInt(device.toString().trim());
        } catch (NumberFormatException e) {
            throw SluiceException.invalidMessage(
                    SluiceHeaders.DEVICE_ID + ": '" + device + "' (expected: an unsigned 32-bit integer)");
        }
        return new Address(
                user instanceof UserId u ? u : UserId.parse(user.toString().trim()), deviceId);
    }

    /** Sets the Address headers: the object and its two text parts, so routes can use whichever fits. */
    public static void setAddress(Message message, Address address) {
        message.setHeader(SluiceHeaders.ADDRESS, address);
        message.setHeader(SluiceHeaders.USER_ID, address.userId().toString());
        message.setHeader(SluiceHeaders.DEVICE_ID, address.deviceId());
    }
}
