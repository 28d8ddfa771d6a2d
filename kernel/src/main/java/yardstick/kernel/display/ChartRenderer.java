package yardstick.kernel.display;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/** XChart charts as PNG (the fast {@link Png} writer) and SVG. */
final class ChartRenderer implements Renderer {
    @Override
    public boolean supports(Object value) {
        return value instanceof Chart;
    }

    @Override
    public MimeBundle render(Object value) throws IOException {
        Chart<?, ?> chart = (Chart<?, ?>) value;
        byte[] png = Png.chart(chart);
        ByteArrayOutputStream svg = new ByteArrayOutputStream();
        VectorGraphicsEncoder.saveVectorGraphic(chart, svg, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        String title = chart.getTitle() == null || chart.getTitle().isEmpty() ? "chart" : chart.getTitle();
        return new MimeBundle()
                .put("image/png", Base64.getEncoder().encodeToString(png))
                .put("image/svg+xml", svg.toString(StandardCharsets.UTF_8))
                .put("text/plain", "<" + chart.getClass().getSimpleName() + " \"" + title + "\" "
                        + chart.getWidth() + "x" + chart.getHeight() + ">");
    }
}
