"""Shared by the Python client's tests: where things are, and a real `thor serve`.

The thor binary comes from $THOR_BIN (CMake sets it), else Bazel's runfiles
(app/thor). The package is imported from clients/python of the tree this file
is in (the checkout, or Bazel's runfiles, which mirror it).
"""

import ctypes
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def _source_dir():
    tree = os.path.dirname(os.path.dirname(HERE))
    if os.path.isdir(os.path.join(tree, "clients", "python", "thor")):
        return tree
    return os.environ.get("THOR_SOURCE_DIR", tree)


SOURCE_DIR = _source_dir()
PACKAGE_DIR = os.path.join(SOURCE_DIR, "clients", "python")
sys.path.insert(0, PACKAGE_DIR)
sys.dont_write_bytecode = True

# The cheap steps prove the test theorems: no CoqHammer warm-up at start.
FAST_CONFIG = {"provers": {"coq": {"warm_hammer": False}}}


def thor_binary():
    path = os.environ.get("THOR_BIN", "")
    runfiles = os.environ.get("TEST_SRCDIR", "")
    if not path and runfiles:
        path = os.path.join(runfiles, "thor", "app", "thor")
    if not path or not os.access(path, os.X_OK):
        raise AssertionError(f"thor binary not found ({path or 'unset'}): set THOR_BIN to "
                             "build-dev/app/thor (cmake --build build-dev --target thor) or "
                             "run under Bazel")
    return path


def require_coqtop():
    if shutil.which("coqtop") is None:
        raise AssertionError("coqtop is missing: apt-get install coq libcoq-hammer "
                             "(scripts/bootstrap installs it)")


def make_temp_dir():
    return tempfile.mkdtemp(prefix="thor_py_", dir=os.environ.get("TEST_TMPDIR"))


def _become_subreaper():
    """Orphans of thor serve's children become ours, so leftovers can be seen."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


def _processes():
    """{pid: (ppid, comm, state)} from /proc."""
    out = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="utf-8", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        out[int(name)] = (int(fields[1]), comm, fields[0])
    return out


def _reap():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def leftover_children(timeout_s=5.0):
    """Live descendants of this process after `timeout_s`, as "pid comm" strings."""
    deadline = time.monotonic() + timeout_s
    while True:
        _reap()
        table = _processes()
        mine, frontier = [], [os.getpid()]
        while frontier:
            parent = frontier.pop()
            for pid, (ppid, comm, state) in table.items():
                if ppid == parent and state != "Z":
                    mine.append(f"{pid} {comm}")
                    frontier.append(pid)
        if not mine or time.monotonic() >= deadline:
            return mine
        time.sleep(0.05)


class ThorServer:
    """`thor serve` on 127.0.0.1:<free port> with a JSON config; stop() checks
    that it exits 0 on SIGTERM and leaves no process behind."""

    def __init__(self, config=None, args=()):
        _become_subreaper()
        self.dir = make_temp_dir()
        config_path = os.path.join(self.dir, "config.json")
        with open(config_path, "w", encoding="utf-8") as f:
            json.dump(FAST_CONFIG if config is None else config, f)
        self.argv = [thor_binary(), "serve", "--listen=127.0.0.1:0", f"--config={config_path}",
                     *args]
        self.output = []
        self.process = subprocess.Popen(self.argv, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True,
                                        start_new_session=True)
        port = threading.Event()
        self.port = 0

        def read():
            for line in self.process.stdout:
                self.output.append(line)
                m = re.search(r"listening on port (\d+)", line)
                if m and not port.is_set():
                    self.port = int(m.group(1))
                    port.set()
            port.set()

        self.reader = threading.Thread(target=read, daemon=True)
        self.reader.start()
        if not port.wait(60) or self.port == 0:
            self.process.kill()
            raise AssertionError(f"{' '.join(self.argv)} printed no port:\n{self.log()}")
        self.address = f"127.0.0.1:{self.port}"

    def log(self):
        return "".join(self.output)

    def stop(self):
        """SIGTERM; returns the exit code (the test asserts 0)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self.reader.join(5)
        shutil.rmtree(self.dir, ignore_errors=True)
        return self.process.returncode


class ServerTestCase(unittest.TestCase):
    """One `thor serve` (and a thor.Client on it, `cls.client`) per test class."""

    config = None  # FAST_CONFIG
    needs_coqtop = True

    @classmethod
    def setUpClass(cls):
        if cls.needs_coqtop:
            require_coqtop()
        import thor  # After sys.path points at clients/python.
        cls.server = ThorServer(cls.config)
        cls.client = thor.Client(cls.server.address, timeout=300)

    def run_script(self, path, *args, timeout=600):
        """Runs a Python script of the checkout against this server
        (--server=ADDRESS first); returns (exit code, stdout + stderr)."""
        r = subprocess.run([sys.executable, path, f"--server={self.server.address}", *args],
                           capture_output=True, text=True, timeout=timeout,
                           env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
        return r.returncode, r.stdout + r.stderr

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        code = cls.server.stop()
        if code != 0:
            raise AssertionError(f"thor serve exited {code} on SIGTERM:\n{cls.server.log()}")
        left = leftover_children()
        if left:
            raise AssertionError(f"processes left behind: {', '.join(left)}")
