package yardstick.tracker.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import yardstick.tracker.Http;
import yardstick.tracker.server.JsonCodec;

/** What the review tests share: publishing a session over the REST API as a notebook does, and answering as a page does. */
final class Reviewing {
    static final String SECRET_MODEL = "gpt-secret-model";

    private Reviewing() {}

    /** A request for {@code n} items; in arena mode each pairs "baseline" with {@link #SECRET_MODEL}. */
    static ObjectNode request(String name, String mode, int n, List<String> raters) {
        ObjectNode r = JsonCodec.object().put("name", name).put("mode", mode).put("rubric", "5: **right** and brief. 1: wrong.");
        ArrayNode rs = r.putArray("raters");
        raters.forEach(rs::add);
        ArrayNode items = r.putArray("items");
        for (int i = 0; i < n; i++) {
            ObjectNode item = items.addObject().put("key", "row" + i);
            item.putObject("input").put("question", "Capital of country " + i + "?");
            ArrayNode outputs = item.putArray("outputs");
            outputs.addObject().put("model", "baseline").put("output", "City " + i + " <script>alert(1)</script>");
            if (mode.equals("arena")) outputs.addObject().put("model", SECRET_MODEL).put("output", "Town " + i);
        }
        return r;
    }

    static Http.Answer api(String base, String endpoint, ObjectNode body, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + ReviewApi.PREFIX + endpoint))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return Http.send(b);
    }

    static Http.Answer apiGet(String base, String endpointAndQuery, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + ReviewApi.PREFIX + endpointAndQuery)).GET();
        if (token != null) b.header("Authorization", "Bearer " + token);
        return Http.send(b);
    }

    static JsonNode publish(String base, ObjectNode request) {
        Http.Answer a = api(base, "create", request, null);
        if (a.status() != 200) throw new AssertionError(a.status() + " " + a.body());
        return a.json();
    }

    /** Posts an answer as the page's script does. */
    static Http.Answer answer(String base, String link, ObjectNode answer) {
        return Http.send(HttpRequest.newBuilder(URI.create(base + link + "/answer")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(answer.toString())));
    }

    static ObjectNode score(int position, int score) {
        return JsonCodec.object().put("position", position).put("score", score).put("rationale", "because " + score);
    }
}
