package yardstick.tracker.ui;

/**
 * Largest-triangle-three-buckets downsampling (Steinarsson 2013): keeps the first and last points and, from each of
 * {@code threshold - 2} equal buckets between them, the point that spans the largest triangle with the point kept
 * before it and the mean of the next bucket. A line drawn through the result keeps the series' peaks and shape at a
 * fraction of the points, so a chart {@code threshold} pixels wide looks the same and renders much faster.
 */
public final class Lttb {
    private Lttb() {}

    /** The indices of the points to keep, ascending; all of them when there are no more than {@code threshold}. */
    public static int[] select(double[] x, double[] y, int threshold) {
        int n = x.length;
        if (y.length != n) throw new IllegalArgumentException("x and y differ in length: " + n + " vs " + y.length);
        if (threshold >= n || threshold < 3) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) all[i] = i;
            return all;
        }
        int[] keep = new int[threshold];
        double every = (double) (n - 2) / (threshold - 2);
        int a = 0;
        keep[0] = 0;
        for (int i = 0; i < threshold - 2; i++) {
            int avgStart = (int) Math.floor((i + 1) * every) + 1;
            int avgEnd = Math.min((int) Math.floor((i + 2) * every) + 1, n);
            double avgX = 0, avgY = 0;
            for (int j = avgStart; j < avgEnd; j++) {
                avgX += x[j];
                avgY += y[j];
            }
            int len = avgEnd - avgStart;
            if (len > 0) {
                avgX /= len;
                avgY /= len;
            } else {
                avgX = x[n - 1];
                avgY = y[n - 1];
            }
            int start = (int) Math.floor(i * every) + 1, end = (int) Math.floor((i + 1) * every) + 1;
            double best = -1;
            int bestIdx = start;
            for (int j = start; j < end; j++) {
                double area = Math.abs((x[a] - avgX) * (y[j] - y[a]) - (x[a] - x[j]) * (avgY - y[a]));
                if (area > best) {
                    best = area;
                    bestIdx = j;
                }
            }
            keep[i + 1] = bestIdx;
            a = bestIdx;
        }
        keep[threshold - 1] = n - 1;
        return keep;
    }

    /** The kept points as {x[], y[]}. */
    public static double[][] downsample(double[] x, double[] y, int threshold) {
        int[] idx = select(x, y, threshold);
        double[] xs = new double[idx.length], ys = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            xs[i] = x[idx[i]];
            ys[i] = y[idx[i]];
        }
        return new double[][] {xs, ys};
    }
}
