"""Scale-out test: HAProxy (TCP mode, leastconn, health check) in front of two instances.

Starts two real `treue serve` instances (`--instance a` and `--instance b`, each with its
own transcript directory, port 0) and a real HAProxy running deploy/haproxy.cfg with the
ports replaced by free loopback ports. Then runs many short JSON-mode conversations
through HAProxy from a pool of threads, kills instance b with SIGKILL midway, and checks:

  * both instances served conversations before the kill (leastconn spreads the load);
  * every conversation started after the kill is served (by the survivor);
  * every answer a client received has its reply record on disk, in one of the two
    transcript directories (matched by session id from the JSON greeting and reply
    text), including the answers instance b gave right before it was killed;
  * `treue review` reads both directories.

    python3 -m pytest Tests/EndToEnd/haproxy_test.py --treue .build/debug/treue

Needs the Debian package haproxy (`make test` installs it). Only 127.0.0.x traffic,
everything bounded in time. Each check is one pytest result.
"""
import concurrent.futures
import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import pytest

from harness import Checks

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEADLINE_S = 90
IO_TIMEOUT_S = 5

QUESTIONS = [
    "Wo ist meine Bestellung 12345678?",
    "Wie lange dauert der Versand?",
    "Wie kann ich Punkte einlösen?",
    "Wo bleibt mein Paket 87654321?",
    "hallo",
    "Where is my order 1234567?",
    "Was kostet der Versand?",
    "danke",
]
PLACEHOLDER = re.compile(r"\\\[(?:email|iban|card|phone)\\\]")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc, sig=signal.SIGTERM):
    if proc is None or proc.poll() is not None:
        return
    try:
        proc.send_signal(sig)
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)
    except ProcessLookupError:
        pass


# The PROXY protocol and health settings of deploy/treue.service, with a per-address cap
# small enough to test and large enough for the concurrent clients from 127.0.0.1.
PER_ADDRESS_CAP = 16


def start_treue(treue, name, workdir, intents):
    transcripts = os.path.join(workdir, "transcripts-" + name)
    log = open(os.path.join(workdir, f"treue-{name}.log"), "wb")
    proc = subprocess.Popen([treue, "serve", "--port", "0", "--instance", name, "--intents", intents,
                             "--transcripts", transcripts, "--customers", os.path.join(ROOT, "Customers", "demo.csv"),
                             "--proxy-protocol", "--trusted-proxy", "127.0.0.1", "--metrics-port", "0",
                             "--max-connections-per-address", str(PER_ADDRESS_CAP)],
                            stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL, cwd=ROOT)
    end = time.monotonic() + 30
    metrics_port = None
    while time.monotonic() < end:
        line = proc.stdout.readline().decode()
        if not line:
            raise RuntimeError(f"treue serve ({name}) exited; see {log.name}")
        if line.startswith("metrics on "):
            metrics_port = int(line.rsplit(":", 1)[1])
        if line.startswith("listening on "):
            # Keep draining stdout so the server never blocks on a full pipe.
            threading.Thread(target=proc.stdout.read, daemon=True).start()
            return proc, int(line.rsplit(":", 1)[1]), metrics_port, transcripts
    raise TimeoutError(f"treue serve ({name}) did not report its port")


def haproxy_config(front, port_a, port_b, metrics_a, metrics_b):
    """deploy/haproxy.cfg with the documented ports replaced; fails loudly if the file
    no longer has them, so the test keeps exercising the shipped configuration."""
    with open(os.path.join(ROOT, "deploy", "haproxy.cfg")) as f:
        text = f.read()
    replacements = [("bind 127.0.0.1:4242", f"bind 127.0.0.1:{front}"),
                    ("server a 127.0.0.1:4301", f"server a 127.0.0.1:{port_a}"),
                    ("server b 127.0.0.1:4302", f"server b 127.0.0.1:{port_b}"),
                    ("check port 9301", f"check port {metrics_a}"),
                    ("check port 9302", f"check port {metrics_b}")]
    for old, new in replacements:
        if old not in text:
            raise RuntimeError(f"deploy/haproxy.cfg: expected `{old}`")
        text = text.replace(old, new)
    # Faster failure detection for the test; the rest is the shipped file.
    return text.replace("default-server inter 2s", "default-server inter 500ms")


# ---------------------------------------------------------------------------- a client

class LineReader:
    def __init__(self, sock):
        self.sock = sock
        self.buffer = b""

    def line(self):
        while b"\n" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed by peer")
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line.decode("utf-8")

    def obj(self, wanted):
        """Next JSON object of one of the wanted types (info objects are skipped)."""
        while True:
            o = json.loads(self.line())
            if o.get("type") in wanted:
                return o
            if o.get("type") == "error":
                raise RuntimeError(f"server error: {o}")


def conversation(port, n):
    """One short chat through HAProxy. Returns a dict with the session id, the replies
    received (text, intent) and whether it completed; never raises."""
    result = {"n": n, "session": None, "replies": [], "ok": False, "error": None, "start": time.monotonic()}
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=IO_TIMEOUT_S) as sock:
            sock.settimeout(IO_TIMEOUT_S)
            reader = LineReader(sock)
            reader.line()                                   # plain-text greeting
            sock.sendall(b"/json\n")
            reader.obj({"mode"})
            greeting = reader.obj({"greeting"})
            result["session"] = greeting["session"]
            for i in range(2):
                question = QUESTIONS[(n + i) % len(QUESTIONS)]
                sock.sendall(question.encode() + b"\n")
                reply = reader.obj({"reply", "prompt"})
                result["replies"].append((reply["text"], reply.get("intent"), reply["type"]))
            sock.sendall(b"/quit\n")
            reader.obj({"prompt"})                          # the 1-5 rating question
            sock.sendall(b"4\n")
            reader.obj({"bye"})
            result["ok"] = True
    except Exception as e:  # noqa: BLE001 - recorded and judged by the caller
        result["error"] = f"{type(e).__name__}: {e}"
    result["end"] = time.monotonic()
    return result


# ---------------------------------------------------------------------------- transcripts

def read_records(directory):
    records = []
    for path in sorted(glob.glob(os.path.join(directory, "*.jsonl"))):
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    records.append(json.loads(line))
                except ValueError:
                    pass        # a torn last line (SIGKILL) is allowed
    return records


def reply_matches(record_text, received):
    if record_text == received:
        return True
    # Personal data in replies is redacted on disk ([phone], [email], ...).
    pattern = PLACEHOLDER.sub(".+?", re.escape(record_text))
    return pattern != re.escape(record_text) and re.fullmatch(pattern, received) is not None


# ---------------------------------------------------------------------------- main

# Every check the scenario makes, each one pytest result (see `test_haproxy`).
CHECKS = [
    "deploy/haproxy.cfg is valid (haproxy -c)",
    "behind HAProxy the per-address cap counts each customer's address (PROXY v2)",
    "GET /healthz answers 200 serving",
    "a connection from the trusted proxy's address without a PROXY header is closed",
    "all conversations before the kill were served",
    "leastconn spread them over both instances",
    "after SIGKILL of b, every new conversation is served",
    "the survivor (a) served everything after the kill",
    "every answer a client received has its reply record on disk",
    "transcript files carry the instance name",
    "treue review reads both directories",
    "stayed within the time budget",
]


class Settings:
    intents = os.path.join(ROOT, "Intents")
    conversations = 200
    clients = 12
    keep = False


def run_scenario(treue):
    """Runs the whole scenario once and returns its checks."""
    args = Settings()
    args.treue = treue
    deadline = time.monotonic() + DEADLINE_S

    checks = Checks()
    workdir = tempfile.mkdtemp(prefix="treue-haproxy-test-")
    procs = {}
    try:
        treue = os.path.abspath(args.treue)
        if not os.access(treue, os.X_OK):
            raise RuntimeError(f"{treue} is missing: run `swift build` first")
        haproxy = shutil.which("haproxy") or ("/usr/sbin/haproxy" if os.access("/usr/sbin/haproxy", os.X_OK) else None)
        if not haproxy:
            raise RuntimeError("haproxy not found (apt-get install haproxy)")

        procs["a"], port_a, metrics_a, dir_a = start_treue(treue, "a", workdir, args.intents)
        procs["b"], port_b, metrics_b, dir_b = start_treue(treue, "b", workdir, args.intents)
        front = free_port()
        cfg = os.path.join(workdir, "haproxy.cfg")
        with open(cfg, "w") as f:
            f.write(haproxy_config(front, port_a, port_b, metrics_a, metrics_b))
        valid = subprocess.run([haproxy, "-c", "-q", "-f", cfg], capture_output=True, text=True, timeout=20)
        checks.check("deploy/haproxy.cfg is valid (haproxy -c)", valid.returncode == 0, valid.stderr.strip()[:300])
        hlog = open(os.path.join(workdir, "haproxy.log"), "wb")
        procs["haproxy"] = subprocess.Popen([haproxy, "-db", "-f", cfg], stdout=hlog, stderr=hlog,
                                            stdin=subprocess.DEVNULL)

        # Wait until both servers are up in HAProxy's eyes (the first checks pass).
        end = time.monotonic() + 15
        while time.monotonic() < end:
            if procs["haproxy"].poll() is not None:
                raise RuntimeError("haproxy exited; see " + hlog.name)
            probe = conversation(front, 0)
            if probe["ok"]:
                break
            time.sleep(0.2)
        else:
            raise TimeoutError("HAProxy did not start serving")
        time.sleep(1.5)      # rise 2 x inter 500 ms: both servers counted up

        # PROXY protocol: the per-address cap counts the customer's address, not HAProxy's.
        # 2 x cap + 2 connections from 127.0.0.2 through HAProxy: both instances fill up
        # for that address, the rest are refused, and 127.0.0.3 is still served.
        crowd = []
        busy = 0
        for _ in range(2 * PER_ADDRESS_CAP + 2):
            sock = socket.socket()
            sock.settimeout(IO_TIMEOUT_S)
            sock.bind(("127.0.0.2", 0))
            sock.connect(("127.0.0.1", front))
            first = LineReader(sock).line()
            crowd.append(sock)
            busy += "belegt" in first or "busy" in first
        other = socket.socket()
        other.settimeout(IO_TIMEOUT_S)
        other.bind(("127.0.0.3", 0))
        other.connect(("127.0.0.1", front))
        other_first = LineReader(other).line()
        checks.check("behind HAProxy the per-address cap counts each customer's address (PROXY v2)",
                     busy == 2 and "belegt" not in other_first, f"{busy} of {len(crowd)} from 127.0.0.2 refused, "
                     f"127.0.0.3 got {other_first[:40]!r}")
        for sock in crowd + [other]:
            sock.close()
        health = subprocess.run(["python3", "-c", f"import urllib.request as u; print(u.urlopen('http://127.0.0.1:{metrics_a}/healthz').read().decode())"],
                                capture_output=True, text=True, timeout=10)
        checks.check("GET /healthz answers 200 serving", health.returncode == 0 and "serving" in health.stdout, health.stdout.strip() or health.stderr[-200:])
        direct = socket.create_connection(("127.0.0.1", port_a), timeout=IO_TIMEOUT_S)
        direct.sendall(b"hallo\n")
        try:
            closed = direct.recv(1024) == b""
        except ConnectionResetError:
            closed = True
        direct.close()
        checks.check("a connection from the trusted proxy's address without a PROXY header is closed", closed)

        total = args.conversations
        kill_after = total * 2 // 5
        results = []
        lock = threading.Lock()
        kill_time = [None]      # SIGKILL sent
        dead_time = [None]      # instance b reaped

        def run(n):
            if time.monotonic() > deadline - 20:
                return {"n": n, "skipped": True}
            r = conversation(front, n)
            with lock:
                results.append(r)
                done = sum(1 for x in results if x.get("ok"))
                if kill_time[0] is None and done >= kill_after:
                    kill_time[0] = time.monotonic()
                    procs["b"].send_signal(signal.SIGKILL)
                    procs["b"].wait(timeout=5)        # gone, its sockets closed
                    dead_time[0] = time.monotonic()
                    print(f"     SIGKILL instance b after {done} conversations")
            return r

        with concurrent.futures.ThreadPoolExecutor(max_workers=args.clients) as pool:
            list(pool.map(run, range(1, total + 1)))
        skipped = sum(1 for r in results if r.get("skipped"))
        results = [r for r in results if not r.get("skipped")]
        kt, dt = kill_time[0], dead_time[0]
        before = [r for r in results if kt is None or r["end"] <= kt]
        after = [r for r in results if dt is not None and r["start"] > dt]
        during = [r for r in results if r not in before and r not in after]

        # Which instance served whom: the session's records sit in that instance's directory.
        records_a, records_b = read_records(dir_a), read_records(dir_b)
        sessions_a = {r["session"] for r in records_a}
        sessions_b = {r["session"] for r in records_b}
        served_a = sum(1 for r in before if r["session"] in sessions_a)
        served_b = sum(1 for r in before if r["session"] in sessions_b)

        checks.check("all conversations before the kill were served",
                     before and all(r["ok"] for r in before),
                     f"{sum(r['ok'] for r in before)}/{len(before)}")
        checks.check("leastconn spread them over both instances", served_a > 0 and served_b > 0,
                     f"a={served_a} b={served_b}")
        failed_after = [r for r in after if not r["ok"]]
        checks.check("after SIGKILL of b, every new conversation is served",
                     kt is not None and len(after) >= total // 3 and not failed_after,
                     f"{len(after) - len(failed_after)}/{len(after)} served, {len(during)} in flight at the kill "
                     f"({sum(not r['ok'] for r in during)} cut off)"
                     + (f"; first failure: {failed_after[0]['error']}" if failed_after else ""))
        survivors = sum(1 for r in after if r["session"] in sessions_a)
        checks.check("the survivor (a) served everything after the kill",
                     survivors == len([r for r in after if r["ok"]]), f"{survivors}")

        # Every answer received has its reply record on disk in one of the two directories.
        replies_by_session = {}
        for rec in records_a + records_b:
            if rec.get("type") == "reply":
                replies_by_session.setdefault(rec["session"], []).append(rec)
        received = missing = 0
        examples = []
        for r in results:
            for text, intent, kind in r["replies"]:
                if kind != "reply":
                    continue
                received += 1
                candidates = replies_by_session.get(r["session"], [])
                if not any(reply_matches(c.get("text", ""), text) and c.get("intent") == intent for c in candidates):
                    missing += 1
                    if len(examples) < 3:
                        examples.append(f"{r['session']}: {text[:60]!r}")
        from_b = sum(1 for r in results for x in r["replies"] if r["session"] in sessions_b)
        checks.check("every answer a client received has its reply record on disk",
                     received > 0 and missing == 0,
                     f"{received} answers, {from_b} of them from b, {missing} missing" +
                     (": " + "; ".join(examples) if examples else ""))

        files = sorted(os.path.basename(p) for p in glob.glob(os.path.join(dir_a, "*")) + glob.glob(os.path.join(dir_b, "*")))
        checks.check("transcript files carry the instance name",
                     files and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}\.[ab]\.jsonl", f) for f in files)
                     and any(".a." in f for f in files) and any(".b." in f for f in files), ", ".join(files))

        review = subprocess.run([treue, "review", "--format", "json", dir_a, dir_b], capture_output=True,
                                text=True, timeout=30, cwd=ROOT)
        try:
            report = json.loads(review.stdout)
            files_read = report.get("input", {}).get("files")
        except ValueError:
            report, files_read = None, None
        checks.check("treue review reads both directories", review.returncode == 0 and report is not None
                     and files_read in (None, len(files)),
                     f"exit {review.returncode}, files {files_read}" + (f", {review.stderr.strip()[:200]}" if review.returncode else ""))
        checks.check("stayed within the time budget", not skipped, f"{skipped} conversations skipped")
    except Exception as e:  # noqa: BLE001 - the checks not reached fail with this reason
        checks.stopped = f"{type(e).__name__}: {e}"
        print("scenario stopped:", checks.stopped, flush=True)
    finally:
        for name in ("haproxy", "a", "b"):
            stop(procs.get(name))
        failed = checks.stopped or not all(ok for ok, _ in checks.results.values())
        if args.keep or failed:
            print("logs and transcripts kept in", workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return checks


@pytest.fixture(scope="module")
def scenario(treue_binary):
    if not (shutil.which("haproxy") or os.access("/usr/sbin/haproxy", os.X_OK)):
        pytest.fail("haproxy not found (scripts/install-deps.sh test installs it)")
    return run_scenario(treue_binary)


@pytest.mark.parametrize("check", CHECKS)
def test_haproxy(scenario, check):
    scenario.verify(check)
