package io.github.selectors4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Draws the report's charts as PNG files with XChart, into {@code docs/img/} for a full run (the
 * page links them as {@code img/NAME.png}) or into the build directory for a quick run.
 */
final class Charts {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;

    private final Path directory;
    private final String linkPrefix;

    /**
     * @param directory  where the PNG files go
     * @param linkPrefix how the Markdown page refers to that directory ({@code img/})
     */
    Charts(Path directory, String linkPrefix) {
        this.directory = directory;
        this.linkPrefix = linkPrefix;
    }

    /** One line of an XY chart: x values and y values of the same length. */
    record Series(String name, double[] x, double[] y) {
    }

    /**
     * A line chart, each axis linear or logarithmic.
     *
     * @return the Markdown image reference
     */
    String lines(String name, String title, String xTitle, String yTitle, boolean logX, boolean logY, List<Series> series)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        for (Series s : series) {
            chart.addSeries(s.name(), s.x(), s.y());
        }
        return save(name, title, chart);
    }

    /**
     * A bar chart: for each category (e.g. a loop), one bar per series (e.g. a variant).
     *
     * @return the Markdown image reference
     */
    String bars(String name, String title, String yTitle, List<String> categories, Map<String, List<Double>> series)
            throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).yAxisTitle(yTitle).build();
        // Below the plot, in one row: inside it the legend box would hide the first bars, and a
        // column of entries below it would shrink the plot until the y-axis title no longer fits.
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setLegendVisible(series.size() > 1);
        series.forEach((seriesName, values) -> chart.addSeries(seriesName, categories, values));
        return save(name, title, chart);
    }

    private String save(String name, String title, org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) throws IOException {
        Files.createDirectories(directory);
        BitmapEncoder.saveBitmap(chart, directory.resolve(name).toString(), BitmapEncoder.BitmapFormat.PNG);
        return "![" + title + "](" + linkPrefix + name + ".png)";
    }
}
