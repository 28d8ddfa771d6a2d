"""The kernel survives whatever a cell or a front end does, driven by the real jupyter_client.

System.exit, Runtime.exit and Runtime.halt (in the cell, a thread it started, library code) fail the cell and leave
the kernel and its variables as they were; a cell cannot close the kernel's System.out; every request is answered,
also one too large for Jackson's default limit or one that cannot be read; a kernel whose front end was killed exits.
Run by KernelSurvivesTest (JUnit) as test_kernel_e2e.py is, with the same options.
"""

import json
import os
import signal
import subprocess
import sys
import time
import unittest

from test_kernel_e2e import KERNEL_NAME, WORK, Kernel, RawShell, error_text, is_idle, main, of_type, shared, stream_text


def refused(call):
    return call + " was called; the kernel keeps running"


class ExitTest(unittest.TestCase):
    """Each case tries to end the kernel, then checks that a variable defined before is still there."""

    @classmethod
    def setUpClass(cls):
        cls.k = shared()
        assert cls.k.execute("int kept = 41;")[0]["content"]["status"] == "ok"

    def assert_refused(self, code, call):
        reply, msgs = self.k.execute(code)
        c = reply["content"]
        self.assertEqual("error", c["status"], c)
        self.assertEqual("SystemExit", c["ename"], error_text(c))
        self.assertEqual(refused(call), c["evalue"], error_text(c))
        [shown] = of_type(msgs, "error")
        self.assertEqual(refused(call), shown["content"]["evalue"])
        self.assertTrue(self.k.km.is_alive(), "the kernel process ended")
        self.assertEqual("42", self.k.value("kept + 1"), "the kernel lost its state")
        return c, msgs

    def test_system_exit(self):
        c, _ = self.assert_refused("System.exit(1);", "System.exit(1)")
        self.assertIn("cell [", "\n".join(c["traceback"]), "the traceback points into the cell")

    def test_system_exit_zero(self):
        self.assert_refused('System.out.println("before");\nSystem.exit(0);\nSystem.out.println("after");',
                            "System.exit(0)")

    def test_runtime_exit(self):
        self.assert_refused("Runtime.getRuntime().exit(2);", "Runtime.exit(2)")

    def test_runtime_halt(self):
        self.assert_refused("Runtime.getRuntime().halt(3);", "Runtime.halt(3)")

    def test_exit_in_a_thread_the_cell_started(self):
        self.assert_refused("Thread quitter = new Thread(() -> System.exit(4));\nquitter.start();\nquitter.join();",
                            "System.exit(4)")

    def test_exit_in_a_thread_after_its_cell_ended_fails_no_other_cell(self):
        reply, _ = self.k.execute("var gate = new CountDownLatch(1);\nvar done = new CountDownLatch(1);\n"
                                  "new Thread(() -> {\n"
                                  "    try { gate.await(); System.exit(10); } catch (InterruptedException e) { }\n"
                                  "    finally { done.countDown(); }\n"
                                  "}).start();")
        self.assertEqual("ok", reply["content"]["status"], error_text(reply["content"]))
        # The thread calls System.exit while this later cell runs; the kernel refuses it and this cell is not blamed.
        self.assertEqual("42", self.k.value("gate.countDown();\ndone.await();\nkept + 1"))
        self.assertTrue(self.k.km.is_alive())

    def test_exit_the_cell_catches_still_fails_it(self):
        self.assert_refused("try { System.exit(5); } catch (Throwable ignored) { }", "System.exit(5)")

    def test_exit_through_reflection_and_method_handles(self):
        self.assert_refused('System.class.getMethod("exit", int.class).invoke(null, 6);', "System.exit(6)")
        self.assert_refused("java.util.function.IntConsumer quit = System::exit;\nquit.accept(7);", "System.exit(7)")

    def test_exit_in_library_code_on_the_classpath(self):
        # A library compiled now, added with %classpath: its classes load through the cell's class loader.
        lib = self.k.value(
            'Path lib = Files.createTempDirectory("exit-lib");\n'
            'Files.createDirectories(lib.resolve("quit"));\n'
            'Files.writeString(lib.resolve("quit/Quitter.java"), "package quit; public class Quitter {"\n'
            '    + " public static void quit(int s) { Runtime.getRuntime().halt(s); } }");\n'
            'int compiled = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null,\n'
            '    lib.resolve("quit/Quitter.java").toString());\n'
            'compiled == 0 ? lib.toString() : "javac failed"').strip('"')
        self.assertTrue(os.path.isfile(os.path.join(lib, "quit", "Quitter.class")), lib)
        reply, _ = self.k.execute("%classpath " + lib)
        self.assertEqual("ok", reply["content"]["status"], error_text(reply["content"]))
        self.assert_refused("quit.Quitter.quit(8);", "Runtime.halt(8)")

    def test_exit_in_a_values_to_string(self):
        # The value is shown on the kernel's own thread, after the cell's code ran.
        reply, _ = self.k.execute("new Object() { public String toString() { System.exit(9); return \"\"; } }")
        c = reply["content"]
        self.assertEqual("error", c["status"], c)
        self.assertIn(refused("System.exit(9)"), c["evalue"])
        self.assertEqual("42", self.k.value("kept + 1"))

    def test_closing_system_out_and_err_loses_no_later_output(self):
        reply, _ = self.k.execute("System.out.close();\nSystem.err.close();")
        self.assertEqual("ok", reply["content"]["status"], error_text(reply["content"]))
        reply, msgs = self.k.execute('System.out.println("still here");\nSystem.err.println("err too");')
        self.assertEqual("ok", reply["content"]["status"], error_text(reply["content"]))
        self.assertEqual("still here\n", stream_text(msgs, "stdout"))
        self.assertEqual("err too\n", stream_text(msgs, "stderr"))


class ShutdownTest(unittest.TestCase):
    def test_shutdown_request_still_ends_the_kernel_after_a_refused_exit(self):
        k = Kernel("exit-then-shutdown")
        try:
            reply, _ = k.execute("System.exit(3);")
            self.assertEqual("SystemExit", reply["content"].get("ename"), error_text(reply["content"]))
            process = k.km.provisioner.process
            k.kc.shutdown()
            reply = k.kc.get_control_msg(timeout=30)
            self.assertEqual("shutdown_reply", reply["msg_type"])
            self.assertEqual(0, process.wait(timeout=60), "the kernel's own exit status")
        finally:
            k.close(now=True)


class RequestsTest(unittest.TestCase):
    """Every request gets a reply and an idle status, whatever it holds."""

    def setUp(self):
        self.k = shared()

    def test_request_larger_than_jacksons_default_string_limit(self):
        content = {"code": "1 + 1", "silent": False, "store_history": True, "user_expressions": {},
                   "allow_stdin": False, "stop_on_error": True, "padding": "x" * 25_000_000}
        msg = self.k.kc.session.msg("execute_request", content)
        self.k.kc.shell_channel.send(msg)
        msg_id = msg["header"]["msg_id"]
        reply = self.k.reply(msg_id, timeout=120)
        self.k.wait_idle(msg_id, timeout=120)
        self.assertEqual("ok", reply["content"]["status"], error_text(reply["content"]))
        [result] = of_type(self.k.iopub[msg_id], "execute_result")
        self.assertEqual("2", result["content"]["data"]["text/plain"])

    def test_unreadable_content_is_answered_with_an_error(self):
        raw = RawShell(self.k)
        try:
            msg_id, parts = raw.frames("execute_request", content=b'{"code": "1 + 1", ')
            raw.send(parts)
            frames = raw.recv(30)
            self.assertIsNotNone(frames, "no reply to a request whose content is malformed JSON")
            header, parent, content = json.loads(frames[1]), json.loads(frames[2]), json.loads(frames[4])
            self.assertEqual(("execute_reply", msg_id), (header["msg_type"], parent["msg_id"]))
            self.assertEqual(("error", "ProtocolError"), (content["status"], content["ename"]), content)
            self.assertIn("malformed JSON in content", content["evalue"])
            self.k.wait_idle(msg_id, timeout=30)
            states = [m["content"]["execution_state"] for m in self.k.iopub[msg_id] if m["msg_type"] == "status"]
            self.assertEqual(["busy", "idle"], states)
            self.assertEqual(["ProtocolError"], [m["content"]["ename"] for m in of_type(self.k.iopub[msg_id], "error")])
            self.assertEqual("2", self.k.value("1 + 1"))
        finally:
            raw.close()

    def test_unknown_request_type_is_answered_with_an_error(self):
        reply, msgs = self.k.request("no_such_thing_request", {})
        self.assertEqual("no_such_thing_reply", reply["msg_type"])
        self.assertEqual(("error", "UnknownRequest"), (reply["content"]["status"], reply["content"]["ename"]))
        self.assertTrue(is_idle(msgs[-1]))


PARENT = r"""
import sys, time
from jupyter_client import KernelManager
km = KernelManager(kernel_name=sys.argv[1])
log = open(sys.argv[2], "ab")
km.start_kernel(stdout=log, stderr=log)
kc = km.client()
kc.start_channels()
kc.wait_for_ready(timeout=120)
print(km.provisioner.process.pid, flush=True)
time.sleep(3600)
"""


def running(pid):
    """Whether the process runs; a zombie (exited, not yet reaped by whoever adopted it) does not."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""


class OrphanTest(unittest.TestCase):
    def test_kernel_exits_when_its_front_end_is_killed(self):
        log = os.path.join(WORK, "orphan-kernel.log")
        parent = subprocess.Popen([sys.executable, "-c", PARENT, KERNEL_NAME, log], stdout=subprocess.PIPE,
                                  text=True, cwd=WORK)
        kernel = None
        try:
            line = parent.stdout.readline()
            self.assertTrue(line.strip().isdigit(), "the front end started no kernel: %r\n%s" % (line, read(log)))
            kernel = int(line)
            self.assertTrue(running(kernel))
            parent.send_signal(signal.SIGKILL)
            parent.wait()
            deadline = time.monotonic() + 60  # a bound on the wait, not a measurement
            while running(kernel) and time.monotonic() < deadline:
                time.sleep(0.2)
            self.assertFalse(running(kernel), "the kernel outlived its front end:\n" + read(log)[-3000:])
            self.assertIn("is gone; exiting", read(log))
        finally:
            if parent.poll() is None:
                parent.kill()
                parent.wait()
            if kernel is not None and running(kernel):
                os.kill(kernel, signal.SIGKILL)


if __name__ == "__main__":
    main(sys.modules[__name__])
