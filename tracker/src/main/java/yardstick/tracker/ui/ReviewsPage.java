package yardstick.tracker.ui;

import java.util.ArrayList;
import java.util.List;
import yardstick.tracker.review.Answer;
import yardstick.tracker.review.RaterQueue;
import yardstick.tracker.review.ReviewSession;
import yardstick.tracker.review.ReviewStore;

/** The open review sessions: what is being reviewed, by whom, how far along; never their links. */
public final class ReviewsPage {
    /** One session's line: its progress as answers over queue slots, across raters. */
    public record Row(String name, String mode, String raters, int items, int answered, int slots, String created,
            String expires, String runId) {}

    private ReviewsPage() {}

    static String render(ReviewStore reviews) {
        long now = System.currentTimeMillis();
        List<Row> rows = new ArrayList<>();
        for (ReviewSession s : reviews.sessions(null)) {
            if (!s.open(now)) continue;
            int slots = 0;
            for (RaterQueue q : reviews.queues(s.id())) slots += q.slots().size();
            List<Answer> answers = reviews.answers(s.id(), null);
            rows.add(new Row(s.name(), s.mode().name().toLowerCase(), String.join(", ", s.raters()), s.items(), answers.size(),
                    slots, Format.time(s.created()), s.expires() == 0 ? "never" : Format.time(s.expires()), s.runId()));
        }
        return Templates.render("reviews.jte", "rows", rows);
    }
}
