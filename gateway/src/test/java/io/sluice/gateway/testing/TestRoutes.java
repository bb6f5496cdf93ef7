package io.sluice.gateway.testing;

/** Route-file text the tests build their route files from. */
public final class TestRoutes {
    /** The four prekey routes on the embedded store, as routes/embedded.yaml has them; add an outbound route. */
    public static final String PREKEY_ROUTES = """
            - route:
                id: register
                from:
                  uri: sluice:register
                  steps:
                    - to: embedded:register
            - route:
                id: unregister
                from:
                  uri: sluice:unregister
                  steps:
                    - to: embedded:unregister
            - route:
                id: request-prekeys
                from:
                  uri: sluice:requestPreKeys
                  steps:
                    - to: embedded:requestPreKeys
            - route:
                id: prekey-count
                from:
                  uri: sluice:preKeyCount
                  steps:
                    - to: embedded:preKeyCount
            """;

    private TestRoutes() {}
}
