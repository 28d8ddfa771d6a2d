package yardstick.tracker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import yardstick.tracker.model.ErrorCode;
import yardstick.tracker.model.MlflowException;
import yardstick.tracker.review.Answer;
import yardstick.tracker.review.RaterQueue;
import yardstick.tracker.review.ReviewItem;
import yardstick.tracker.review.ReviewSession;
import yardstick.tracker.review.ReviewStore;

/**
 * Review sessions in the store, on every back end: what is saved reads back the same, and survives reopening.
 * Each subclass hands in the databases of its kind; each test opens and closes its own stores.
 */
abstract class AbstractReviewStoreTest {
    private final TestDatabase database;

    protected AbstractReviewStoreTest(TestDatabase database) {
        this.database = database;
    }

    @AfterEach
    void removeDatabases() {
        database.close();
    }

    @Test
    void sessionsQueuesAndAnswersRoundTripAndSurviveReopening() {
        ReviewSession s = new ReviewSession("s1", "capitals", ReviewSession.Mode.ARENA, "be strict", List.of("a", "b"),
                List.of("ann", "bob"), 2, 1000, 0, null, null);
        List<ReviewItem> items = List.of(
                new ReviewItem(0, "fr", Map.of("country", "France"), null, List.of(new ReviewItem.Output("a", "Paris"), new ReviewItem.Output("b", "Lyon"))),
                new ReviewItem(1, "de", Map.of("country", "Germany"), "ctx", List.of(new ReviewItem.Output("a", "Berlin"), new ReviewItem.Output("b", "Bonn"))));
        List<RaterQueue> queues = List.of(
                new RaterQueue("s1", "ann", "hash-ann", List.of(new RaterQueue.Slot(1, true), new RaterQueue.Slot(0, false))),
                new RaterQueue("s1", "bob", "hash-bob", List.of(new RaterQueue.Slot(0, true))));
        try (TrackerStore store = JdbcTrackerStore.open(database.newDatabase(), "mlflow-artifacts:")) {
            ReviewStore r = store.reviews();
            r.create(s, items, queues);
            r.answer("s1", new Answer("ann", 1, null, "A", true, "", false, 2000));
            r.answer("s1", new Answer("ann", 1, null, "TIE", true, "changed my mind", false, 3000));
            r.answer("s1", new Answer("bob", 0, null, null, true, "", true, 2500));
            assertThrows(MlflowException.class, () -> r.create(s, items, queues), "a session id is unique");
        }
        try (TrackerStore store = JdbcTrackerStore.open(database.sameDatabase(), "mlflow-artifacts:")) {
            ReviewStore r = store.reviews();
            assertEquals(s, r.session("s1"));
            assertEquals(List.of(s), r.sessions("capitals"));
            assertEquals(List.of(), r.sessions("other"));
            assertEquals(items, r.items("s1"));
            assertEquals(items.get(1), r.item("s1", 1));
            assertEquals(queues.get(0), r.queueByToken("hash-ann"));
            assertNull(r.queueByToken("hash-nobody"));
            assertEquals(queues, r.queues("s1"));
            assertEquals(List.of(new Answer("ann", 1, null, "TIE", true, "changed my mind", false, 3000)), r.answers("s1", "ann"));
            assertEquals(2, r.answers("s1", null).size());
            assertEquals(2, r.answerCount("s1"));
            r.close("s1", 5000);
            r.close("s1", 6000);
            assertEquals(5000L, r.session("s1").closed());
            MlflowException e = assertThrows(MlflowException.class, () -> r.session("nope"));
            assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, e.code());
        }
    }

    @Test
    void scoresRoundTrip() {
        ReviewSession s = new ReviewSession("s2", "x", ReviewSession.Mode.RATE, "", List.of("m"), List.of("ann"), 1, 1, 99, null, "run");
        try (TrackerStore store = JdbcTrackerStore.open(database.newDatabase(), "mlflow-artifacts:")) {
            store.reviews().create(s, List.of(new ReviewItem(0, "k", Map.of(), null, List.of(new ReviewItem.Output("m", "o")))),
                    List.of(new RaterQueue("s2", "ann", "h", List.of(new RaterQueue.Slot(0, false)))));
            store.reviews().answer("s2", new Answer("ann", 0, 4, null, false, "ok", false, 10));
            assertEquals(4, store.reviews().answers("s2", "ann").get(0).score());
        }
    }
}
