package yardstick.tracker.review;

import java.util.List;

/** Review sessions, their items, raters' queues and answers, in the tracker's database; every method is atomic. */
public interface ReviewStore {
    void create(ReviewSession session, List<ReviewItem> items, List<RaterQueue> queues);

    /** The session, or a RESOURCE_DOES_NOT_EXIST error. */
    ReviewSession session(String id);

    /** Sessions newest first: all of them, or those named {@code name}. */
    List<ReviewSession> sessions(String name);

    /** The queue a link token's hash opens, or null when no link has it. */
    RaterQueue queueByToken(String tokenHash);

    List<RaterQueue> queues(String sessionId);

    ReviewItem item(String sessionId, int index);

    List<ReviewItem> items(String sessionId);

    /** Saves an answer, replacing the rater's earlier answer to the same item. */
    void answer(String sessionId, Answer answer);

    /** How many answers (skips included) a session has, of all raters. */
    int answerCount(String sessionId);

    /** Answers in a session, of one rater or (null) of all. */
    List<Answer> answers(String sessionId, String rater);

    /** Closes the session: its links stop working. Closing a closed session keeps the first close time. */
    void close(String sessionId, long time);
}
