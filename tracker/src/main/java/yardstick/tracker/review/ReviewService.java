package yardstick.tracker.review;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import yardstick.tracker.model.ErrorCode;
import yardstick.tracker.model.Metric;
import yardstick.tracker.model.MlflowException;
import yardstick.tracker.model.Param;
import yardstick.tracker.model.RunStatus;
import yardstick.tracker.model.Tag;
import yardstick.tracker.model.Tags;
import yardstick.tracker.review.ReviewSession.Mode;
import yardstick.tracker.store.TrackerStore;

/**
 * What review sessions do: publishing one (items, a queue and a secret link per rater, a run that records it),
 * opening a rater's queue from a link token, recording answers, closing. A link token is the rater's only credential
 * and opens that rater's own queue and nothing else.
 */
public final class ReviewService {
    public static final String SESSION_TAG = "yardstick.review.session";
    static final int MAX_ITEMS = 10_000;
    static final int MAX_RATERS = 100;
    static final int MAX_RATIONALE = 10_000;
    private static final Pattern RATER = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");
    private static final Set<String> CHOICES = Set.of("A", "B", "TIE", "BOTH_BAD");

    private final TrackerStore store;
    private final ReviewStore reviews;
    private final SecureRandom random = new SecureRandom();
    /** Each session's total queue length, fixed at publishing, so progress needs no queue reads per answer. */
    private final Map<String, Integer> slots = new java.util.concurrent.ConcurrentHashMap<>();

    public ReviewService(TrackerStore store) {
        this.store = store;
        this.reviews = store.reviews();
    }

    public ReviewStore reviews() {
        return reviews;
    }

    /** What publishing asks for; {@code perRater} 0 gives every rater every item, {@code expires} 0 never. */
    public record Request(String name, Mode mode, String rubric, List<String> raters, int perRater, long expires,
            String experimentId, String parentRunId, List<ReviewItem> items) {}

    /** A published session and each rater's link token (shown once, never stored). */
    public record Published(ReviewSession session, Map<String, String> tokens) {}

    /** A rater's queue opened by link: the session and the queue. */
    public record Access(ReviewSession session, RaterQueue queue) {}

    /** One position of a queue as the rater sees it: outputs in the order shown, and the rater's earlier answer. */
    public record Shown(int position, int total, int answered, ReviewItem item, List<String> outputs, Answer previous) {}

    public Published publish(Request r) {
        if (r.name() == null || r.name().isBlank() || r.name().length() > 256) {
            throw MlflowException.invalidParameter("A review session needs a name of 1 to 256 characters");
        }
        if (r.raters() == null || r.raters().isEmpty() || r.raters().size() > MAX_RATERS) {
            throw MlflowException.invalidParameter("A review session needs 1 to " + MAX_RATERS + " raters");
        }
        for (String rater : r.raters()) {
            if (!RATER.matcher(rater).matches()) {
                throw MlflowException.invalidParameter("Rater name '" + rater + "' must be 1-64 letters, digits, or _ . @ -");
            }
        }
        if (new HashSet<>(r.raters()).size() != r.raters().size()) {
            throw MlflowException.invalidParameter("A rater is listed twice in " + r.raters());
        }
        if (r.items() == null || r.items().isEmpty() || r.items().size() > MAX_ITEMS) {
            throw MlflowException.invalidParameter("A review session needs 1 to " + MAX_ITEMS + " items");
        }
        int outputs = r.mode() == Mode.ARENA ? 2 : 1;
        Set<String> models = new java.util.LinkedHashSet<>();
        for (ReviewItem i : r.items()) {
            if (i.outputs() == null || i.outputs().size() != outputs) {
                throw MlflowException.invalidParameter("Item '" + i.key() + "' has " + (i.outputs() == null ? 0 : i.outputs().size())
                        + " outputs; " + (r.mode() == Mode.ARENA ? "an arena item has two" : "a rating item has one"));
            }
            if (outputs == 2 && i.outputs().get(0).model().equals(i.outputs().get(1).model())) {
                throw MlflowException.invalidParameter("Item '" + i.key() + "' pairs model '" + i.outputs().get(0).model() + "' with itself");
            }
            i.outputs().forEach(o -> models.add(o.model()));
        }
        if (r.perRater() < 0 || r.perRater() > r.items().size()) {
            throw MlflowException.invalidParameter("per_rater is 0 (every item) to " + r.items().size() + ", not " + r.perRater());
        }
        long now = System.currentTimeMillis();
        if (r.expires() != 0 && r.expires() <= now) throw MlflowException.invalidParameter("The session would expire before it starts");
        String id = UUID.randomUUID().toString().replace("-", "");
        String runId = startRun(r, id, now);
        List<ReviewItem> items = new ArrayList<>();
        for (int k = 0; k < r.items().size(); k++) {
            ReviewItem i = r.items().get(k);
            items.add(new ReviewItem(k, i.key(), i.input() == null ? Map.of() : i.input(), i.context(), i.outputs()));
        }
        Map<String, String> tokens = new LinkedHashMap<>();
        List<RaterQueue> queues = new ArrayList<>();
        for (String rater : r.raters()) {
            String token = newToken();
            tokens.put(rater, token);
            queues.add(new RaterQueue(id, rater, hash(token), queue(r.mode(), items.size(), r.perRater())));
        }
        ReviewSession s = new ReviewSession(id, r.name(), r.mode(), r.rubric() == null ? "" : r.rubric(), List.copyOf(models),
                List.copyOf(r.raters()), items.size(), now, r.expires(), null, runId);
        reviews.create(s, items, queues);
        return new Published(s, tokens);
    }

    /**
     * A rater's order: the set's order when rating every item; a random subset when each rates fewer; in arena mode
     * always shuffled, each pair shown swapped or not at random, per rater.
     */
    private List<RaterQueue.Slot> queue(Mode mode, int items, int perRater) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < items; i++) order.add(i);
        if (mode == Mode.ARENA || perRater > 0) Collections.shuffle(order, random);
        int n = perRater > 0 ? perRater : items;
        if (mode == Mode.RATE && perRater > 0) Collections.sort(order.subList(0, n));
        List<RaterQueue.Slot> slots = new ArrayList<>();
        for (int i = 0; i < n; i++) slots.add(new RaterQueue.Slot(order.get(i), mode == Mode.ARENA && random.nextBoolean()));
        return slots;
    }

    private String startRun(Request r, String id, long now) {
        String experiment = r.experimentId() == null || r.experimentId().isBlank() ? "0" : r.experimentId();
        List<Tag> tags = new ArrayList<>(List.of(new Tag(SESSION_TAG, id)));
        if (r.parentRunId() != null && !r.parentRunId().isBlank()) tags.add(new Tag(Tags.PARENT_RUN_ID, r.parentRunId()));
        String runId = store.createRun(experiment, "review", now, "review " + r.name(), tags).info().runId();
        store.logBatch(runId, List.of(new Metric("items", r.items().size(), now, 0), new Metric("raters", r.raters().size(), now, 0),
                        new Metric("completion", 0, now, 0)),
                List.of(new Param("review_session", id), new Param("eval_set", r.name()), new Param("mode", r.mode().name().toLowerCase()),
                        new Param("raters", truncate(String.join(",", r.raters()))), new Param("per_rater", Integer.toString(r.perRater()))),
                List.of());
        return runId;
    }

    /** The queue a link token opens; a token no link has, or a closed or expired session's, is refused alike. */
    public Access open(String token) {
        RaterQueue q = token == null || token.length() > 100 ? null : reviews.queueByToken(hash(token));
        if (q == null) throw new MlflowException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "This review link is not valid.", 404);
        ReviewSession s = reviews.session(q.sessionId());
        if (!s.open(System.currentTimeMillis())) {
            throw new MlflowException(ErrorCode.PERMISSION_DENIED, "This review has ended: its links no longer work. Thank you!", 410);
        }
        return new Access(s, q);
    }

    /** Position {@code position} (1-based) of the rater's queue; null picks the first unanswered; null when all are answered. */
    public Shown show(Access a, Integer position) {
        Map<Integer, Answer> answers = answersByItem(a);
        int total = a.queue().slots().size();
        int p;
        if (position == null) {
            p = firstOpen(a, answers, 0);
            if (p < 0) return null;
        } else {
            p = checkPosition(a, position) - 1;
        }
        RaterQueue.Slot slot = a.queue().slots().get(p);
        ReviewItem item = reviews.item(a.session().id(), slot.item());
        List<String> shown = new ArrayList<>();
        for (ReviewItem.Output o : item.outputs()) shown.add(o.text());
        if (slot.swapped()) Collections.reverse(shown);
        return new Shown(p + 1, total, answers.size(), item, shown, answers.get(slot.item()));
    }

    /**
     * Records the rater's answer at {@code position}: a score 1-5 (rating), a choice A, B, TIE or BOTH_BAD as shown
     * (arena), or a skip; an earlier answer to it is replaced. Returns the next unanswered position, or 0 when none is left.
     */
    public int answer(Access a, int position, Integer score, String choice, boolean skip, String rationale) {
        int p = checkPosition(a, position) - 1;
        ReviewSession s = a.session();
        if (!skip) {
            if (s.mode() == Mode.RATE && (score == null || score < 1 || score > 5)) {
                throw MlflowException.invalidParameter("A rating is a score from 1 to 5" + (score == null ? "" : ", not " + score));
            }
            if (s.mode() == Mode.ARENA && (choice == null || !CHOICES.contains(choice))) {
                throw MlflowException.invalidParameter("A vote is A, B, TIE or BOTH_BAD" + (choice == null ? "" : ", not '" + choice + "'"));
            }
        }
        if (rationale != null && rationale.length() > MAX_RATIONALE) {
            throw MlflowException.invalidParameter("A rationale is at most " + MAX_RATIONALE + " characters");
        }
        RaterQueue.Slot slot = a.queue().slots().get(p);
        long now = System.currentTimeMillis();
        reviews.answer(s.id(), new Answer(a.queue().rater(), slot.item(), skip || s.mode() != Mode.RATE ? null : score,
                skip || s.mode() != Mode.ARENA ? null : choice, slot.swapped(), rationale == null ? "" : rationale, skip, now));
        Map<Integer, Answer> answers = answersByItem(a);
        logProgress(s, a.queue().rater(), answers.size(), now);
        int next = firstOpen(a, answers, p + 1);
        return next < 0 ? 0 : next + 1;
    }

    /** Completion (answers over all queues' lengths) and this rater's count, as metrics of the session's run. */
    private void logProgress(ReviewSession s, String rater, int raterAnswers, long now) {
        if (s.runId() == null) return;
        int total = slots.computeIfAbsent(s.id(), id -> reviews.queues(id).stream().mapToInt(q -> q.slots().size()).sum());
        int answered = reviews.answerCount(s.id());
        try {
            store.logBatch(s.runId(), List.of(new Metric("completion", total == 0 ? 0 : (double) answered / total, now, answered),
                    new Metric("answered " + rater, raterAnswers, now, raterAnswers)), List.of(), List.of());
        } catch (MlflowException runGone) {
            // The answer is saved; a deleted run only loses its progress chart.
        }
    }

    private Map<Integer, Answer> answersByItem(Access a) {
        Map<Integer, Answer> m = new HashMap<>();
        for (Answer x : reviews.answers(a.session().id(), a.queue().rater())) m.put(x.item(), x);
        return m;
    }

    /** The first position from {@code from} on (then from the start) whose item has no answer; -1 when there is none. */
    private static int firstOpen(Access a, Map<Integer, Answer> answers, int from) {
        List<RaterQueue.Slot> slots = a.queue().slots();
        for (int k = 0; k < slots.size(); k++) {
            int p = (from + k) % slots.size();
            if (!answers.containsKey(slots.get(p).item())) return p;
        }
        return -1;
    }

    private static int checkPosition(Access a, int position) {
        int total = a.queue().slots().size();
        if (position < 1 || position > total) {
            throw MlflowException.invalidParameter("Position " + position + " is outside this queue (1 to " + total + ")");
        }
        return position;
    }

    /** The rater's own answers in queue order, for the thank-you page. */
    public List<Answer> own(Access a) {
        return reviews.answers(a.session().id(), a.queue().rater());
    }

    /** Closes the session (its links stop working) and ends its run. */
    public ReviewSession close(String sessionId) {
        long now = System.currentTimeMillis();
        reviews.close(sessionId, now);
        ReviewSession s = reviews.session(sessionId);
        if (s.runId() != null) {
            try {
                store.updateRun(s.runId(), RunStatus.FINISHED, now, null);
            } catch (MlflowException runGone) {
                // Closing must work even when someone deleted the run.
            }
        }
        return s;
    }

    /** SHA-256 of a token, hex: what the store keeps, so its contents open no queue. */
    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String newToken() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String truncate(String s) {
        return s.length() <= 6000 ? s : s.substring(0, 5997) + "...";
    }
}
