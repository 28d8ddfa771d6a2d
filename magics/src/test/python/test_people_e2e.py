"""%rate and %arena driven through the real jupyter_client, as people meet them: in a front end that renders widgets
(an ipywidgets 8 manager: the control comm, then clicks and edits as comm messages), in one that only takes input
(stdin), and in one that does neither (nbconvert: the answers file, or a clear error).

Run by PeopleThroughJupyterTest (JUnit), which installs the kernelspec with the magics test class path and puts the
kernel's src/test/python on PYTHONPATH for its Kernel client.
"""

import json
import os
import sys
import unittest
import uuid

import test_kernel_e2e as e2e
from test_kernel_e2e import Kernel, error_text, of_type, stream_text

# Two rows answered by two systems: four outputs to rate, two blind battles.
SETUP = r"""
import yardstick.magics.eval.*;
import yardstick.magics.eval.arena.*;
var caps = Evals.create("caps");
caps.add("id", "fr", "country", "France", "answer", "Paris");
caps.add("id", "de", "country", "Germany", "answer", "Berlin");
Evals.register(caps);
Evals.system("good", (row, p) -> row.get("answer"));
Evals.system("bad", (row, p) -> "Lyon");
Evals.run("caps", "Capital of {{country}}?", java.util.List.of("good", "bad"), "exact");
"""

RATINGS = 'Ratings.byRater("caps", "%s").stream().map(r -> r.key() + "/" + r.model() + "=" + r.score() + ":" + r.comment()).toList()'
VOTES = 'Arena.votes("caps").stream().filter(v -> v.rater().equals("%s")).map(v -> v.choice() + "").toList()'


def start(name):
    k = Kernel(name, env={"YARDSTICK_TRACKING": "off"})
    reply, _ = k.execute(SETUP, timeout=120)
    assert reply["content"]["status"] == "ok", error_text(reply["content"])
    return k


def ok(test, reply):
    test.assertEqual("ok", reply["content"]["status"], error_text(reply["content"]))


class WidgetFrontEnd(unittest.TestCase):
    """A widget manager attached to the kernel: it opened the control comm, so %rate and %arena show widgets."""

    @classmethod
    def setUpClass(cls):
        cls.k = start("people-widgets")
        cls.control = uuid.uuid4().hex
        msg = cls.k.kc.session.msg("comm_open", {"comm_id": cls.control, "target_name": "jupyter.widget.control",
                                                 "data": {}}, metadata={"version": "1.0.0"})
        cls.k.kc.shell_channel.send(msg)
        cls.k.wait_idle(msg["header"]["msg_id"])

    @classmethod
    def tearDownClass(cls):
        cls.k.close()

    def states(self):
        """What a reloading page gets: every live widget model, through the control comm."""
        msgs = self.k.notify("comm_msg", {"comm_id": self.control, "data": {"method": "request_states"}})
        [answer] = of_type(msgs, "comm_msg")
        self.assertEqual(self.control, answer["content"]["comm_id"])
        data = answer["content"]["data"]
        self.assertEqual("update_states", data["method"])
        return data["states"]

    def open_widget(self, code):
        """Runs a magic that shows a widget; returns (root model id, {model id: state as the front end has it})."""
        reply, msgs = self.k.execute(code, allow_stdin=True)
        ok(self, reply)
        models = {}
        for m in msgs:
            if m["msg_type"] == "comm_open":
                self.assertEqual("jupyter.widget", m["content"]["target_name"])
                models[m["content"]["comm_id"]] = m["content"]["data"]["state"]
            elif m["msg_type"] == "comm_msg":  # the first item is set once the widget is built
                models[m["content"]["comm_id"]].update(m["content"]["data"]["state"])
        [result] = of_type(msgs, "execute_result")
        root = result["content"]["data"][e2e.WIDGET_VIEW]["model_id"]
        self.assertIn(root, models)
        return root, models

    def buttons(self, models):
        return {s["description"]: i for i, s in models.items() if s["_model_name"] == "ButtonModel"}

    def click(self, model_id):
        """Clicks a button; returns {model id: changed state} of the updates the click caused."""
        msgs = self.k.notify("comm_msg", {"comm_id": model_id, "data": {"method": "custom", "content": {"event": "click"}}})
        changed = {}
        for m in of_type(msgs, "comm_msg"):
            self.assertEqual("update", m["content"]["data"]["method"])
            changed.setdefault(m["content"]["comm_id"], {}).update(m["content"]["data"]["state"])
        return changed

    def test_rate_with_buttons_and_comments(self):
        root, models = self.open_widget("%rate caps --rater ann")
        buttons = self.buttons(models)
        self.assertEqual({"1", "2", "3", "4", "5", "Stop"}, set(buttons))
        [comment] = [i for i, s in models.items() if s["_model_name"] == "TextareaModel"]
        html = [i for i, s in models.items() if s["_model_name"] == "HTMLModel"]
        shown = [models[i]["value"] for i in html if "<table>" in models[i]["value"]]
        self.assertEqual(1, len(shown), "one item is shown")
        self.assertIn("output", shown[0])

        # A page reload now restores the whole widget from the kernel.
        restored = self.states()
        self.assertIn(root, restored)
        self.assertEqual("VBoxModel", restored[root]["model_name"])
        for b in buttons.values():
            self.assertEqual("ButtonModel", restored[b]["model_name"])
            self.assertEqual("@jupyter-widgets/controls", restored[b]["model_module"])

        for n, score in enumerate(["5", "4", "3", "2"], 1):
            self.k.notify("comm_msg", {"comm_id": comment, "data": {"method": "update", "state": {"value": "c%d" % n},
                                                                    "buffer_paths": []}})
            changed = self.click(buttons[score])
            self.assertEqual("", changed.get(comment, {}).get("value"), "the comment box is cleared for the next item")
            if n < 4:
                shown_next = [c["value"] for c in changed.values() if "<table>" in c.get("value", "")]
                self.assertEqual(1, len(shown_next), "the next item is shown after a click")
        self.assertTrue(all(changed.get(buttons[s], {}).get("disabled") for s in "12345"),
                        "the buttons are disabled after the last item: %s" % changed)
        self.assertTrue(any("All 4 outputs of caps are rated" in c.get("value", "") for c in changed.values()), changed)

        ratings = self.k.value(RATINGS % "ann")
        for n, score in enumerate(["5", "4", "3", "2"], 1):
            self.assertIn("=%s:c%d" % (score, n), ratings)
        self.assertEqual(4, ratings.count("/"), ratings)
        # A click that arrives after the end changes nothing.
        self.click(buttons["1"])
        self.assertEqual(ratings, self.k.value(RATINGS % "ann"))

    def test_arena_with_blind_buttons(self):
        _, models = self.open_widget("%arena caps --models good,bad --rater ann")
        buttons = self.buttons(models)
        self.assertEqual({"A is better", "B is better", "Tie", "Both bad", "Stop"}, set(buttons))
        for s in models.values():
            if s["_model_name"] == "HTMLModel" and "<table>" not in s["value"]:
                self.assertNotIn("good", s["value"], "no model name is shown before the vote")
        revealed = []
        for _ in range(2):
            changed = self.click(buttons["A is better"])
            revealed += [c["value"] for c in changed.values() if "A was" in c.get("value", "")]
        self.assertEqual(2, len(revealed), revealed)
        for r in revealed:
            self.assertTrue("<b>good</b>" in r and "<b>bad</b>" in r, r)
        self.assertTrue(any("last battle" in c.get("value", "") for c in changed.values()), changed)
        self.assertEqual("[A, A]", self.k.value(VOTES % "ann"))


class StdinFrontEnd(unittest.TestCase):
    """A front end without widgets that takes input (jupyter console): the same magics ask on stdin."""

    @classmethod
    def setUpClass(cls):
        cls.k = start("people-stdin")

    @classmethod
    def tearDownClass(cls):
        cls.k.close()

    def converse(self, code, answers):
        """Runs code, answering each input_request with the next answer; returns (reply, iopub, prompts seen)."""
        msg_id = self.k.kc.execute(code, allow_stdin=True)
        prompts = []
        for a in answers:
            req = self.k.kc.get_stdin_msg(timeout=60)
            self.assertEqual("input_request", req["msg_type"])
            self.assertEqual(msg_id, req["parent_header"]["msg_id"])
            prompts.append(req["content"]["prompt"])
            self.k.kc.input(a)
        reply = self.k.reply(msg_id, 120)
        self.k.wait_idle(msg_id)
        return reply, self.k.iopub[msg_id], prompts

    def test_rate_on_stdin_stops_and_resumes(self):
        # A bad score is asked again; an empty score stops with the rest left for later.
        reply, msgs, prompts = self.converse("%rate caps --rater bob", ["9", "4", "fine", "3", "", ""])
        ok(self, reply)
        self.assertEqual(["score 1-5> ", "score 1-5> ", "comment> ", "score 1-5> ", "comment> ", "score 1-5> "], prompts)
        out = stream_text(msgs)
        self.assertIn("A rating is 1 to 5; try again.", out)
        self.assertIn("output: ", out)
        self.assertEqual(0, len(of_type(msgs, "comm_open")), "no widgets for a front end that never asked for them")
        [result] = of_type(msgs, "execute_result")
        self.assertIn("Rated 2; 2 left", result["content"]["data"]["text/plain"])
        reply, msgs, prompts = self.converse("%rate caps --rater bob", ["1", "", "2", "last"])
        ok(self, reply)
        self.assertEqual(4, len(prompts))
        [result] = of_type(msgs, "execute_result")
        self.assertIn("Rated 2; 0 left", result["content"]["data"]["text/plain"])
        ratings = self.k.value(RATINGS % "bob")
        self.assertEqual(4, ratings.count("/"), ratings)
        for part in ("=4:fine", "=3:", "=1:", "=2:last"):
            self.assertIn(part, ratings)

    def test_rate_on_stdin_asks_for_the_raters_name(self):
        # Without --rater the name is asked first, so ratings land under the person, not the OS user.
        reply, msgs, prompts = self.converse("%rate caps --model good", ["erin", "5", "ok", ""])
        ok(self, reply)
        self.assertTrue(prompts[0].startswith("your name (as a rater"), prompts)
        self.assertIn("fr/good=5:ok", self.k.value(RATINGS % "erin"))

    def test_arena_on_stdin_then_leaderboard(self):
        reply, msgs, prompts = self.converse("%arena caps --models good,bad --rater bob", ["maybe", "b", "tie"])
        ok(self, reply)
        self.assertEqual(["vote> "] * 3, prompts)
        out = stream_text(msgs)
        self.assertIn("a vote is A, B, tie or both bad, not 'maybe'", out)
        self.assertEqual(2, out.count("A was "), out)
        self.assertTrue(any("text/html" in m["content"]["data"] for m in of_type(msgs, "display_data")),
                        "the leaderboard table is shown")
        self.assertEqual("[B, TIE]", self.k.value(VOTES % "bob"))


class NoWidgetsNoInput(unittest.TestCase):
    """nbconvert or papermill: neither widgets nor input, so the answers file, and without one a clear error."""

    @classmethod
    def setUpClass(cls):
        cls.k = start("people-headless")

    @classmethod
    def tearDownClass(cls):
        cls.k.close()

    def test_without_an_answers_file_the_error_says_what_to_do(self):
        reply, msgs = self.k.execute("%rate caps --rater carl", allow_stdin=False)
        self.assertEqual("error", reply["content"]["status"])
        self.assertIn("--answers FILE", error_text(reply["content"]))
        self.assertEqual("[]", self.k.value(RATINGS % "carl"))

    def test_answers_file_is_read(self):
        rows = [{"rater": "dana", "key": k, "model": m, "score": s, "comment": "from file"}
                for (k, m, s) in [("fr", "good", 5), ("fr", "bad", 1), ("de", "good", 5), ("de", "bad", 2)]]
        with open(os.path.join(e2e.WORK, "answers.jsonl"), "w", encoding="utf-8") as f:
            f.write("\n".join(json.dumps(r) for r in rows) + "\n")
        reply, msgs = self.k.execute("%rate caps --answers answers.jsonl", allow_stdin=False)
        ok(self, reply)
        [result] = of_type(msgs, "execute_result")
        self.assertIn("Saved 4 ratings from answers.jsonl", result["content"]["data"]["text/plain"])
        ratings = self.k.value(RATINGS % "dana")
        for part in ("fr/good=5", "fr/bad=1", "de/good=5", "de/bad=2"):
            self.assertIn(part, ratings)


if __name__ == "__main__":
    e2e.main(sys.modules[__name__])
