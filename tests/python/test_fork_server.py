"""brix_runtime.fork_server, driven as the engine drives it (fd 3 a SOCK_SEQPACKET socket, one
request per task with its reply socket and log), against fresh `python3 ...` starts of the same
argv, environment and working folder: the same output, sys.path, sys.argv and exit status, for
the -c, -m and script forms; declines for what it cannot start exactly; gone with the engine."""

import json
import os
import socket
import subprocess
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
RUNTIME = os.path.join(os.path.dirname(os.path.dirname(HERE)), "engine", "runtime", "python")

PROBE = textwrap.dedent("""\
    import os, sys
    print("argv", sys.argv)
    print("path", [p for p in sys.path if not p.startswith(sys.base_prefix)])
    print("cwd", os.getcwd(), "var", os.environ.get("PROBE_VAR"), "main", __name__)
    print("to stderr", file=sys.stderr)
    raise SystemExit(int(os.environ.get("PROBE_EXIT", "0")))
""")


class ForkServerTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.work = os.path.join(self.dir, "work")
        os.makedirs(os.path.join(self.work, "lib"))
        with open(os.path.join(self.work, "probe.py"), "w") as f:
            f.write(PROBE)
        with open(os.path.join(self.work, "lib", "probemod.py"), "w") as f:
            f.write(PROBE)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        self.env.update(PYTHONPATH=RUNTIME, PYTHONUNBUFFERED="1", BRIX_ROOT=os.path.join(self.dir, "root"))
        self.control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        log = open(os.path.join(self.dir, "server.log"), "wb")
        self.server = subprocess.Popen(
            [sys.executable, "-m", "brix_runtime.fork_server"], env=self.env, cwd=self.dir,
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, close_fds=False,
            preexec_fn=lambda: os.dup2(theirs.fileno(), 3))
        log.close()
        theirs.close()
        self.control.send(json.dumps(["%s=%s" % item for item in self.env.items()]).encode())
        self.assertEqual(b"ready", self.control.recv(16))

    def tearDown(self):
        self.control.close()
        self.server.wait(timeout=30)
        self.tmp.cleanup()

    def task_env(self, **extra):
        env = dict(self.env, PYTHONPATH=RUNTIME + ":lib::" + os.path.join(self.work, "lib"))
        env.update(extra)
        return env

    def forked(self, argv, env, name):
        """(lines of the log, answers) of the argv run by the server."""
        path = os.path.join(self.dir, name + ".forked.log")
        log = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        mine, theirs = socket.socketpair()
        request = {"argv": argv, "env": ["%s=%s" % item for item in env.items()], "cwd": self.work}
        socket.send_fds(self.control, [json.dumps(request).encode()], [theirs.fileno(), log])
        theirs.close()
        os.close(log)
        with mine, mine.makefile() as answers:
            replies = [json.loads(line) for line in answers]
        with open(path) as f:
            return f.read(), replies

    def fresh(self, argv, env):
        done = subprocess.run([sys.executable] + argv[1:], env=env, cwd=self.work, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        return done.stdout, done.returncode

    def assert_same_as_fresh(self, argv, name, **extra):
        env = self.task_env(**extra)
        output, replies = self.forked(argv, env, name)
        self.assertEqual(["pid", "status"], [next(iter(r)) for r in replies], replies)
        status = replies[1]["status"]
        want_output, want_code = self.fresh(argv, env)
        self.assertEqual(want_output.replace(sys.executable, "PYTHON"), output.replace(sys.executable, "PYTHON"))
        self.assertTrue(os.WIFEXITED(status))
        self.assertEqual(want_code, os.WEXITSTATUS(status))
        self.assertGreater(replies[1]["peak_rss_kb"], 0)
        return output

    def test_script(self):
        output = self.assert_same_as_fresh(["python3", "probe.py", "a", "b c"], "script", PROBE_VAR="s", PROBE_EXIT="3")
        self.assertIn("argv ['probe.py', 'a', 'b c']", output)

    def test_module(self):
        output = self.assert_same_as_fresh(["python3", "-m", "probemod", "x"], "module", PROBE_VAR="m")
        self.assertIn("main __main__", output)

    def test_command(self):
        code = "import runpy, sys; sys.argv[0] = 'probe.py'; runpy.run_path('probe.py', run_name='__main__')"
        self.assert_same_as_fresh(["python3", "-c", code, "y"], "command", PROBE_VAR="c", PROBE_EXIT="1")

    def test_uncaught_exception(self):
        output = self.assert_same_as_fresh(["python3", "-c", "def f():\n    1/0\nf()"], "exception")
        self.assertIn("ZeroDivisionError", output)
        self.assertNotIn("fork_server", output)

    def test_declines(self):
        hooks = os.path.join(self.work, "hooks")
        os.makedirs(hooks)
        open(os.path.join(hooks, "sitecustomize.py"), "w").close()
        cases = [
            (["python3", "-u", "probe.py"], self.task_env()),
            (["python3", "missing.py"], self.task_env()),
            (["python3", "probe.py"], self.task_env(PYTHONHASHSEED="1")),
            (["python3", "probe.py"], self.task_env(PYTHONPATH=RUNTIME + ":" + hooks)),
            (["python3", "probe.py"], self.task_env(PYTHONPATH="/elsewhere:" + RUNTIME)),
        ]
        for i, (argv, env) in enumerate(cases):
            output, replies = self.forked(argv, env, "decline%d" % i)
            self.assertEqual("", output)
            self.assertEqual(["decline"], [next(iter(r)) for r in replies], (argv, replies))

    def test_ends_with_the_engine(self):
        self.control.close()
        self.assertEqual(0, self.server.wait(timeout=30))


if __name__ == "__main__":
    unittest.main()
