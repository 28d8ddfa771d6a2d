"""End-to-end tests of the Yardstick kernel through the real jupyter_client.

Run by JupyterClientTest (JUnit), which installs the kernelspec into a temporary prefix and sets JUPYTER_PATH and
YARDSTICK_HOME. To run it by hand:

    java -cp ... yardstick.kernel.cli.Main install --prefix /tmp/ks
    JUPYTER_PATH=/tmp/ks/share/jupyter YARDSTICK_HOME=$(mktemp -d) /usr/bin/python3 test_kernel_e2e.py \
        [--results results.jsonl] [-k pattern]

With --results, one JSON object per test is written to that file: {"name", "status", "message"}, status being
"pass", "fail" or "error". Most cases share one kernel; history with restart, shutdown, OutOfMemoryError and
nbconvert start their own.
"""

import argparse
import collections
import gc
import json
import os
import queue
import re
import subprocess
import sys
import tempfile
import time
import traceback
import unittest
import uuid

import zmq
from jupyter_client import KernelManager

KERNEL_NAME = os.environ.get("YARDSTICK_KERNEL_NAME", "yardstick")
WORK = tempfile.mkdtemp(prefix="yardstick-e2e-")
ISO_MICROS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}(Z|[+-]\d\d:\d\d)$")


class Kernel:
    """One running kernel with a blocking client; remembers every message it received, keyed by parent msg_id."""

    def __init__(self, name, env=None):
        self.stderr_path = os.path.join(WORK, name + "-stderr.log")
        self._stderr = open(self.stderr_path, "ab")
        self.km = KernelManager(kernel_name=KERNEL_NAME)
        self.km.start_kernel(stderr=self._stderr, env=dict(os.environ, **(env or {})), cwd=WORK)
        self.kc = self.km.client()
        self.iopub = collections.defaultdict(list)  # parent msg_id -> iopub messages, in arrival order
        self.replies = {}  # parent msg_id -> shell reply
        self.sessions = set()  # header.session of every message received from the kernel
        try:
            self.kc.start_channels()
            self.kc.wait_for_ready(timeout=60)
            # JShell warms up in the background; on a busy machine the first cell may wait for it a while.
            warm, _ = self.execute("1 + 1", timeout=120, store_history=False)
            assert warm["content"]["status"] == "ok", warm["content"]
        except BaseException:
            self.close(now=True)  # no kernel left behind when a test class cannot start
            raise

    # -- receiving ---------------------------------------------------------------------------------------------

    def _take_iopub(self, timeout):
        msg = self.kc.get_iopub_msg(timeout=timeout)
        self.sessions.add(msg["header"]["session"])
        self.iopub[msg["parent_header"].get("msg_id")].append(msg)
        return msg

    def wait_iopub(self, msg_id, predicate, timeout=10, what="message"):
        """Reads IOPub until a message for msg_id satisfies predicate; returns it."""
        for m in self.iopub[msg_id]:
            if predicate(m):
                return m
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                types = [m["msg_type"] for m in self.iopub[msg_id]]
                raise AssertionError("no %s for %s within %ss; got %s; kernel stderr:\n%s"
                                     % (what, msg_id, timeout, types, self.stderr_text()[-3000:]))
            try:
                m = self._take_iopub(min(left, 0.5))
            except queue.Empty:
                continue
            if m["parent_header"].get("msg_id") == msg_id and predicate(m):
                return m

    def wait_idle(self, msg_id, timeout=60):
        return self.wait_iopub(msg_id, is_idle, timeout, "idle status")

    def reply(self, msg_id, timeout=60):
        """The shell reply to msg_id; replies to other requests are kept for later."""
        deadline = time.monotonic() + timeout
        while msg_id not in self.replies:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("no reply to %s within %ss; kernel alive: %s; kernel stderr:\n%s"
                                     % (msg_id, timeout, self.km.is_alive(), self.stderr_text()[-3000:]))
            try:
                msg = self.kc.get_shell_msg(timeout=left)
            except queue.Empty:
                continue
            self.sessions.add(msg["header"]["session"])
            self.replies[msg["parent_header"].get("msg_id")] = msg
        return self.replies[msg_id]

    def drain_iopub(self, quiet=0.2):
        """Reads IOPub until it has been quiet for `quiet` seconds."""
        while True:
            try:
                self._take_iopub(quiet)
            except queue.Empty:
                return

    # -- sending -----------------------------------------------------------------------------------------------

    def send(self, msg_type, content):
        msg = self.kc.session.msg(msg_type, content)
        self.kc.shell_channel.send(msg)
        return msg["header"]["msg_id"]

    def notify(self, msg_type, content, timeout=60):
        """Sends a shell message that has no reply (comm_open, comm_msg, comm_close); returns its IOPub messages."""
        msg_id = self.send(msg_type, content)
        self.wait_idle(msg_id, timeout)
        return self.iopub[msg_id]

    def request(self, msg_type, content, timeout=60):
        """Sends a shell request; returns (reply, iopub messages) once the kernel went idle."""
        msg_id = self.send(msg_type, content)
        reply = self.reply(msg_id, timeout)
        self.wait_idle(msg_id, timeout)
        return reply, self.iopub[msg_id]

    def execute(self, code, timeout=60, **kw):
        msg_id = self.kc.execute(code, **kw)
        reply = self.reply(msg_id, timeout)
        self.wait_idle(msg_id, timeout)
        return reply, self.iopub[msg_id]

    def value(self, code, timeout=60):
        """The text/plain of the cell's execute_result; fails with the error when the cell fails."""
        reply, msgs = self.execute(code, timeout)
        c = reply["content"]
        if c["status"] != "ok":
            raise AssertionError("cell failed: %s: %s\n%s" % (c.get("ename"), c.get("evalue"),
                                                                "\n".join(c.get("traceback", []))))
        results = [m for m in msgs if m["msg_type"] == "execute_result"]
        if len(results) != 1:
            raise AssertionError("expected one execute_result for %r, got %s" % (code, [m["msg_type"] for m in msgs]))
        return results[0]["content"]["data"]["text/plain"]

    def stderr_text(self):
        self._stderr.flush()
        with open(self.stderr_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def close(self, now=False):
        try:
            self.kc.stop_channels()
            if self.km.is_alive():
                self.km.shutdown_kernel(now=now)
            else:
                self.km.cleanup_resources()
        finally:
            self._stderr.close()


def is_idle(m):
    return m["msg_type"] == "status" and m["content"]["execution_state"] == "idle"


def of_type(msgs, msg_type):
    return [m for m in msgs if m["msg_type"] == msg_type]


def stream_text(msgs, name="stdout"):
    return "".join(m["content"]["text"] for m in msgs if m["msg_type"] == "stream" and m["content"]["name"] == name)


def error_text(content):
    return "\n".join([content.get("ename", ""), content.get("evalue", "")] + content.get("traceback", []))


SHARED = None


def shared():
    global SHARED
    if SHARED is None:
        SHARED = Kernel("shared")
    return SHARED


class RawShell:
    """A DEALER socket on the kernel's shell port, to send frames jupyter_client would never send."""

    def __init__(self, kernel):
        info = kernel.km.get_connection_info()
        self.session = kernel.kc.session
        self.ctx = zmq.Context()
        self.sock = self.ctx.socket(zmq.DEALER)
        self.sock.setsockopt(zmq.LINGER, 0)
        self.sock.connect("%s://%s:%d" % (info["transport"], info["ip"], info["shell_port"]))

    def frames(self, msg_type, content=b"{}"):
        msg = self.session.msg(msg_type, {})
        header = json.dumps(msg["header"], default=str).encode()
        parts = [header, b"{}", b"{}", content]
        return msg["header"]["msg_id"], parts

    def send(self, parts, signature=None):
        sig = signature if signature is not None else self.session.sign(parts)
        self.sock.send_multipart([b"<IDS|MSG>", sig] + parts)

    def recv(self, timeout):
        """The frames after the delimiter of the next message, or None after timeout seconds."""
        if not self.sock.poll(int(timeout * 1000)):
            return None
        frames = self.sock.recv_multipart()
        return frames[frames.index(b"<IDS|MSG>") + 1:]

    def close(self):
        self.sock.close()
        self.ctx.term()


# ------------------------------------------------------------------------------------------------------------------


class KernelInfoTest(unittest.TestCase):
    def setUp(self):
        self.k = shared()

    def test_kernel_info_reply(self):
        reply, _ = self.k.request("kernel_info_request", {})
        c = reply["content"]
        self.assertEqual("kernel_info_reply", reply["msg_type"])
        self.assertEqual("ok", c.get("status"))
        self.assertEqual("5.4", c["protocol_version"])
        self.assertEqual("java", c["language_info"]["name"])
        self.assertTrue(c["language_info"].get("file_extension"), c["language_info"])
        self.assertIsInstance(c["help_links"], list)
        self.assertGreater(len(c["help_links"]), 0)
        for link in c["help_links"]:
            self.assertTrue(link["text"] and link["url"].startswith("http"), link)
        self.assertEqual("5.4", reply["header"]["version"])

    def test_timestamps_have_microseconds(self):
        raw = RawShell(self.k)
        sub = raw.ctx.socket(zmq.SUB)
        sub.setsockopt(zmq.LINGER, 0)
        sub.setsockopt(zmq.SUBSCRIBE, b"")
        info = self.k.km.get_connection_info()
        sub.connect("%s://%s:%d" % (info["transport"], info["ip"], info["iopub_port"]))
        try:
            dates = []
            deadline = time.monotonic() + 10
            # SUB sockets miss what was published before they joined: ask until a status message comes through.
            while not any(d[0] == "status" for d in dates) and time.monotonic() < deadline:
                msg_id, parts = raw.frames("kernel_info_request")
                raw.send(parts)
                reply = raw.recv(5)
                self.assertIsNotNone(reply, "no kernel_info_reply on the raw shell socket")
                h = json.loads(reply[1])
                dates.append((h["msg_type"], h["date"]))
                while sub.poll(200):
                    frames = sub.recv_multipart()
                    h = json.loads(frames[frames.index(b"<IDS|MSG>") + 2])
                    dates.append((h["msg_type"], h["date"]))
            self.assertIn("status", [t for t, _ in dates], "no status message reached a raw IOPub subscriber")
            for msg_type, date in dates:
                self.assertRegex(date, ISO_MICROS, "date of " + msg_type)
        finally:
            sub.close()
            raw.close()

    def test_every_reply_has_status_and_is_framed_by_busy_idle(self):
        requests = [
            ("kernel_info_request", {}),
            ("execute_request", {"code": "int framed = 1;", "silent": False, "store_history": True,
                                 "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}),
            ("complete_request", {"code": "Str", "cursor_pos": 3}),
            ("inspect_request", {"code": "Math.max(", "cursor_pos": 9, "detail_level": 0}),
            ("is_complete_request", {"code": "int x = 1;"}),
            ("history_request", {"hist_access_type": "tail", "n": 3, "output": False, "raw": True}),
            ("comm_info_request", {}),
        ]
        for msg_type, content in requests:
            reply, msgs = self.k.request(msg_type, content)
            self.assertEqual(msg_type.replace("_request", "_reply"), reply["msg_type"])
            self.assertIn("status", reply["content"], msg_type)
            # is_complete_reply's status is the verdict on the code; every other reply's is ok or error.
            expected = "complete" if msg_type == "is_complete_request" else "ok"
            self.assertEqual(expected, reply["content"]["status"], (msg_type, reply["content"]))
            states = [m["content"]["execution_state"] for m in msgs if m["msg_type"] == "status"]
            self.assertEqual(["busy", "idle"], states, msg_type)
            self.assertEqual("busy", msgs[0]["content"]["execution_state"], msg_type + ": first message is busy")
            self.assertTrue(is_idle(msgs[-1]), msg_type + ": last message is idle")

    def test_one_kernel_session_across_messages(self):
        self.k.execute("System.out.println(\"session\"); 1")
        self.k.request("kernel_info_request", {})
        self.assertEqual(1, len(self.k.sessions), self.k.sessions)
        self.assertNotIn(self.k.kc.session.session, self.k.sessions, "the kernel must use its own session id")


class ExecuteTest(unittest.TestCase):
    def setUp(self):
        self.k = shared()

    def test_value(self):
        reply, msgs = self.k.execute("1 + 1")
        self.assertEqual("ok", reply["content"]["status"])
        [result] = of_type(msgs, "execute_result")
        self.assertEqual("2", result["content"]["data"]["text/plain"])
        self.assertEqual(reply["content"]["execution_count"], result["content"]["execution_count"])
        [inp] = of_type(msgs, "execute_input")
        self.assertEqual("1 + 1", inp["content"]["code"])

    def test_statement_only_cell_has_no_result(self):
        reply, msgs = self.k.execute("int noResult = 3;")
        self.assertEqual("ok", reply["content"]["status"])
        self.assertEqual([], of_type(msgs, "execute_result"))

    def test_multi_statement_cell(self):
        code = "\n".join([
            "import java.util.stream.Collectors;",
            "record Point(int x, int y) { int sum() { return x + y; } }",
            "class Counter { int n; int next() { return ++n; } }",
            "int twice(int v) { return 2 * v; }",
            "var counter = new Counter(); counter.next(); counter.next();",
            "String joined = Stream.of(\"a\", \"b\").collect(Collectors.joining(\",\"));",
            "twice(new Point(3, 4).sum()) + counter.n + \":\" + joined",
        ])
        self.assertEqual('"16:a,b"', self.k.value(code))

    def test_redefine_method(self):
        self.k.value("int answer() { return 1; } answer()")
        self.assertEqual("2", self.k.value("int answer() { return 2; }\nanswer()"))

    def test_redefine_variable_type(self):
        self.assertEqual("1", self.k.value("var changing = 1; changing"))
        self.assertEqual('"now a string!"', self.k.value('String changing = "now a string";\nchanging + "!"'))

    def test_silent_has_no_input_or_result_and_keeps_count(self):
        before = self.k.execute("1")[0]["content"]["execution_count"]
        reply, msgs = self.k.execute("int silentVar = 41; silentVar + 1", silent=True)
        self.assertEqual("ok", reply["content"]["status"])
        self.assertEqual([], of_type(msgs, "execute_input"))
        self.assertEqual([], of_type(msgs, "execute_result"))
        after = self.k.execute("silentVar")
        self.assertEqual(before + 1, after[0]["content"]["execution_count"])
        self.assertEqual("41", of_type(after[1], "execute_result")[0]["content"]["data"]["text/plain"])

    def test_store_history_false_keeps_count(self):
        before = self.k.execute("1")[0]["content"]["execution_count"]
        reply, msgs = self.k.execute("2 + 3", store_history=False)
        self.assertEqual("ok", reply["content"]["status"])
        self.assertEqual("5", of_type(msgs, "execute_result")[0]["content"]["data"]["text/plain"])
        self.assertEqual(before + 1, self.k.execute("1")[0]["content"]["execution_count"])

    def test_blank_cell_is_not_counted(self):
        before = self.k.execute("1")[0]["content"]["execution_count"]
        reply, msgs = self.k.execute("  \n")
        self.assertEqual("ok", reply["content"]["status"])
        self.assertEqual(before, reply["content"]["execution_count"])
        self.assertEqual([], of_type(msgs, "execute_result"))
        self.assertEqual(before + 1, self.k.execute("1")[0]["content"]["execution_count"])

    def test_user_expressions(self):
        reply, _ = self.k.execute("int ue = 21;", user_expressions={"ok": "ue * 2", "bad": "noSuchVariable + 1"})
        ue = reply["content"]["user_expressions"]
        self.assertEqual("ok", ue["ok"]["status"])
        self.assertEqual("42", ue["ok"]["data"]["text/plain"])
        self.assertEqual("error", ue["bad"]["status"])
        self.assertIn("noSuchVariable", error_text(ue["bad"]))

    def test_compile_error_points_at_cell_line_and_column(self):
        code = "int okA = 1;\nint okB = 2;\nString wrong = 42;\nint after = 3;"
        reply, msgs = self.k.execute(code)
        c = reply["content"]
        self.assertEqual("error", c["status"])
        self.assertEqual(c["ename"], of_type(msgs, "error")[0]["content"]["ename"])
        column = code.split("\n")[2].index("42") + 1
        self.assertIn("line 3, column %d" % column, error_text(c))
        self.assertIn("incompatible types", error_text(c))
        # As Python on a SyntaxError, the cell ran nothing: its earlier declarations do not exist.
        self.assertEqual("error", self.k.execute("okA")[0]["content"]["status"])

    def test_compile_error_after_comments_counts_cell_lines(self):
        code = "// a comment\n\n/* and a\n block */ int fine = 1;\nint bad = \"x\";"
        c = self.k.execute(code)[0]["content"]
        self.assertEqual("error", c["status"])
        self.assertIn("line 5, column 11", error_text(c))

    def test_runtime_error_traceback_is_trimmed_and_names_cell_line(self):
        code = "int pad = 0;\nvoid boom() { throw new IllegalStateException(\"bad state\"); }\nboom();"
        reply, msgs = self.k.execute(code)
        c = reply["content"]
        self.assertEqual("error", c["status"])
        self.assertEqual("IllegalStateException", c["ename"])
        self.assertEqual("bad state", c["evalue"])
        tb = "\n".join(c["traceback"])
        self.assertNotIn("jdk.jshell", tb)
        self.assertNotIn("REPL.$JShell", tb)
        self.assertNotIn("yardstick.kernel", tb)
        self.assertRegex(tb, r"boom\(cell \[\d+\] line 2\)")
        self.assertRegex(tb, r"line 3\)")
        self.assertEqual(1, len(of_type(msgs, "error")))

    def test_traceback_is_coloured_with_cell_frames_first_and_library_frames_folded(self):
        code = "int parse(String s) { return Integer.parseInt(s); }\nparse(\"x\");"
        c = self.k.execute(code)[0]["content"]
        self.assertEqual("error", c["status"])
        tb = c["traceback"]
        self.assertTrue(tb[0].startswith("\x1b[1;31m") and "NumberFormatException" in tb[0], tb[0])
        frames = [line for line in tb if line.startswith("\tat ")]
        self.assertRegex(frames[0], r"^\tat \x1b\[0;32mparse\(cell \[\d+\] line 1\)")
        self.assertEqual(2, len(frames), tb)
        folded = [line for line in tb if "library frame" in line]
        self.assertEqual(1, len(folded), tb)
        self.assertRegex(folded[0], r"\.\.\. \d+ library frames, innermost (java\.base/)?java\.lang\.NumberFormatException")
        self.assertGreater(tb.index(folded[0]), tb.index(frames[-1]), "the cell's frames come first")

    def test_value_whose_to_string_throws_is_a_cell_error(self):
        reply, msgs = self.k.execute(
            'new Object() { public String toString() { throw new IllegalStateException("no text"); } }')
        self.assertEqual("error", reply["content"]["status"])
        [err] = of_type(msgs, "error")
        self.assertIn("no text", error_text(err["content"]))
        self.assertEqual("2", self.k.value("1 + 1"))

    def test_unknown_magic_is_one_line_error(self):
        c = self.k.execute("%noSuchMagic")[0]["content"]
        self.assertEqual("error", c["status"])
        self.assertIn("noSuchMagic", c["evalue"])
        self.assertNotIn("\tat ", "\n".join(c["traceback"]))


class StreamTest(unittest.TestCase):
    def setUp(self):
        self.k = shared()

    def test_stdout_and_stderr(self):
        _, msgs = self.k.execute('System.out.println("to out"); System.err.println("to err");')
        self.assertEqual("to out\n", stream_text(msgs, "stdout"))
        self.assertEqual("to err\n", stream_text(msgs, "stderr"))

    def test_background_thread_output_reaches_its_cell_after_the_reply(self):
        code = ('new Thread(() -> { try { Thread.sleep(1000); } catch (InterruptedException e) { }'
                ' System.out.println("late hello"); }).start();')
        msg_id = self.k.kc.execute(code)
        reply = self.k.reply(msg_id)
        self.assertEqual("ok", reply["content"]["status"])
        self.k.wait_idle(msg_id)
        self.assertNotIn("late hello", stream_text(self.k.iopub[msg_id]), "printed before the cell ended")
        # Another cell runs meanwhile: the late line must still go to the first cell, not this one.
        other_reply, other = self.k.execute("int meanwhile = 1;")
        self.k.wait_iopub(msg_id, lambda m: m["msg_type"] == "stream" and "late hello" in m["content"]["text"],
                          timeout=10, what="late stream")
        self.assertNotIn("late hello", stream_text(other))

    def test_million_lines_arrive_complete_in_few_messages(self):
        n = 1_000_000
        msg_id = self.k.kc.execute("for (int i = 0; i < %d; i++) System.out.println(i);" % n)
        reply = self.k.reply(msg_id, timeout=120)
        self.assertEqual("ok", reply["content"]["status"])
        self.k.wait_idle(msg_id, timeout=60)
        streams = of_type(self.k.iopub[msg_id], "stream")
        text = stream_text(streams)
        self.assertEqual(n, text.count("\n"))
        self.assertEqual("".join("%d\n" % i for i in range(n)), text)
        self.assertLess(len(streams), 2000)
        t0 = time.monotonic()
        reply, _ = self.k.request("kernel_info_request", {}, timeout=10)
        self.assertEqual("ok", reply["content"]["status"])
        self.assertLess(time.monotonic() - t0, 5.0, "kernel_info after a flood of output")


class DisplayTest(unittest.TestCase):
    def setUp(self):
        self.k = shared()

    def test_display_then_update_from_background_thread_after_cell(self):
        reply, msgs = self.k.execute('String shownId = display("x");\nshownId')
        self.assertEqual("ok", reply["content"]["status"])
        [shown] = of_type(msgs, "display_data")
        display_id = shown["content"]["transient"]["display_id"]
        self.assertTrue(display_id)
        self.assertEqual('"x"', shown["content"]["data"]["text/plain"])
        self.assertEqual('"%s"' % display_id, of_type(msgs, "execute_result")[0]["content"]["data"]["text/plain"])
        code = ('new Thread(() -> { try { Thread.sleep(300); } catch (InterruptedException e) { }'
                ' updateDisplay(shownId, "y"); }).start();')
        msg_id = self.k.kc.execute(code)
        self.assertEqual("ok", self.k.reply(msg_id)["content"]["status"])
        self.k.wait_idle(msg_id)
        self.assertEqual([], of_type(self.k.iopub[msg_id], "update_display_data"), "updated before the cell ended")
        update = self.k.wait_iopub(msg_id, lambda m: m["msg_type"] == "update_display_data", 10, "update_display_data")
        self.assertEqual(display_id, update["content"]["transient"]["display_id"])
        self.assertEqual('"y"', update["content"]["data"]["text/plain"])

    def test_clear_output(self):
        _, msgs = self.k.execute('System.out.println("before"); clearOutput(); System.out.println("after");')
        types = [m["msg_type"] for m in msgs if m["msg_type"] in ("stream", "clear_output")]
        self.assertEqual(["stream", "clear_output", "stream"], types)
        self.assertFalse(of_type(msgs, "clear_output")[0]["content"]["wait"])
        self.assertEqual("before\nafter\n", stream_text(msgs))


class CompleteInspectTest(unittest.TestCase):
    def setUp(self):
        self.k = shared()

    def complete(self, code, cursor=None):
        cursor = len(code) if cursor is None else cursor
        reply, _ = self.k.request("complete_request", {"code": code, "cursor_pos": cursor})
        self.assertEqual("ok", reply["content"]["status"])
        return reply["content"]

    def test_complete_method(self):
        c = self.complete('"abc".subs')
        self.assertTrue(any(m.startswith("substring") for m in c["matches"]), c["matches"])
        self.assertEqual(len('"abc".'), c["cursor_start"])
        self.assertEqual(len('"abc".subs'), c["cursor_end"])

    def test_complete_counts_code_points_after_emoji(self):
        code = 'String smile = "\U0001F600\U0001F600";\n"abc".subs'
        self.assertEqual(len(code) + 2, len(code.encode("utf-16-le")) // 2, "the emoji are outside the BMP")
        c = self.complete(code)
        self.assertTrue(any(m.startswith("substring") for m in c["matches"]), c["matches"])
        self.assertEqual(len(code) - len("subs"), c["cursor_start"])
        self.assertEqual(len(code), c["cursor_end"])

    def test_complete_cursor_in_middle(self):
        code = 'Math.ma + 1'
        c = self.complete(code, cursor=len("Math.ma"))
        self.assertIn("max(", c["matches"])
        self.assertEqual(len("Math."), c["cursor_start"])
        self.assertEqual(len("Math.ma"), c["cursor_end"])

    def test_complete_declared_variable(self):
        self.k.execute("int completeMeVariable = 1;")
        c = self.complete("int y = completeMe")
        self.assertIn("completeMeVariable", c["matches"])

    def inspect(self, code, cursor):
        reply, _ = self.k.request("inspect_request", {"code": code, "cursor_pos": cursor, "detail_level": 0})
        self.assertEqual("ok", reply["content"]["status"])
        return reply["content"]

    def test_inspect_static_method(self):
        c = self.inspect("Math.max(", len("Math.max("))
        self.assertTrue(c["found"], c)
        self.assertIn("max(", c["data"]["text/plain"])
        self.assertIn("int", c["data"]["text/plain"])

    def test_inspect_string_method_with_emoji_before(self):
        code = 'String s = "\U0001F600";\n"abc".substring('
        c = self.inspect(code, len(code))
        self.assertTrue(c["found"], c)
        self.assertIn("substring(int", c["data"]["text/plain"])

    def test_inspect_with_cursor_on_or_after_a_name(self):
        # Where front ends put the cursor on shift-tab: on a method's name, right after it, inside a type's name.
        for code, cursor, expected in [("Math.max", 8, "max(int"), ("Math.max(1, 2)", 6, "max(int"),
                                       ('"abc".substring', 15, "substring(int"), ("System.out.println", 18, "println("),
                                       ("int q = Math.abs(-1);", 14, "abs(int"), ("String", 3, "java.lang.String")]:
            c = self.inspect(code, cursor)
            self.assertTrue(c["found"], (code, cursor))
            self.assertIn(expected, c["data"]["text/plain"], (code, cursor))

    def test_inspect_renders_javadoc_as_html_and_clean_text(self):
        c = self.inspect("Integer.parseInt", len("Integer.parseInt"))
        self.assertTrue(c["found"], c)
        text, html = c["data"]["text/plain"], c["data"]["text/html"]
        self.assertIn("parseInt(String s)", text)
        for raw in ("{@code", "{@link", "<p>", "@param", "@return"):
            self.assertNotIn(raw, text)
        self.assertIn("Parameters:\n  s - ", text)
        self.assertIn("Returns:\n", text)
        self.assertIn("<code>", html)
        self.assertNotIn("{@code", html)

    def test_question_mark_shows_documentation_and_double_shows_source(self):
        for cell in ("?Integer.parseInt", "Integer.parseInt?"):
            reply, msgs = self.k.execute(cell)
            self.assertEqual("ok", reply["content"]["status"], (cell, error_text(reply["content"])))
            [page] = of_type(msgs, "display_data")
            self.assertIn("Parameters:", page["content"]["data"]["text/plain"], cell)
            self.assertIn("text/html", page["content"]["data"], cell)
            self.assertEqual([], of_type(msgs, "execute_result"))
        self.k.execute("int helpTarget(int v) { return v * 3; }")
        reply, msgs = self.k.execute("??helpTarget")
        [page] = of_type(msgs, "display_data")
        self.assertIn("return v * 3;", page["content"]["data"]["text/plain"])
        reply, msgs = self.k.execute("noSuchThing?")
        self.assertEqual("ok", reply["content"]["status"])
        self.assertIn("Object `noSuchThing` not found.", stream_text(msgs))

    def test_inspect_nothing(self):
        c = self.inspect("   ", 1)
        self.assertFalse(c["found"])
        self.assertEqual({}, c["data"])

    def is_complete(self, code):
        reply, _ = self.k.request("is_complete_request", {"code": code})
        return reply["content"]

    def test_is_complete(self):
        self.assertEqual("complete", self.is_complete("int x = 1;")["status"])
        self.assertNotIn("indent", self.is_complete("int x = 1;"))
        c = self.is_complete("for (int i = 0; i < 3; i++) {")
        self.assertEqual("incomplete", c["status"])
        self.assertIsInstance(c["indent"], str)
        # A stray ")" can never become valid by typing more: the spec lets a kernel call it invalid (or complete,
        # so it runs and shows the error), but never incomplete, which would leave the console waiting.
        self.assertIn(self.is_complete(")")["status"], ("invalid", "complete"))
        self.assertEqual("incomplete", self.is_complete('String s = """\n  a text block')["status"])
        self.assertEqual("incomplete", self.is_complete("int f() {\n  return 1;")["status"])


class InterruptTest(unittest.TestCase):
    def setUp(self):
        self.k = shared()

    def interrupt(self, code):
        self.k.execute("int beforeInterrupt = 7;")
        msg_id = self.k.kc.execute(code)
        self.k.wait_iopub(msg_id, lambda m: m["msg_type"] == "execute_input", 10, "execute_input")
        time.sleep(0.5)
        self.assertNotIn(msg_id, self.k.replies, "the cell should still be running")
        t0 = time.monotonic()
        self.k.km.interrupt_kernel()
        reply = self.k.reply(msg_id, timeout=10)
        elapsed = time.monotonic() - t0
        self.assertEqual("error", reply["content"]["status"])
        self.assertLess(elapsed, 2.0, "interrupt took %.2f s" % elapsed)
        self.k.wait_idle(msg_id)
        self.assertEqual("7", self.k.value("beforeInterrupt"))
        return reply

    def test_interrupt_busy_loop(self):
        self.interrupt("while (true) { }")

    def test_interrupt_sleep(self):
        self.interrupt("Thread.sleep(60000);")

    def test_interrupt_loop_in_method(self):
        self.interrupt("long spin(long n) { while (n >= 0) n++; return n; }\nspin(1)")


class StdinTest(unittest.TestCase):
    def setUp(self):
        self.k = shared()

    def answer(self, code, value, allow_stdin=True):
        msg_id = self.k.kc.execute(code, allow_stdin=allow_stdin)
        req = self.k.kc.get_stdin_msg(timeout=10)
        self.assertEqual("input_request", req["msg_type"])
        self.assertEqual(msg_id, req["parent_header"]["msg_id"])
        self.k.kc.input(value)
        reply = self.k.reply(msg_id)
        self.k.wait_idle(msg_id)
        return req, reply, self.k.iopub[msg_id]

    def test_scanner_reads_input_reply(self):
        _, reply, msgs = self.answer("String line = new java.util.Scanner(System.in).nextLine();\nline.toUpperCase()",
                                     "hello")
        self.assertEqual("ok", reply["content"]["status"], error_text(reply["content"]))
        self.assertEqual('"HELLO"', of_type(msgs, "execute_result")[0]["content"]["data"]["text/plain"])

    def test_notebook_input_shows_prompt(self):
        req, reply, msgs = self.answer('"Hi " + input("name? ")', "Ada")
        self.assertEqual("name? ", req["content"]["prompt"])
        self.assertFalse(req["content"]["password"])
        self.assertEqual('"Hi Ada"', of_type(msgs, "execute_result")[0]["content"]["data"]["text/plain"])

    def test_text_printed_before_the_prompt_is_sent_before_it(self):
        msg_id = self.k.kc.execute('System.out.print("Before the question. ");\n"Hi " + input("name? ")', allow_stdin=True)
        req = self.k.kc.get_stdin_msg(timeout=10)
        self.assertEqual("input_request", req["msg_type"])
        # The kernel hands the cell's output to IOPub before it asks; no answer is given until it has arrived.
        self.k.wait_iopub(msg_id, lambda m: m["msg_type"] == "stream" and "Before the question" in m["content"]["text"],
                          10, "the text printed before input()")
        self.k.kc.input("Ada")
        reply = self.k.reply(msg_id)
        self.k.wait_idle(msg_id)
        self.assertEqual("ok", reply["content"]["status"], error_text(reply["content"]))
        self.assertEqual("Before the question. ", stream_text(self.k.iopub[msg_id]))

    def test_no_stdin_is_a_clear_error(self):
        for code in ('input("name? ")', "System.in.read()"):
            reply, _ = self.k.execute(code, allow_stdin=False)
            self.assertEqual("error", reply["content"]["status"], code)
            self.assertIn("allow_stdin", error_text(reply["content"]), code)
        # Scanner swallows the IOException ("No line found"): the reason still reaches the cell's stderr.
        reply, msgs = self.k.execute("new java.util.Scanner(System.in).nextLine()", allow_stdin=False)
        self.assertEqual("error", reply["content"]["status"])
        self.assertIn("No line found", error_text(reply["content"]))
        self.assertIn("allow_stdin is false", stream_text(msgs, "stderr"))
        with self.assertRaises(queue.Empty):
            self.k.kc.get_stdin_msg(timeout=0.2)


class CommTest(unittest.TestCase):
    def setUp(self):
        self.k = shared()

    def comm_info(self, target=None):
        content = {} if target is None else {"target_name": target}
        reply, _ = self.k.request("comm_info_request", content)
        self.assertEqual("ok", reply["content"]["status"])
        return reply["content"]["comms"]

    def test_front_end_opens_echo_comm(self):
        reply, _ = self.k.execute('comms().registerTarget("echo", c -> c.onMessage(d -> c.send(d)));')
        self.assertEqual("ok", reply["content"]["status"], error_text(reply["content"]))
        comm_id = uuid.uuid4().hex
        self.k.notify("comm_open", {"comm_id": comm_id, "target_name": "echo", "data": {}})
        self.assertEqual({"target_name": "echo"}, self.comm_info("echo").get(comm_id))
        msg_id = self.k.send("comm_msg", {"comm_id": comm_id, "data": {"x": 1, "s": "hi"}})
        echo = self.k.wait_iopub(msg_id, lambda m: m["msg_type"] == "comm_msg", 10, "comm_msg echo")
        self.assertEqual(comm_id, echo["content"]["comm_id"])
        self.assertEqual({"x": 1, "s": "hi"}, echo["content"]["data"])
        self.k.notify("comm_close", {"comm_id": comm_id, "data": {}})
        self.assertNotIn(comm_id, self.comm_info())

    def test_kernel_opens_comm(self):
        reply, msgs = self.k.execute('var kernelComm = comms().open("t2", Map.of("a", 1));')
        self.assertEqual("ok", reply["content"]["status"], error_text(reply["content"]))
        [opened] = of_type(msgs, "comm_open")
        self.assertEqual("t2", opened["content"]["target_name"])
        self.assertEqual({"a": 1}, opened["content"]["data"])
        comm_id = opened["content"]["comm_id"]
        self.assertEqual({"target_name": "t2"}, self.comm_info("t2").get(comm_id))
        _, msgs = self.k.execute('kernelComm.send(Map.of("b", 2)); kernelComm.close();')
        self.assertEqual([{"b": 2}], [m["content"]["data"] for m in of_type(msgs, "comm_msg")])
        self.assertEqual([comm_id], [m["content"]["comm_id"] for m in of_type(msgs, "comm_close")])
        self.assertNotIn(comm_id, self.comm_info())

    def test_failing_comm_handler_is_logged_and_not_answered(self):
        reply, _ = self.k.execute(
            'comms().registerTarget("fails", c -> c.onMessage(d -> { throw new IllegalStateException("handler broke"); }));')
        self.assertEqual("ok", reply["content"]["status"], error_text(reply["content"]))
        comm_id = uuid.uuid4().hex
        self.k.notify("comm_open", {"comm_id": comm_id, "target_name": "fails", "data": {}})
        msg_id = self.k.send("comm_msg", {"comm_id": comm_id, "data": {}})
        self.k.wait_idle(msg_id)
        self.assertEqual("ok", self.k.request("kernel_info_request", {})[0]["content"]["status"])
        self.assertNotIn(msg_id, self.k.replies, "a comm_msg has no reply, also when its handler fails")
        self.assertIn("handler broke", self.k.stderr_text())

    def test_unknown_target_is_closed_by_kernel(self):
        comm_id = uuid.uuid4().hex
        msg_id = self.k.send("comm_open", {"comm_id": comm_id, "target_name": "no-such-target", "data": {}})
        closed = self.k.wait_iopub(msg_id, lambda m: m["msg_type"] == "comm_close", 10, "comm_close")
        self.assertEqual(comm_id, closed["content"]["comm_id"])
        self.assertNotIn(comm_id, self.comm_info())


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


class WidgetTest(unittest.TestCase):
    """Jupyter widgets as an ipywidgets 8 front end sees them: comm_open on jupyter.widget with the protocol version in
    the message metadata, the view in a display, clicks as custom messages, state as update messages."""

    def setUp(self):
        self.k = shared()

    def widget_opens(self, msgs):
        opens = of_type(msgs, "comm_open")
        for m in opens:
            self.assertEqual("jupyter.widget", m["content"]["target_name"])
            self.assertEqual({"version": "2.1.0"}, m["metadata"])
            self.assertEqual([], m["content"]["data"]["buffer_paths"])
        return {m["content"]["comm_id"]: m["content"]["data"]["state"] for m in opens}

    def test_button_click_reaches_its_handler(self):
        reply, msgs = self.k.execute(
            "var clicks = new java.util.concurrent.atomic.AtomicInteger();\n"
            "var button = new yardstick.kernel.widget.Button(\"Press\");\n"
            "button.onClick(b -> b.description(\"pressed \" + clicks.incrementAndGet()));\n"
            "button")
        self.assertEqual("ok", reply["content"]["status"], error_text(reply["content"]))
        states = self.widget_opens(msgs)
        [result] = of_type(msgs, "execute_result")
        view = result["content"]["data"][WIDGET_VIEW]
        self.assertEqual(2, view["version_major"])
        self.assertEqual(0, view["version_minor"])
        model_id = view["model_id"]
        button = states[model_id]
        self.assertEqual(("ButtonModel", "ButtonView", "@jupyter-widgets/controls", "2.0.0", "Press"),
                         (button["_model_name"], button["_view_name"], button["_model_module"],
                          button["_model_module_version"], button["description"]))
        layout_id = button["layout"][len("IPY_MODEL_"):]
        self.assertEqual("LayoutModel", states[layout_id]["_model_name"])
        self.assertIn("Button(description='Press')", result["content"]["data"]["text/plain"])
        self.assertEqual({"target_name": "jupyter.widget"},
                         self.k.request("comm_info_request", {"target_name": "jupyter.widget"})[0]["content"]["comms"][model_id])

        click = {"comm_id": model_id, "data": {"method": "custom", "content": {"event": "click"}}}
        msgs = self.k.notify("comm_msg", click)
        [update] = of_type(msgs, "comm_msg")
        self.assertEqual(model_id, update["content"]["comm_id"])
        self.assertEqual({"method": "update", "state": {"description": "pressed 1"}, "buffer_paths": []},
                         update["content"]["data"])
        self.k.notify("comm_msg", click)
        self.assertEqual("2", self.k.value("clicks.get()"))

    def test_front_end_edits_and_state_requests(self):
        reply, msgs = self.k.execute(
            'var area = new yardstick.kernel.widget.Textarea("comment");\n'
            'var typed = new java.util.concurrent.CopyOnWriteArrayList<String>();\n'
            'area.onChange((k, v) -> typed.add(k + "=" + v));\n'
            'display(yardstick.kernel.widget.Box.vbox(area));')
        self.assertEqual("ok", reply["content"]["status"], error_text(reply["content"]))
        states = self.widget_opens(msgs)
        [shown] = of_type(msgs, "display_data")
        box = states[shown["content"]["data"][WIDGET_VIEW]["model_id"]]
        self.assertEqual("VBoxModel", box["_model_name"])
        [child] = box["children"]
        area_id = child[len("IPY_MODEL_"):]
        self.assertEqual("TextareaModel", states[area_id]["_model_name"])
        edit = self.k.notify("comm_msg", {"comm_id": area_id, "data": {
            "method": "update", "state": {"value": "fine ✓"}, "buffer_paths": []}})
        self.assertEqual([], of_type(edit, "comm_msg"), "no echo of the front end's own change")
        self.assertEqual('"fine ✓"', self.k.value("area.value()"))
        self.assertEqual("[value=fine ✓]", self.k.value("typed"))
        msgs = self.k.notify("comm_msg", {"comm_id": area_id, "data": {"method": "request_state"}})
        [state] = of_type(msgs, "comm_msg")
        self.assertEqual("update", state["content"]["data"]["method"])
        self.assertEqual("fine ✓", state["content"]["data"]["state"]["value"])
        self.assertEqual("TextareaView", state["content"]["data"]["state"]["_view_name"])


    def test_control_comm_restores_every_live_widget(self):
        """A widget manager attaching to the kernel (a page reload) fetches every live model over the control comm."""
        kept, gone = self.k.value('var kept = new yardstick.kernel.widget.Button("kept");\n'
                                  'var gone = new yardstick.kernel.widget.Button("gone");\n'
                                  'gone.close();\n'
                                  'kept.id() + " " + gone.id()').strip('"').split()
        control = uuid.uuid4().hex
        msg = self.k.kc.session.msg("comm_open", {"comm_id": control, "target_name": "jupyter.widget.control",
                                                  "data": {}}, metadata={"version": "1.0.0"})
        self.k.kc.shell_channel.send(msg)
        self.k.wait_idle(msg["header"]["msg_id"])
        self.assertEqual([], of_type(self.k.iopub[msg["header"]["msg_id"]], "comm_close"), "the kernel knows the target")
        msgs = self.k.notify("comm_msg", {"comm_id": control, "data": {"method": "request_states"}})
        [answer] = of_type(msgs, "comm_msg")
        data = answer["content"]["data"]
        self.assertEqual(("update_states", []), (data["method"], data["buffer_paths"]))
        button = data["states"][kept]
        self.assertEqual(("ButtonModel", "@jupyter-widgets/controls", "2.0.0", "kept"),
                         (button["model_name"], button["model_module"], button["model_module_version"],
                          button["state"]["description"]))
        layout = button["state"]["layout"][len("IPY_MODEL_"):]
        self.assertEqual("LayoutModel", data["states"][layout]["model_name"])
        self.assertNotIn(gone, data["states"], "a closed widget is not restored")
        self.k.notify("comm_close", {"comm_id": control, "data": {}})


class RobustnessTest(unittest.TestCase):
    def setUp(self):
        self.k = shared()
        self.raw = RawShell(self.k)

    def tearDown(self):
        self.raw.close()

    def assert_dropped(self, log_fragment):
        """Nothing answered the bad message; the kernel still answers; the drop is in the kernel's log."""
        self.assertIsNone(self.raw.recv(0.5), "the kernel answered a message it should have dropped")
        msg_id, parts = self.raw.frames("kernel_info_request")
        self.raw.send(parts)
        reply = self.raw.recv(5)
        self.assertIsNotNone(reply, "the kernel stopped answering")
        self.assertEqual(msg_id, json.loads(reply[2])["msg_id"])
        self.assertEqual("ok", self.k.request("kernel_info_request", {})[0]["content"]["status"])
        deadline = time.monotonic() + 5
        while log_fragment not in self.k.stderr_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertIn(log_fragment, self.k.stderr_text())
        self.k.drain_iopub()
        leaked = [m for msgs in self.k.iopub.values() for m in msgs
                  if m["msg_type"] == "stream" and log_fragment in m["content"]["text"]]
        self.assertEqual([], leaked, "the kernel's log went into a notebook")

    def test_bad_signature_is_dropped_and_logged(self):
        _, parts = self.raw.frames("kernel_info_request")
        good = self.raw.session.sign(parts)
        self.raw.send(parts, signature=b"0" * len(good))
        self.assert_dropped("bad message signature")

    # A signed request whose content cannot be read is answered with an error: test_kernel_survives.py.

    def test_too_few_frames_is_dropped(self):
        self.raw.sock.send_multipart([b"<IDS|MSG>", b"sig"])
        self.assert_dropped("frames after the delimiter")


class OutOfMemoryTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # A small heap so that filling it is quick.
        cls.k = Kernel("oom", env={"JAVA_TOOL_OPTIONS": "-Xmx256m"})

    @classmethod
    def tearDownClass(cls):
        cls.k.close()
        cls.k = None

    def assert_oom_then_alive(self, code):
        reply, _ = self.k.execute(code, timeout=60)
        self.assertEqual("error", reply["content"]["status"])
        self.assertIn("OutOfMemoryError", error_text(reply["content"]))
        self.assertEqual("2", self.k.value("1 + 1"))

    def test_huge_arrays(self):
        self.assert_oom_then_alive(
            "long[][] huge = new long[1000][];\nfor (int i = 0; i < 1000; i++) huge[i] = new long[100_000_000];")

    def test_value_too_big_to_show(self):
        # Rendering runs on the kernel's shell thread: an Error there must fail the cell, not the kernel.
        self.assert_oom_then_alive(
            "new Object() { public String toString() { return \"\" + new long[Integer.MAX_VALUE - 8].length; } }")

    def test_heap_filled_gradually(self):
        # The heap really runs out, while the kernel's own threads also allocate.
        self.assert_oom_then_alive(
            "{ List<long[]> hog = new ArrayList<>(); while (true) hog.add(new long[1_000_000]); }")


class LifecycleTest(unittest.TestCase):
    """History across a restart, then shutdown: its own kernel and its own YARDSTICK_HOME. Steps run in order."""

    @classmethod
    def setUpClass(cls):
        cls.home = tempfile.mkdtemp(prefix="home-", dir=WORK)
        cls.k = Kernel("lifecycle", env={"YARDSTICK_HOME": cls.home})
        for code in ["int histA = 1;", "int histB = 2;", "histA + histB", "histA + histB", "histA * 10"]:
            assert cls.k.execute(code)[0]["content"]["status"] == "ok"

    @classmethod
    def tearDownClass(cls):
        cls.k.close()
        cls.k = None

    def history(self, **content):
        content.setdefault("output", False)
        content.setdefault("raw", True)
        reply, _ = self.k.request("history_request", content)
        self.assertEqual("ok", reply["content"]["status"])
        return [tuple(h) for h in reply["content"]["history"]]

    def test_1_tail(self):
        h = self.history(hist_access_type="tail", n=3)
        self.assertEqual(["histA + histB", "histA + histB", "histA * 10"], [e[2] for e in h])
        self.assertEqual([3, 4, 5], [e[1] for e in h])
        self.assertEqual(1, len({e[0] for e in h}))

    def test_2_range_of_this_session(self):
        h = self.history(hist_access_type="range", session=0, start=1, stop=3)
        self.assertEqual([(1, "int histA = 1;"), (2, "int histB = 2;")], [(e[1], e[2]) for e in h])

    def test_3_search_glob_and_unique(self):
        h = self.history(hist_access_type="search", pattern="histA ?*", n=10)
        self.assertEqual(["histA + histB", "histA + histB", "histA * 10"], [e[2] for e in h])
        u = self.history(hist_access_type="search", pattern="histA ?*", n=10, unique=True)
        self.assertEqual(["histA + histB", "histA * 10"], [e[2] for e in u])

    def test_4_history_survives_restart(self):
        before = self.history(hist_access_type="tail", n=1)[0][0]
        self.k.km.restart_kernel(now=False)
        self.k.kc.wait_for_ready(timeout=60)
        self.assertEqual("ok", self.k.execute("int afterRestart = 1;")[0]["content"]["status"])
        h = self.history(hist_access_type="tail", n=10)
        inputs = [e[2] for e in h]
        self.assertIn("int histA = 1;", inputs)
        self.assertEqual("int afterRestart = 1;", inputs[-1])
        self.assertGreater(h[-1][0], before, "a restarted kernel is a new history session")
        self.assertEqual({before}, {e[0] for e in h if e[2].startswith(("int histA", "histA"))})
        # The restarted kernel is fresh: earlier variables are gone.
        self.assertEqual("error", self.k.execute("histA")[0]["content"]["status"])

    def test_5_shutdown(self):
        process = self.k.km.provisioner.process
        self.k.kc.shutdown()
        reply = self.k.kc.get_control_msg(timeout=10)  # shutdown goes over the control channel
        self.assertEqual("shutdown_reply", reply["msg_type"])
        self.assertEqual("ok", reply["content"]["status"])
        self.assertFalse(reply["content"]["restart"])
        t0 = time.monotonic()
        code = process.wait(timeout=10)
        self.assertLess(time.monotonic() - t0, 5.0)
        self.assertEqual(0, code)


class NbconvertTest(unittest.TestCase):
    def test_nbconvert_executes_notebook(self):
        cells = [
            'System.out.println("hello from a stream");',
            "int x = 20;\nx + 22",
            'String shown = display(List.of(1, 2, 3));',
        ]
        nb = {
            "nbformat": 4, "nbformat_minor": 5,
            "metadata": {"kernelspec": {"name": KERNEL_NAME, "display_name": "Java (Yardstick)", "language": "java"}},
            "cells": [{"cell_type": "code", "id": "c%d" % i, "metadata": {}, "execution_count": None, "outputs": [],
                       "source": src} for i, src in enumerate(cells)],
        }
        d = tempfile.mkdtemp(prefix="nbconvert-", dir=WORK)
        path = os.path.join(d, "small.ipynb")
        with open(path, "w") as f:
            json.dump(nb, f)
        proc = subprocess.run(["/usr/bin/jupyter", "nbconvert", "--to", "notebook", "--execute",
                               "--ExecutePreprocessor.kernel_name=" + KERNEL_NAME,
                               "--ExecutePreprocessor.timeout=120", "--output", "executed.ipynb", path],
                              cwd=d, capture_output=True, text=True, timeout=180)
        self.assertEqual(0, proc.returncode, proc.stderr[-3000:])
        with open(os.path.join(d, "executed.ipynb")) as f:
            out = json.load(f)
        for cell in out["cells"]:  # nbformat may store multi-line text as a list of lines
            for o in cell["outputs"]:
                if isinstance(o.get("text"), list):
                    o["text"] = "".join(o["text"])
                for mime, v in o.get("data", {}).items():
                    if isinstance(v, list):
                        o["data"][mime] = "".join(v)
        c0, c1, c2 = out["cells"]
        self.assertEqual([{"output_type": "stream", "name": "stdout", "text": "hello from a stream\n"}],
                         c0["outputs"])
        [result] = c1["outputs"]
        self.assertEqual("execute_result", result["output_type"])
        self.assertEqual("42", result["data"]["text/plain"])
        self.assertEqual(c1["execution_count"], result["execution_count"])
        self.assertEqual(["display_data"], [o["output_type"] for o in c2["outputs"]])
        self.assertEqual("[1, 2, 3]", c2["outputs"][0]["data"]["text/plain"])
        self.assertEqual([1, 2, 3], [c["execution_count"] for c in out["cells"]])


# ------------------------------------------------------------------------------------------------------------------


class JsonLinesResult(unittest.TextTestResult):
    """Also writes each outcome as one JSON line, for the JUnit side to turn into one test case each."""

    def __init__(self, stream, descriptions, verbosity, out=None):
        super().__init__(stream, descriptions, verbosity)
        self.out = out
        self._started = {}

    def startTest(self, test):
        self._started[test.id()] = time.monotonic()
        super().startTest(test)

    def _write(self, test, status, message=""):
        if self.out is None:
            return
        tid = test.id().split(".")
        name = ".".join(tid[-2:]) if len(tid) >= 2 else test.id()
        seconds = time.monotonic() - self._started.get(test.id(), time.monotonic())
        self.out.write(json.dumps({"name": name, "status": status, "message": message,
                                   "seconds": round(seconds, 3)}) + "\n")
        self.out.flush()

    def addSuccess(self, test):
        super().addSuccess(test)
        self._write(test, "pass")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._write(test, "fail", self._exc_info_to_string(err, test))

    def addError(self, test, err):
        super().addError(test, err)
        # A failing setUpClass arrives as an _ErrorHolder; name it after the class so the failure is visible.
        self._write(test, "error", self._exc_info_to_string(err, test))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._write(test, "fail", "skipped: " + reason)


def main(module=None):
    """Runs the test cases of `module` (default: this one); other modules' suites call it with themselves."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", help="write one JSON line per test here")
    parser.add_argument("-k", dest="patterns", action="append", help="only tests whose name contains this")
    args = parser.parse_args()
    print("kernel logs and notebooks in", WORK, flush=True)
    loader = unittest.TestLoader()
    if args.patterns:
        loader.testNamePatterns = ["*%s*" % p for p in args.patterns]
    suite = loader.loadTestsFromModule(module or sys.modules[__name__])
    out = open(args.results, "w") if args.results else None
    runner = unittest.TextTestRunner(verbosity=2, resultclass=lambda *a: JsonLinesResult(*a, out=out))
    try:
        result = runner.run(suite)
    finally:
        global SHARED
        if SHARED is not None:
            try:
                SHARED.close()
            except Exception:
                traceback.print_exc()
            SHARED = None
        if out:
            out.close()
        gc.collect()  # close clients now, while logging still works, not at interpreter exit
    sys.exit(0 if result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
