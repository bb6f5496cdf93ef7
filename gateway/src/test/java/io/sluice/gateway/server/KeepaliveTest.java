package io.sluice.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.server.Keepalive.Action;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The keepalive decisions, on made-up times: a 30 s ping interval and a 90 s idle timeout. */
class KeepaliveTest {
    private static final long S = 1_000_000_000L;
    private static final long NOT_CLOSING = Long.MIN_VALUE;
    private final Keepalive keepalive = new Keepalive(Duration.ofSeconds(30), Duration.ofSeconds(90));

    @Test
    void leavesABusyConnectionAlone() {
        assertThat(keepalive.decide(100 * S, 90 * S, 95 * S, NOT_CLOSING)).isEqualTo(Action.NONE);
    }

    @Test
    void pingsBeforeAThirtySecondTimerCanExpire() {
        // 24 s of silence in both directions: 80% of the interval, so the ping lands before 30 s.
        assertThat(keepalive.decide(124 * S, 100 * S, 100 * S, NOT_CLOSING)).isEqualTo(Action.PING);
        assertThat(keepalive.decide(123 * S, 100 * S, 100 * S, NOT_CLOSING)).isEqualTo(Action.NONE);
    }

    @Test
    void sweepsOftenEnoughThatNoConnectionGoesTheWholeIntervalWithoutAFrame() {
        Duration tick = keepalive.tick();
        assertThat(tick).isEqualTo(Duration.ofSeconds(3));
        // The worst case: just under the ping threshold at one sweep, pinged at the next.
        double worstGap = Keepalive.PING_AT * 30 + tick.toSeconds();
        assertThat(worstGap).isLessThan(30);
    }

    @Test
    void pingsAClientThatIsQuietWhileTheServerKeepsSending() {
        // The server sent a frame a second ago, but the client has said nothing for 25 s: make it answer.
        assertThat(keepalive.decide(125 * S, 124 * S, 100 * S, NOT_CLOSING)).isEqualTo(Action.PING);
    }

    @Test
    void pingsAConnectionTheServerHasNotWrittenTo() {
        assertThat(keepalive.decide(125 * S, 100 * S, 124 * S, NOT_CLOSING)).isEqualTo(Action.PING);
    }

    @Test
    void closesAConnectionSilentPastTheIdleTimeout() {
        assertThat(keepalive.decide(190 * S, 185 * S, 100 * S, NOT_CLOSING)).isEqualTo(Action.CLOSE);
        assertThat(keepalive.decide(189 * S, 185 * S, 100 * S, NOT_CLOSING)).isEqualTo(Action.PING);
    }

    @Test
    void dropsAConnectionThatNeverAnswersTheCloseFrameWithinAnInterval() {
        assertThat(keepalive.decide(219 * S, 0, 0, 190 * S)).isEqualTo(Action.NONE);
        assertThat(keepalive.decide(220 * S, 0, 0, 190 * S)).isEqualTo(Action.DISCONNECT);
    }

    @Test
    void neverSweepsFasterThanEveryTenMilliseconds() {
        assertThat(new Keepalive(Duration.ofMillis(20), Duration.ofMillis(60)).tick())
                .isEqualTo(Duration.ofMillis(10));
    }
}
