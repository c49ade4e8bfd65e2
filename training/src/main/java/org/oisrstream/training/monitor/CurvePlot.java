package org.oisrstream.training.monitor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws the training loss and the validation PSNR over iterations into one PNG (two charts, one above the other). */
public final class CurvePlot {

    private CurvePlot() {
    }

    public static void write(List<LogEntry> entries, String title, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart loss = new XYChartBuilder().width(900).height(380).title(title + ": training loss (L1, 0-255 scale)")
                .xAxisTitle("iteration").yAxisTitle("loss").build();
        XYChart psnr = new XYChartBuilder().width(900).height(380).title("validation PSNR (Y, shave = scale)")
                .xAxisTitle("iteration").yAxisTitle("dB").build();
        loss.getStyler().setLegendVisible(false);
        psnr.getStyler().setYAxisDecimalPattern("0.00");

        List<Double> steps = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        Map<String, TreeMap<Long, Double>> bySet = new TreeMap<>();
        for (LogEntry e : entries) {
            if ("train".equals(e.type()) && e.loss() != null) {
                steps.add((double) e.step());
                losses.add(e.loss());
            } else if ("val".equals(e.type()) && e.psnr() != null) {
                e.psnr().forEach((set, db) -> bySet.computeIfAbsent(set, k -> new TreeMap<>()).put(e.step(), db));
            }
        }
        if (!steps.isEmpty()) {
            loss.addSeries("loss", steps, losses).setMarker(SeriesMarkers.NONE);
        }
        bySet.forEach((set, points) -> psnr.addSeries(set,
                points.keySet().stream().map(Long::doubleValue).toList(), new ArrayList<>(points.values())));

        List<XYChart> charts = new ArrayList<>();
        charts.add(loss);
        if (!bySet.isEmpty()) {
            charts.add(psnr);
        }
        Path tmp = png.resolveSibling(png.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            BitmapEncoder.saveBitmap(charts, charts.size(), 1, out, BitmapEncoder.BitmapFormat.PNG);
        }
        Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
