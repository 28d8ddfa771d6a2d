package yardstick.magics.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import yardstick.magics.finetune.job.JobException;
import yardstick.magics.finetune.job.JobRecord;
import yardstick.magics.finetune.job.JobRegistry;
import yardstick.magics.finetune.job.JobSpec;
import yardstick.magics.finetune.job.JobState;
import yardstick.magics.finetune.job.LocalBackend;
import yardstick.magics.finetune.train.TrainerMain;

/** Real trainer processes on tiny models: each job here trains for a few seconds. */
class FinetuneTest {
    static final Path DJL_CACHE = Path.of("target", "djl-cache").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Finetune jobs() {
        return new Finetune(new JobRegistry(tmp.resolve("jobs")), Map.of("local", new LocalBackend(DJL_CACHE)), () -> null);
    }

    /** A text with plenty of structure for a byte model to pick up quickly. */
    private Path text() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 300; i++) b.append("the cat sat on the mat. ");
        return Files.writeString(tmp.resolve("cats.txt"), b);
    }

    private static JobSpec tinyLm(Path data, int steps) {
        return JobSpec.of("lm", data.toString()).withModel(32, 32, 1, 2).withTraining(1, 3e-3, 8, steps, 10);
    }

    private List<JsonNode> progress(Finetune f, String id) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(f.registry().dir(id).resolve(TrainerMain.PROGRESS))) out.add(JSON.readTree(l));
        return out;
    }

    private static List<Double> losses(List<JsonNode> lines) {
        return lines.stream().filter(n -> n.has("loss") && !n.has("event")).map(n -> n.get("loss").asDouble()).toList();
    }

    @Test
    void lmJobLossFallsAndItsModelAnswersPrompts() throws Exception {
        Finetune f = jobs();
        String id = f.launch(tinyLm(text(), 60));
        JobRecord r = f.await(id, Duration.ofMinutes(3));
        assertEquals(JobState.FINISHED, r.state(), () -> r.reason() + "\n" + f.logs(id, 30));
        List<Double> loss = losses(progress(f, id));
        assertEquals(60, loss.size());
        double first = loss.get(0), last = loss.subList(50, 60).stream().mapToDouble(d -> d).average().orElseThrow();
        assertTrue(last < first * 0.5, "loss " + first + " -> " + last);
        Path model = f.result(id);
        String answer = yardstick.magics.llm.Llm.model("local:" + model).withTemperature(0).withMaxTokens(20)
                .withoutCache().complete("the cat sat").text();
        // Sixty steps teach the alphabet of the text, not yet its words: an untrained model would emit any of 256 bytes.
        assertTrue(!answer.isEmpty() && answer.chars().allMatch(ch -> "the cat sat on mat.".indexOf(ch) >= 0), answer);
        // Checkpoints every 10 steps, the last two kept.
        assertEquals(2, Files.list(f.registry().dir(id).resolve("checkpoints")).count());
    }

    @Test
    void classifyJobBeatsChanceByFar() throws Exception {
        String[] good = {"I love this, it works great", "Excellent quality, very happy", "Fantastic product, would buy again",
                "Wonderful experience, highly recommended", "Great value and fast delivery", "Superb, exceeded my hopes",
                "Really pleased with it", "Absolutely brilliant purchase", "Five stars, perfect", "Very good, I like it a lot",
                "Best thing I bought this year", "Lovely and well made"};
        String[] bad = {"Terrible, it broke in a day", "Awful quality, very disappointed", "Waste of money, do not buy",
                "Horrible experience, never again", "Poor value and slow delivery", "Dreadful, worse than expected",
                "Really unhappy with it", "Absolutely useless purchase", "One star, broken", "Very bad, I hate it",
                "Worst thing I bought this year", "Ugly and badly made"};
        StringBuilder csv = new StringBuilder("text,label\n");
        for (int i = 0; i < good.length; i++) csv.append('"').append(good[i]).append("\",pos\n").append('"').append(bad[i]).append("\",neg\n");
        Path data = Files.writeString(tmp.resolve("reviews.csv"), csv);
        Finetune f = jobs();
        String id = f.launch(JobSpec.of("classify", data.toString()).withTraining(30, 3e-3, 8, 0, 0));
        JobRecord r = f.await(id, Duration.ofMinutes(3));
        assertEquals(JobState.FINISHED, r.state(), () -> r.reason() + "\n" + f.logs(id, 30));
        double val = progress(f, id).stream().filter(n -> "val_accuracy".equals(n.path("key").asText()))
                .mapToDouble(n -> n.get("value").asDouble()).reduce((a, b) -> b).orElseThrow();
        assertTrue(val >= 0.8, "validation accuracy " + val);
        Classifier c = Classifier.load(f.result(id));
        assertEquals(List.of("neg", "pos"), c.labels());
        assertEquals("pos", c.predict("This is great, I am so happy with it"));
        assertEquals("neg", c.predict("This is awful, it broke and I want my money back"));
    }

    @Test
    void cancelStopsTheTrainerWithinFiveSecondsAndResumeContinuesFromTheCheckpoint() throws Exception {
        Finetune f = jobs();
        String id = f.launch(tinyLm(text(), 100_000).withTraining(1, 3e-3, 8, 100_000, 10));
        Path ckpts = f.registry().dir(id).resolve("checkpoints");
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!(Files.isDirectory(ckpts) && Files.list(ckpts).anyMatch(p -> p.toString().endsWith(".ysw")))) {
            assertTrue(System.nanoTime() < deadline, "no checkpoint after 2 minutes:\n" + f.logs(id, 20));
            Thread.sleep(100);
        }
        long pid = f.registry().get(id).pid();
        long t0 = System.nanoTime();
        JobRecord r = f.cancel(id);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(JobState.KILLED, r.state());
        assertTrue(seconds < 5, "cancel took " + seconds + " s");
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == false, "trainer still running");

        long checkpointStep = Long.parseLong(Files.list(ckpts).map(p -> p.getFileName().toString()).sorted()
                .reduce((a, b) -> b).orElseThrow().replaceAll("\\D", ""));
        f.resume(id);
        deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        JsonNode start = null;
        while (start == null) {
            assertTrue(System.nanoTime() < deadline, "the resumed job never started:\n" + f.logs(id, 20));
            List<JsonNode> starts = progress(f, id).stream().filter(n -> "start".equals(n.path("event").asText())).toList();
            if (starts.size() == 2) start = starts.get(1);
            else Thread.sleep(100);
        }
        assertEquals(checkpointStep, start.get("first_step").asLong());
        assertEquals(JobState.KILLED, f.cancel(id).state());
    }

    @Test
    void aTrainerThatDiesIsFailedWithItsLogTail() throws Exception {
        Finetune f = jobs();
        String id = f.launch(tinyLm(text(), 100_000));
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (f.progress(id).step() < 1) {
            assertTrue(System.nanoTime() < deadline, "no step after 2 minutes:\n" + f.logs(id, 20));
            Thread.sleep(100);
        }
        // As the kernel sees an out-of-memory kill: the process is gone without a word.
        ProcessHandle.of(f.registry().get(id).pid()).orElseThrow().destroyForcibly();
        JobRecord r = f.await(id, Duration.ofSeconds(30));
        assertEquals(JobState.FAILED, r.state());
        assertTrue(r.reason().contains("stopped without finishing"), r.reason());
        assertTrue(f.logs(id, 20).contains("job " + id), f.logs(id, 20));
    }

    @Test
    void aRestartedKernelReattachesToItsRunningJob() throws Exception {
        Finetune before = jobs();
        String id = before.launch(tinyLm(text(), 150));
        // A new kernel: a new Finetune over the same folder, knowing nothing but the id.
        Finetune after = jobs();
        assertEquals(JobState.RUNNING, after.status(id).state());
        JobRecord r = after.await(id, Duration.ofMinutes(3));
        assertEquals(JobState.FINISHED, r.state(), () -> r.reason() + "\n" + after.logs(id, 30));
        assertTrue(after.progress(id).step() == 150, "last step " + after.progress(id));
        // The first instance still follows the job too: let it finish writing before the folder is removed.
        assertEquals(JobState.FINISHED, before.await(id, Duration.ofMinutes(1)).state());
    }

    @Test
    void nanLossStopsTheJobWithThatReason() throws Exception {
        Finetune f = jobs();
        String id = f.launch(tinyLm(text(), 200).withTraining(1, 1e12, 8, 200, 0));
        JobRecord r = f.await(id, Duration.ofMinutes(2));
        assertEquals(JobState.FAILED, r.state());
        assertTrue(r.reason().startsWith("loss is NaN at step"), r.reason());
    }

    @Test
    void badInputIsNamedBeforeLaunch() throws Exception {
        Finetune f = jobs();
        Path csv = Files.writeString(tmp.resolve("a.csv"), "sentence,label\nhello,x\nbye,y\n");
        Path empty = Files.writeString(tmp.resolve("empty.csv"), "text,label\n");
        Path oneLabel = Files.writeString(tmp.resolve("one.jsonl"), "{\"text\":\"a\",\"label\":\"x\"}\n{\"text\":\"b\",\"label\":\"x\"}\n");
        Path noLabel = Files.writeString(tmp.resolve("nolabel.jsonl"), "{\"text\":\"a\"}\n");
        assertMessage(f, JobSpec.of("classify", tmp.resolve("missing.csv").toString()), "does not exist");
        assertMessage(f, JobSpec.of("classify", csv.toString()), "has no column 'text'; its columns are [sentence, label]");
        assertMessage(f, JobSpec.of("classify", empty.toString()), "has no rows");
        assertMessage(f, JobSpec.of("classify", oneLabel.toString()), "only the label [x]");
        assertMessage(f, JobSpec.of("classify", noLabel.toString()), "has no column 'label'");
        assertMessage(f, JobSpec.of("lm", Files.writeString(tmp.resolve("blank.txt"), "  \n").toString()), "is empty");
        assertMessage(f, JobSpec.of("lm", text().toString()).withBase("no-such-model"), "unknown base model 'no-such-model'");
        assertMessage(f, JobSpec.of("classify", csv.toString()).withColumns("sentence", "label").withBase("bert"), "unknown base model 'bert'");
        assertMessage(f, JobSpec.of("lm", text().toString()).withPlacement("gpu", "local", 1), "--device gpu: no GPU here");
        assertMessage(f, JobSpec.of("translate", text().toString()), "unknown task 'translate'");
        assertEquals(List.of(), f.registry().list(), "nothing was launched");
    }

    private static void assertMessage(Finetune f, JobSpec spec, String part) {
        JobException e = assertThrows(JobException.class, () -> f.launch(spec));
        assertTrue(e.getMessage().contains(part), e.getMessage());
        assertNotNull(e.getMessage());
    }
}
