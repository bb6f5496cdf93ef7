package io.sluice.faults;

import io.sluice.testkit.TcpProxy;

/** The network faults a {@link TcpProxy} injects between the gateway and a backend. */
enum NetworkFault {
    /** Bytes held in both directions, connections kept open: dropped packets, a frozen peer, a hung link. */
    STALL {
        @Override
        void inject(TcpProxy proxy) {
            proxy.stall();
        }
    },
    /** Every open connection closed in an orderly way (FIN): a NAT or a load balancer forgetting them. */
    DROP {
        @Override
        void inject(TcpProxy proxy) {
            proxy.drop();
        }
    },
    /** Every connection reset, new ones too, until restored: the backend's host gone. */
    RESET {
        @Override
        void inject(TcpProxy proxy) {
            proxy.cut();
        }
    };

    /** Starts the fault; {@link TcpProxy#restore()} ends it. */
    abstract void inject(TcpProxy proxy);
}
