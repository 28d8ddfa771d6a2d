package yardstick.spark.driver;

import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.SparkStatusTracker;

/**
 * Follows one job group through Spark's status tracker and reports tasks done of tasks known, a few times a second,
 * for the notebook's progress bar.
 */
final class JobProgress implements AutoCloseable {
    private final Thread thread;

    JobProgress(SparkStatusTracker tracker, String group, Events events) {
        thread = Thread.ofPlatform().daemon().name("spark-progress").start(() -> {
            long lastDone = -1, lastTotal = -1;
            while (!Thread.currentThread().isInterrupted()) {
                long done = 0, total = 0;
                for (int job : tracker.getJobIdsForGroup(group)) {
                    SparkJobInfo info = tracker.getJobInfo(job).getOrElse(() -> null);
                    if (info == null) continue;
                    for (int stage : info.stageIds()) {
                        SparkStageInfo s = tracker.getStageInfo(stage).getOrElse(() -> null);
                        if (s == null) continue;
                        done += s.numCompletedTasks();
                        total += s.numTasks();
                    }
                }
                if (total > 0 && (done != lastDone || total != lastTotal)) {
                    events.progress(done, total);
                    lastDone = done;
                    lastTotal = total;
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
