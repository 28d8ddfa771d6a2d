package yardstick.tracker.ui;

import java.util.List;
import yardstick.tracker.model.DatasetInput;
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
        Forms forms,
        List<TagLine> tags,
        List<CodeHighlighter.Span> cell,
        List<Metric> singles,
        List<Metric> charts,
        List<Input> inputs,
        boolean artifactsElsewhere,
        List<ArtifactLine> artifacts,
        ArtifactPreview preview) {

    /** The run's forms: lifecycle (delete or restore), rename and set-tag. */
    public record Forms(PostForm lifecycle, PostForm rename, PostForm tag) {}

    /** A tag with the form that deletes it. */
    public record TagLine(Tag tag, PostForm delete) {}

    /** A dataset the run used, with the other runs that used data of the same digest. */
    public record Input(DatasetInput input, String context, List<Run> sameData, String searchUrl) {}

    /** A file or folder in the run's artifact tree, {@code depth} folders down. */
    public record ArtifactLine(String name, String path, boolean directory, long size, int depth) {}

    public boolean deleted() {
        return run.info().lifecycleStage() == LifecycleStage.DELETED;
    }
}
