package io.sluice.gateway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusNamingConvention;
import io.sluice.gateway.metrics.Meters;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The files of {@code deploy/}, their PromQL expressions, and the series names the documented meters publish. */
final class DeployFiles {
    private static final Set<String> PROMQL_WORDS = Set.of(
            "sum",
            "min",
            "max",
            "avg",
            "count",
            "rate",
            "irate",
            "increase",
            "histogram_quantile",
            "time",
            "by",
            "without",
            "and",
            "or",
            "unless",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "bool",
            "abs",
            "clamp_min",
            "label_values",
            "offset",
            "e",
            "inf",
            "nan");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![A-Za-z0-9_:$.])[A-Za-z_:][A-Za-z0-9_:]*");

    private DeployFiles() {}

    /** The repository's {@code deploy/} folder. */
    static Path deploy() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy/prometheus"))) {
                return dir.resolve("deploy");
            }
        }
        throw new IllegalStateException("no deploy/ folder above " + Path.of("").toAbsolutePath());
    }

    static Path rules() {
        return deploy().resolve("prometheus/sluice-rules.yml");
    }

    static Path dashboard() {
        return deploy().resolve("grafana/sluice-dashboard.json");
    }

    /** Each alert rule's name and expression. */
    @SuppressWarnings("unchecked")
    static Map<String, String> ruleExpressions() throws IOException {
        Map<String, String> rules = new java.util.LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(rules())) {
            Map<String, Object> root =
                    (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
            for (Map<String, Object> group : (List<Map<String, Object>>) root.get("groups")) {
                for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                    rules.put(String.valueOf(rule.get("alert")), String.valueOf(rule.get("expr")));
                }
            }
        }
        return rules;
    }

    /** Each dashboard panel's title and the expressions of its queries (and of its variables). */
    static Map<String, List<String>> panelExpressions() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(dashboard().toFile());
        Map<String, List<String>> panels = new java.util.LinkedHashMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            List<String> exprs = new ArrayList<>();
            panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
            panels.put(panel.path("title").asText(), exprs);
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                panels.put(
                        "variable " + variable.path("name").asText(),
                        List.of(variable.path("query").asText()));
            }
        }
        return panels;
    }

    /** The metric names an expression reads: identifiers that are not PromQL, labels, strings or durations. */
    static Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("label_values\\(\\s*([A-Za-z_:][A-Za-z0-9_:]*)\\s*,\\s*\\w+\\s*\\)", "$1")
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", "")
                .replaceAll("\\[[^]]*]", "")
                .replaceAll("(?:by|without|on|ignoring)\\s*\\([^)]*\\)", "")
                .replaceAll("\\$\\w+", "");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            String word = m.group();
            if (!PROMQL_WORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
                names.add(word);
            }
        }
        return names;
    }

    /** The {@code le} bounds an expression filters {@code metric}'s buckets on. */
    static Set<String> bucketBounds(String expr, String metric) {
        Set<String> bounds = new LinkedHashSet<>();
        Matcher m =
                Pattern.compile(Pattern.quote(metric) + "_bucket\\{([^}]*)}").matcher(expr);
        while (m.find()) {
            Matcher le = Pattern.compile("le=\"([^\"]+)\"").matcher(m.group(1));
            while (le.find()) {
                bounds.add(le.group(1));
            }
        }
        return bounds;
    }

    /** Every series name the documented meters publish on /metrics, and Prometheus's own {@code up}. */
    static Set<String> documentedSeries() {
        PrometheusNamingConvention prometheus = new PrometheusNamingConvention();
        Set<String> series = new LinkedHashSet<>();
        series.add("up");
        List<Meters.Documented> all = new ArrayList<>(Meters.SLUICE);
        all.addAll(Meters.ROUTES);
        all.addAll(Meters.TLS);
        all.addAll(Meters.BOUND);
        for (Meters.Documented meter : all) {
            String name = prometheus.name(meter.name(), meter.type(), meter.baseUnit());
            series.add(name);
            switch (meter.type()) {
                // The Prometheus client adds _total to counters when it writes them.
                case COUNTER -> series.add(name.endsWith("_total") ? name : name + "_total");
                case TIMER, DISTRIBUTION_SUMMARY -> {
                    for (String suffix : List.of("_bucket", "_count", "_sum", "_max")) {
                        series.add(name + suffix);
                    }
                }
                default -> {}
            }
        }
        return series;
    }
}
