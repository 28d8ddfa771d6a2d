package yardstick.tracker.ui;

import java.util.List;
import yardstick.tracker.model.LifecycleStage;
import yardstick.tracker.model.Metric;
import yardstick.tracker.model.Run;
import yardstick.tracker.model.Tag;
import yardstick.tracker.ui.Views.Crumb;
import yardstick.tracker.ui.Views.PostForm;

/** What the run page shows of one run: metrics logged once as a table, the others (latest point given) as charts. */
public record RunPage(
        Run run,
        List<Crumb> crumbs,
        PostForm lifecycleForm,
        List<Tag> tags,
        String cellSource,
        List<Metric> singles,
        List<Metric> charts,
        boolean artifactsElsewhere,
        List<ArtifactLine> artifacts) {

    /** A file or folder in the run's artifact tree, {@code depth} folders down. */
    public record ArtifactLine(String name, String path, boolean directory, long size, int depth) {}

    public boolean deleted() {
        return run.info().lifecycleStage() == LifecycleStage.DELETED;
    }
}
