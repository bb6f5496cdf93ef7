package io.sluice.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.metrics.Meters;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The dashboard and the alert rules read only documented meters, on buckets that exist. */
class DeployFilesTest {

    @Test
    void everyAlertRuleReadsDocumentedMeters() throws Exception {
        Map<String, String> rules = DeployFiles.ruleExpressions();
        assertThat(rules).hasSizeGreaterThanOrEqualTo(8);
        Set<String> documented = DeployFiles.documentedSeries();
        rules.forEach((alert, expr) -> assertThat(DeployFiles.metricNames(expr))
                .as("alert %s: %s", alert, expr)
                .isNotEmpty()
                .allMatch(documented::contains));
    }

    @Test
    void everyDashboardPanelReadsDocumentedMeters() throws Exception {
        Map<String, List<String>> panels = DeployFiles.panelExpressions();
        assertThat(panels).hasSizeGreaterThanOrEqualTo(10);
        Set<String> documented = DeployFiles.documentedSeries();
        panels.forEach((panel, exprs) -> {
            assertThat(exprs).as(panel).isNotEmpty();
            for (String expr : exprs) {
                assertThat(DeployFiles.metricNames(expr))
                        .as("panel %s: %s", panel, expr)
                        .isNotEmpty()
                        .allMatch(documented::contains);
            }
        });
    }

    @Test
    void theDashboardCoversRatesErrorsLatencyConnectionsDeliveryLagQueueDepthAndReadiness() throws Exception {
        String all = String.join(
                "\n",
                DeployFiles.panelExpressions().values().stream()
                        .flatMap(List::stream)
                        .toList());
        assertThat(all)
                .contains("sluice_responses_total")
                .contains("result!=\"ok\"")
                .contains("sluice_requests_seconds_bucket")
                .contains("sluice_connections")
                .contains("sluice_delivery_lag_seconds_bucket")
                .contains("sluice_queue_depth_messages_bucket")
                .contains("sluice_ready");
    }

    @Test
    void latencyObjectivesUseBucketsTheHistogramsHave() throws Exception {
        List<String> exprs =
                new java.util.ArrayList<>(DeployFiles.ruleExpressions().values());
        DeployFiles.panelExpressions().values().forEach(exprs::addAll);
        Map<String, List<Duration>> histograms = Map.of(
                "sluice_requests_seconds", Meters.REQUEST_SLOS, "sluice_delivery_lag_seconds", Meters.DELIVERY_SLOS);
        histograms.forEach((metric, slos) -> {
            List<String> bounds =
                    slos.stream().map(d -> Double.toString(d.toNanos() / 1e9)).toList();
            for (String expr : exprs) {
                assertThat(DeployFiles.bucketBounds(expr, metric)).as(expr).allMatch(bounds::contains);
            }
        });
    }

    @Test
    void metricNamesAreReadOutOfPromQl() {
        assertThat(DeployFiles.metricNames(
                        "sum by (instance, le) (rate(sluice_requests_seconds_bucket{type!=\"ack\", le=\"0.25\"}[5m]))"
                                + " / sum by (instance) (rate(sluice_requests_seconds_count[5m])) < 0.99"))
                .containsExactly("sluice_requests_seconds_bucket", "sluice_requests_seconds_count");
        assertThat(DeployFiles.metricNames("sluice_tls_certificate_expiry_seconds - time() < 14 * 24 * 3600"))
                .containsExactly("sluice_tls_certificate_expiry_seconds");
    }
}
