package yardstick.magics.finetune.job;

import com.fasterxml.jackson.databind.JsonNode;

/** A job's latest step as the trainer reported it. */
public record Progress(long step, long steps, int epoch, double loss, double throughput, String unit, double etaS,
        double elapsedS) {
    public static final Progress NONE = new Progress(0, 0, 0, Double.NaN, 0, "", Double.NaN, 0);

    static Progress of(JsonNode n) {
        return new Progress(n.path("step").asLong(), n.path("steps").asLong(), n.path("epoch").asInt(),
                n.path("loss").asDouble(Double.NaN), n.path("throughput").asDouble(), n.path("unit").asText(""),
                n.path("eta_s").asDouble(Double.NaN), n.path("elapsed_s").asDouble());
    }

    public double fraction() {
        return steps == 0 ? 0 : (double) step / steps;
    }

    /** "step 40/200 · loss 2.314 · 1,234 tokens/s · ETA 0:42". */
    public String summary() {
        if (steps == 0) return "starting";
        return String.format("step %d/%d%s · loss %.4f · %,.0f %s · ETA %s", step, steps,
                epoch > 0 ? " · epoch " + epoch : "", loss, throughput, unit, clock(etaS));
    }

    static String clock(double seconds) {
        if (Double.isNaN(seconds)) return "?";
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }
}
