package io.sluice.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The PNG: end-to-end latency (p50 above, p99 below, log scales) against offered load, one line per path and
 * message size, so Sluice and its baselines can be compared at the same offered rates. Drawn headless.
 */
final class Chart {
    private static final Map<String, Color> COLORS = Map.of(
            Results.SLUICE_EMBEDDED, new Color(0x1f77b4),
            Results.ECHO, new Color(0x7f7f7f),
            Results.SLUICE_KAFKA, new Color(0xd62728),
            Results.PRODUCER, new Color(0xff7f0e),
            Results.KAFKA_END_TO_END, new Color(0x8c564b),
            Results.SLUICE_REDIS, new Color(0x2ca02c),
            Results.SLUICE_REDIS_3, new Color(0x9467bd),
            Results.REDIS_BARE, new Color(0xbcbd22));

    private Chart() {}

    static void write(Results results, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<String, List<MessageBench.Step>> lines = new LinkedHashMap<>();
        for (MessageBench.Step step : results.steps) {
            lines.computeIfAbsent(step.series() + ", " + step.size() + " B", k -> new java.util.ArrayList<>())
                    .add(step);
        }
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(logAxis("offered load (messages/s)"));
        plot.setGap(12);
        plot.add(subplot("p50 latency (ms)", lines, s -> s.endToEnd().p50(), true), 1);
        plot.add(subplot("p99 latency (ms)", lines, s -> s.endToEnd().p99(), false), 1);
        JFreeChart chart = new JFreeChart(
                "Sluice: end-to-end latency against offered load",
                new Font(Font.SANS_SERIF, Font.BOLD, 16),
                plot,
                true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 1100, 900);
    }

    private static XYPlot subplot(
            String label,
            Map<String, List<MessageBench.Step>> lines,
            ToDoubleFunction<MessageBench.Step> value,
            boolean inLegend) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setAutoPopulateSeriesShape(false);
        renderer.setDefaultShape(new java.awt.geom.Ellipse2D.Double(-3, -3, 6, 6));
        int i = 0;
        for (Map.Entry<String, List<MessageBench.Step>> line : lines.entrySet()) {
            XYSeries series = new XYSeries(line.getKey(), false, true);
            for (MessageBench.Step step : line.getValue()) {
                double y = value.applyAsDouble(step);
                if (!Double.isNaN(y)) {
                    series.add(step.offered(), Math.max(y, 0.01));
                }
            }
            data.addSeries(series);
            MessageBench.Step first = line.getValue().get(0);
            renderer.setSeriesPaint(i, COLORS.getOrDefault(first.series(), Color.BLACK));
            renderer.setSeriesStroke(
                    i,
                    first.size() > 1024
                            ? new BasicStroke(
                                    2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)
                            : new BasicStroke(2f));
            renderer.setSeriesVisibleInLegend(i, inLegend);
            i++;
        }
        XYPlot plot = new XYPlot(data, null, logAxis(label), renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }

    /** A base-10 log axis labelled 0.1, 1, 10, 100 … rather than in powers. */
    private static LogarithmicAxis logAxis(String label) {
        LogarithmicAxis axis = new LogarithmicAxis(label);
        axis.setAllowNegativesFlag(false);
        axis.setStrictValuesFlag(false);
        axis.setExpTickLabelsFlag(false);
        axis.setLog10TickLabelsFlag(false);
        axis.setAutoRangeNextLogFlag(true);
        return axis;
    }
}
