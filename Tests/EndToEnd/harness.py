"""What the end-to-end suites share: a real `treue serve` on a free port with its own
transcript folder, a line client, the `test` mark pytest collects (Tests/conftest.py), and
the scenario checks that become one pytest result each."""
import glob, json, os, signal, socket, subprocess, tempfile, time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SETTINGS = {"treue": os.path.join(ROOT, ".build", "debug", "treue")}


def treue():
    return SETTINGS["treue"]


class Skip(pytest.skip.Exception):
    """A test that cannot run on this machine (pytest reports it as skipped)."""


class Server:
    """A real `treue serve` on a free port with its own transcript directory."""

    def __init__(self, *args, env=None, transcripts=None, intents=None, log_level="notice"):
        self.dir = transcripts or tempfile.mkdtemp(prefix="treue-e2e-")
        cmd = [SETTINGS["treue"], "serve", "--port", "0", "--transcripts", self.dir, "--intents", intents or os.path.join(ROOT, "Intents"),
               "--customers", os.path.join(ROOT, "Customers", "demo.csv"), "--log-level", log_level, *args]
        full_env = dict(os.environ, SWIFT_BACKTRACE="enable=no")
        full_env.pop("TREUE_LOGIN_SECRET", None)
        full_env.update(env or {})
        self.log = tempfile.NamedTemporaryFile(prefix="treue-e2e-log-", delete=False)
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.log, env=full_env, text=True)
        line = self.proc.stdout.readline()
        self.metrics_port = None
        if line.startswith("metrics on"):  # with --metrics-port
            self.metrics_port = int(line.strip().rsplit(":", 1)[1])
            line = self.proc.stdout.readline()
        if not line.startswith("listening on"):
            self.proc.wait(timeout=10)
            raise RuntimeError(f"server did not start: {line!r} {self.logs()}")
        self.port = int(line.strip().rsplit(":", 1)[1])

    def client(self, source="127.0.0.1", **kw):
        return Client(self.port, source, **kw)

    def rss_kb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def records(self):
        out = []
        for path in sorted(glob.glob(os.path.join(self.dir, "*.jsonl"))):
            for line in open(path, encoding="utf-8", errors="replace"):
                try:
                    out.append(json.loads(line))
                except ValueError:
                    pass
        return out

    def transcript_text(self):
        return "".join(open(p, encoding="utf-8", errors="replace").read() for p in glob.glob(os.path.join(self.dir, "*.jsonl")))

    def logs(self):
        return open(self.log.name, encoding="utf-8", errors="replace").read()

    def alive(self):
        return self.proc.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        try:
            os.unlink(self.log.name)
        except OSError:
            pass
        return self.proc.returncode


class Client:
    def __init__(self, port, source="127.0.0.1", timeout=5, rcvbuf=None):
        self.sock = socket.socket()
        self.sock.settimeout(timeout)
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        if source != "127.0.0.1":
            self.sock.bind((source, 0))
        self.sock.connect(("127.0.0.1", port))
        self.buffer = b""

    def send(self, text):
        self.sock.sendall(text.encode() + b"\n")

    def line(self):
        while b"\n" not in self.buffer:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError("connection closed")
            self.buffer += data
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode()

    def expect(self, *needles, limit=12):
        """Reads lines until one contains any of `needles` (plain replies may span lines)."""
        seen = []
        for _ in range(limit):
            line = self.line()
            seen.append(line)
            if any(n in line for n in needles):
                return line
        raise AssertionError(f"none of {needles} in {seen}")

    def until(self, predicate, limit=20):
        for _ in range(limit):
            obj = self.json()
            if predicate(obj):
                return obj
        raise AssertionError("expected line never came")

    def send_raw(self, data):
        self.sock.sendall(data)

    def json(self):
        return json.loads(self.line())

    def to_json(self):
        self.line()  # plain greeting
        self.send("/json")
        for _ in range(5):
            if self.json()["type"] == "mode":
                break
        greeting = self.json()
        assert greeting["type"] == "greeting", greeting
        return greeting["session"]

    def ask(self, text):
        """Sends one message and returns (first JSON answer, seconds until it came)."""
        start = time.monotonic()
        self.send(text)
        answer = self.json()
        return answer, time.monotonic() - start

    def closed(self, timeout=5):
        self.sock.settimeout(timeout)
        try:
            while True:
                data = self.sock.recv(65536)
                if not data:
                    return True
                self.buffer += data
        except (ConnectionResetError, BrokenPipeError):
            return True
        except socket.timeout:
            return False

    def close(self):
        self.sock.close()



def test(fn):
    """Marks an end-to-end test; Tests/conftest.py collects marked functions."""
    fn.treue_test = True
    return fn


test.__test__ = False  # the mark itself is no test


class Checks:
    """The named checks of a scenario that runs once (a fixture), each reported by its own
    pytest test through `verify`."""

    def __init__(self):
        self.results = {}
        self.stopped = None

    def check(self, name, ok, detail=""):
        ok = bool(ok)
        self.results[name] = (ok, detail)
        print(("ok   " if ok else "FAIL ") + name + (f" ({detail})" if detail else ""), flush=True)
        return ok

    def verify(self, name):
        if name not in self.results:
            pytest.fail(f"the scenario stopped before this check: {self.stopped or 'no reason recorded'}")
        ok, detail = self.results[name]
        assert ok, detail
