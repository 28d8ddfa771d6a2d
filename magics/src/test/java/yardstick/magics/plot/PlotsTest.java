package yardstick.magics.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import yardstick.tracker.ui.Lttb;

class PlotsTest {
    @Test
    void lttbKeepsEndsPeaksAndCount() {
        int n = 10_000;
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = Math.sin(i / 500.0);
        }
        y[6_543] = 50;  // a spike a plain every-k-th sample would most likely miss
        int[] keep = Lttb.select(x, y, 800);
        assertEquals(800, keep.length);
        assertEquals(0, keep[0]);
        assertEquals(n - 1, keep[799]);
        for (int i = 1; i < keep.length; i++) assertTrue(keep[i] > keep[i - 1], "ascending");
        assertTrue(Arrays.stream(keep).anyMatch(i -> i == 6_543), "the spike is kept");
        assertArrayEquals(new int[] {0, 1, 2}, Lttb.select(new double[] {1, 2, 3}, new double[] {3, 1, 2}, 800));
    }

    @Test
    void lttbByHandOnFivePoints() {
        // Three buckets between the ends: {1}, {2}, {3}; with threshold 4 there are two middle buckets over 3 points:
        // every = 1.5, bucket 0 = [1, 2), bucket 1 = [2, 4). Bucket 0 keeps point 1 (the only one). For bucket 1, a = 1,
        // next-bucket mean = point 4 (5, 0): areas |(x1-5)(y-y1) - (x1-x)(0-y1)| for points 2 (3, 10) and 3 (4, 0):
        // point 2: |(-3)(10-1) - (2-3)(-1)| = |-27 - 1| = 28; point 3: |(-3)(-1) - (2-4)(-1)| = |3 - 2| = 1 -> keep 2.
        double[] x = {1, 2, 3, 4, 5}, y = {0, 1, 10, 0, 0};
        assertArrayEquals(new int[] {0, 1, 2, 4}, Lttb.select(x, y, 4));
    }

    static Table table() {
        return Table.create("t", DoubleColumn.create("step", 1, 2, 3, 4), DoubleColumn.create("loss", 4, 3, 2.5, 2),
                StringColumn.create("model", "a", "b", "a", "b"));
    }

    @Test
    void chartsOfEveryKind() throws Exception {
        XYChart line = (XYChart) Plots.plot(table(), Plots.Kind.LINE, "step", "loss", "model", null);
        assertEquals(2, line.getSeriesMap().size());
        assertEquals("loss by step", line.getTitle());
        CategoryChart bar = (CategoryChart) Plots.plot(table(), Plots.Kind.BAR, "model", "loss", null, "mean loss");
        assertEquals(1, bar.getSeriesMap().size());
        assertEquals(Arrays.asList(3.25, 2.5), bar.getSeriesMap().get("all").getYData());
        CategoryChart hist = (CategoryChart) Plots.plot(table(), Plots.Kind.HIST, null, "loss", null, null);
        assertEquals(4, hist.getSeriesMap().get("all").getYData().stream().mapToInt(Number::intValue).sum());
        assertEquals(2, Plots.plot(table(), Plots.Kind.BOX, "model", "loss", null, null).getSeriesMap().size());
        byte[] png = BitmapEncoder.getBitmapBytes(line, BitmapEncoder.BitmapFormat.PNG);
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
    }

    @Test
    void badColumnsAreNamed() {
        assertEquals("the table has no column 'acc'; it has [step, loss, model]",
                assertThrows(PlotException.class, () -> Plots.line(table(), "step", "acc")).getMessage());
        assertEquals("column 'model' is string, not numbers",
                assertThrows(PlotException.class, () -> Plots.line(table(), "model", "loss")).getMessage());
        assertEquals("--kind is line, bar, scatter, box or hist, not 'pie'",
                assertThrows(PlotException.class, () -> Plots.Kind.parse("pie")).getMessage());
    }

    @Test
    void aMillionPointLineIsReducedToTheChartWidth() {
        int n = 1_000_000;
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = Math.sin(i / 1e4);
        }
        XYChart c = Plots.line(Table.create("big", DoubleColumn.create("x", x), DoubleColumn.create("y", y)), "x", "y");
        assertEquals(Plots.WIDTH, c.getSeriesMap().get("all").getXData().length);
    }
}
