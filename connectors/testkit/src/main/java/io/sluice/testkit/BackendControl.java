package io.sluice.testkit;

/**
 * How a contract suite takes a connector's backend down and brings it back, to check that an outage answers
 * {@code unavailable} and that the connector recovers. For a server backend: stop and start the server (or
 * block its port); for an embedded one: close and reopen it.
 */
public interface BackendControl {
    /** Makes the backend unreachable. */
    void takeDown() throws Exception;

    /** Makes it reachable again. */
    void bringBack() throws Exception;
}
