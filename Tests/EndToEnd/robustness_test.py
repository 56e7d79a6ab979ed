"""Robustness and security tests of `treue serve` over real sockets, beyond protocol_test.py:
a client that never reads (backpressure, memory), 20,000 connection attempts from one
address, a knowledge base with catastrophic patterns, a full or read-only transcript
disk, and login secrets at trace logging. Only 127.0.0.x traffic; every loop and wait
is bounded; servers, mounts and temp folders are cleaned up in `finally`.

Prints the measured numbers (docs/robustness.md quotes them; pytest -s shows them). A sub-case that cannot run here (no tmpfs mount without
root) is skipped with a message, not passed silently.

    make e2e E2E=Tests/EndToEnd/robustness_test.py [PYTEST_ARGS="-k NAME"]
"""
import argparse, errno, glob, hashlib, hmac, json, os, resource, select, shutil, signal, socket, subprocess, sys, \
    tempfile, threading, time, traceback

from harness import ROOT, Client, Server, Skip, treue, test

MEASURED = {}

# A starved customer waits for the whole flood (10 s and more); a customer who is served
# waits milliseconds, or about a second when one fsync stalls on a disk shared with builds.
# The server hands on at most 16 lines of a connection per event-loop turn (LineFramingHandler),
# so in the debug build the suite runs the other customer waited 0.05 to 0.06 s (three runs);
# before that, one burst of flood lines was answered whole before the event loop came back
# (1.7 to 2.9 s, one full-suite run 3.2 s). The bound stays well below what starvation costs.
STARVED_SECONDS = 5.0


def note(key, value):
    MEASURED[key] = value
    print(f"   measured {key}: {value}", flush=True)


def raise_fd_limit(wanted):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


class Prober(threading.Thread):
    """Another customer (from 127.0.0.2) asking every `interval` seconds; records the
    worst round trip and any failure."""

    def __init__(self, server, interval=0.25, question="wo ist mein paket 12345678", intent="order_status"):
        super().__init__(daemon=True)
        self.server, self.interval, self.question, self.intent = server, interval, question, intent
        self.stop_flag = threading.Event()
        self.times, self.errors = [], []

    def run(self):
        try:
            c = self.server.client(source="127.0.0.2", timeout=10)
            c.to_json()
            while not self.stop_flag.is_set():
                answer, took = c.ask(self.question)
                if answer.get("type") != "reply" or answer.get("intent") != self.intent:
                    self.errors.append(answer)
                self.times.append(took)
                self.stop_flag.wait(self.interval)
            c.close()
        except Exception as error:  # noqa: BLE001
            self.errors.append(repr(error))

    def finish(self):
        self.stop_flag.set()
        self.join(timeout=15)
        return max(self.times) if self.times else None


# --- (a) a client that never reads -------------------------------------------------------

@test
def a_client_that_never_reads_cannot_grow_the_servers_memory():
    # The rate limit is lifted so the flood is not simply cut off (protocol_test.py tests that):
    # here only backpressure stands between the flood and the server's memory.
    server = Server("--rate-limit", "1000000", "--burst", "1000000", "--volume-per-connection", "1000000000000", "--volume-per-address", "1000000000000")
    pushers = []
    try:
        warm = server.client()
        warm.to_json()
        for _ in range(20):
            warm.ask("wo ist mein paket 12345678")
        time.sleep(0.5)
        baseline = server.rss_kb()
        prober = Prober(server)
        prober.start()

        line = b"wo ist mein paket 12345678, und wann kommt es?\n"
        chunk = line * (65536 // len(line))
        target_total, duration, count = 50 * 1024 * 1024, 10.0, 4
        sent = [0] * count
        stop = threading.Event()

        def push(n):
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.connect(("127.0.0.1", server.port))
            s.setblocking(False)
            pushers.append(s)
            deadline = time.monotonic() + duration
            while not stop.is_set() and time.monotonic() < deadline and sent[n] < target_total // count:
                _, writable, _ = select.select([], [s], [], 0.2)
                if not writable:
                    continue
                try:
                    sent[n] += s.send(chunk)
                except BlockingIOError:
                    pass
                except OSError:
                    return

        threads = [threading.Thread(target=push, args=(n,), daemon=True) for n in range(count)]
        for t in threads: t.start()
        peak = baseline
        start = time.monotonic()
        while time.monotonic() - start < duration + 1:
            peak = max(peak, server.rss_kb())
            time.sleep(0.2)
        stop.set()
        for t in threads: t.join(timeout=5)
        peak = max(peak, server.rss_kb())
        worst = prober.finish()
        growth_mb = (peak - baseline) / 1024
        processed = sum(1 for r in server.records() if r["type"] == "message") - 20 - len(prober.times)
        note("lines the server answered for the non-readers before backpressure held them", processed)
        slow = sorted(prober.times)[-5:]
        note("slowest round trips of another customer meanwhile (s)", [round(t, 3) for t in slow])
        note("non-reading clients", count)
        note("bytes the non-readers got into the server's socket buffers (MB)", round(sum(sent) / 1048576, 2))
        note("server RSS baseline / peak (MB)", f"{baseline / 1024:.1f} / {peak / 1024:.1f}")
        note("server RSS growth under non-reading clients (MB)", round(growth_mb, 1))
        note("worst round trip of another customer meanwhile (s)", round(worst or -1, 3))
        assert server.alive()
        assert growth_mb < 50, f"RSS grew by {growth_mb:.1f} MB"
        assert sum(sent) < target_total, "the server kept reading from clients that never read (no backpressure)"
        assert not prober.errors, prober.errors[:3]
        assert worst is not None and worst < STARVED_SECONDS, f"worst round trip {worst}"
        # Once a non-reader reads again, the server resumes: replies flow.
        s = pushers[0]
        s.setblocking(True)
        s.settimeout(5)
        got = b""
        try:
            while got.count(b"\n") < 100:
                data = s.recv(65536)
                if not data:
                    break
                got += data
        except socket.timeout:
            pass
        lines_back = got.count(b"\n")
        assert lines_back >= 100, f"only {lines_back} lines after reading again"
    finally:
        for s in pushers:
            s.close()
        server.stop()


# --- (b) 20,000 connection attempts from one address ------------------------------------

@test
def twenty_thousand_connection_attempts_from_one_address_are_capped():
    per_address, attempts, held_count, batch = 100, 20000, 300, 200
    limit = raise_fd_limit(held_count + batch + 200)
    if limit < held_count + batch + 100:
        raise Skip(f"open-file limit {limit} too low")
    server = Server("--max-connections", "1000", "--max-connections-per-address", str(per_address))
    held = []
    try:
        prober = Prober(server, interval=0.25)
        prober.start()
        # Hold 300 connections from 127.0.0.1: exactly `per_address` are greeted.
        for _ in range(held_count):
            held.append(server.client(timeout=5))
        greeted = refused = 0
        for c in held:
            first = c.line()
            if "Willkommen" in first:
                greeted += 1
            elif "belegt" in first or "busy" in first:
                refused += 1
        note("held connections from 127.0.0.1: greeted / refused", f"{greeted} / {refused}")
        assert greeted == per_address and refused == held_count - per_address, (greeted, refused)

        # The rest of the 20,000 attempts: non-blocking connects in batches, closed with a
        # reset (no TIME_WAIT left behind to exhaust local ports); a sample is read.
        start = time.monotonic()
        done = admitted_in_churn = sampled = 0
        linger = (1).to_bytes(4, "little") + (0).to_bytes(4, "little")
        while done < attempts - held_count:
            socks = []
            for _ in range(min(batch, attempts - held_count - done)):
                s = socket.socket()
                s.setblocking(False)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
                s.connect_ex(("127.0.0.1", server.port))
                socks.append(s)
            deadline = time.monotonic() + 5
            pending = list(socks)
            while pending and time.monotonic() < deadline:
                _, writable, _ = select.select([], pending, [], 0.5)
                pending = [s for s in pending if s not in writable]
            # Read what the server said to every 20th socket of the batch.
            for s in socks[::20]:
                s.setblocking(True)
                s.settimeout(2)
                try:
                    data = s.recv(4096)
                    sampled += 1
                    if b"Willkommen" in data:
                        admitted_in_churn += 1
                except OSError:
                    pass
            for s in socks:
                s.close()
            done += len(socks)
        churn_seconds = time.monotonic() - start
        worst = prober.finish()
        note("connection attempts from 127.0.0.1", held_count + done)
        note("seconds for the connection churn", round(churn_seconds, 1))
        note("sampled churn connections greeted (must be 0)", f"{admitted_in_churn} of {sampled}")
        note("worst round trip of a 127.0.0.2 customer during the churn (s)", round(worst or -1, 3))
        assert server.alive()
        assert admitted_in_churn == 0
        assert sampled > 0
        assert not prober.errors, prober.errors[:3]
        assert worst is not None and worst < STARVED_SECONDS, worst
        # Slots are released exactly: after everything closes, 127.0.0.1 gets its full cap back.
        for c in held:
            c.close()
        held.clear()
        time.sleep(0.5)
        for _ in range(per_address):
            held.append(server.client(timeout=5))
        again = sum(1 for c in held if "Willkommen" in c.line())
        extra = server.client(timeout=5)
        note("after closing all: new 127.0.0.1 connections greeted", again)
        assert again == per_address, again
        assert "belegt" in extra.line()
        extra.close()
    finally:
        for c in held:
            c.close()
        server.stop()


# --- (c) a knowledge base with catastrophic patterns --------------------------------------

HOSTILE_YAML = r"""# Test fixture: patterns that backtrack catastrophically.
intents:
  - id: hostile_backtracking
    title: { de: Feindliches Muster, en: Hostile pattern }
    priority: -20
    patterns:
      de:
        - '(a+)+$'
        - '(\w+\s?)+$'
      en:
        - '(x+x+)+y'
    examples:
      de: ["EXAMPLE_DE"]
      en: ["xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxy"]
    answers:
      default:
        de: "Das sollte niemand sehen."
        en: "Nobody should see this."
"""


def hostile_knowledge_base(example_de):
    folder = tempfile.mkdtemp(prefix="treue-hostile-")
    intents = os.path.join(folder, "Intents")
    shutil.copytree(os.path.join(ROOT, "Intents"), intents)
    with open(os.path.join(intents, "zz-hostile.yaml"), "w", encoding="utf-8") as f:
        f.write(HOSTILE_YAML.replace("EXAMPLE_DE", example_de))
    return folder, intents


@test
def a_catastrophic_pattern_is_reported_by_check_and_cannot_slow_the_server():
    folder, intents = hostile_knowledge_base("a" * 40 + "!")
    server = None
    try:
        check = subprocess.run([treue(), "check", "--intents", intents], capture_output=True, text=True, timeout=300, cwd=ROOT)
        out = check.stdout + check.stderr
        limit_lines = [l for l in out.splitlines() if "match limit" in l]
        print("   check says:", limit_lines[0][:160] if limit_lines else out[-300:], flush=True)
        assert check.returncode != 0, out[-2000:]
        assert limit_lines and "hostile_backtracking" in limit_lines[0], out[-2000:]

        # Deployed anyway (serve does not run the examples): the match limit keeps it cheap.
        server = Server("--max-line-bytes", "16384", "--rate-limit", "100", "--burst", "100", "--volume-per-connection", "1000000000000", "--volume-per-address", "1000000000000", intents=intents)
        prober = Prober(server, interval=0.05)
        prober.start()
        c = server.client(timeout=30)
        session = c.to_json()
        worst = {}
        lines = {"10 KB of 'a' + '!'": "a" * 10239 + "!", "10 KB of 'a ' words + '!'": "a " * 5119 + "!",
                 "10 KB of 'x' + ' y!'": "x" * 10237 + " y!"}
        for name, text in lines.items():
            times = []
            for _ in range(20):
                answer, took = c.ask(text)
                assert answer["type"] == "reply" and answer["intent"] is None, answer
                times.append(took)
            worst[name] = max(times)
            note(f"worst of 20 round trips, {name} (s)", round(max(times), 4))
        prober_worst = prober.finish()
        note("worst round trip of another customer meanwhile (s)", round(prober_worst or -1, 4))
        assert max(worst.values()) < STARVED_SECONDS, worst
        # For comparison: the same lines against the shipped knowledge base alone.
        plain = Server("--max-line-bytes", "16384", "--rate-limit", "100", "--burst", "100", "--volume-per-connection", "1000000000000", "--volume-per-address", "1000000000000")
        try:
            p = plain.client(timeout=30)
            p.to_json()
            for name, text in lines.items():
                times = [p.ask(text)[1] for _ in range(20)]
                note(f"same, shipped knowledge base only, {name} (s)", round(max(times), 4))
            p.close()
        finally:
            plain.stop()
        assert not prober.errors, prober.errors[:3]
        assert prober_worst is not None and prober_worst < STARVED_SECONDS
        # Ordinary questions still get their intent despite the unindexed hostile pattern.
        answer, _ = c.ask("Hallo, wo bleibt meine Bestellung 4410293?")
        assert answer["intent"] == "order_status", answer
        time.sleep(0.3)
        limits = [r for r in server.records() if r["type"] == "pattern_limit" and r["session"] == session]
        note("pattern_limit transcript records", len(limits))
        assert len(limits) >= 60 and all(r["intent"] == "hostile_backtracking" for r in limits), limits[:3]
        logs = server.logs()
        assert "match limit" in logs or "pattern_limit" in logs or "pattern limit" in logs, \
            "the server log never mentions the match limit (operators are not told)"
    finally:
        if server:
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)


# --- (d) read-only or full transcript disk ------------------------------------------------

def mount_tmpfs(path, options):
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", path], capture_output=True, text=True)
    return result.returncode == 0


def unmount(path):
    subprocess.run(["umount", "-l", path], capture_output=True)


@test
def a_read_only_transcript_directory_stops_the_server_from_starting():
    base = tempfile.mkdtemp(prefix="treue-ro-")
    target = os.path.join(base, "transcripts")
    os.mkdir(target)
    mounted = False
    try:
        if os.geteuid() == 0:
            # root ignores permission bits: use a read-only file system instead.
            mounted = mount_tmpfs(target, "ro,size=64k")
            if not mounted:
                raise Skip("running as root and cannot mount a read-only tmpfs")
        else:
            os.chmod(target, 0o500)
        proc = subprocess.run([treue(), "serve", "--port", "0", "--transcripts", target], capture_output=True, text=True,
                              timeout=30, cwd=ROOT, env=dict(os.environ, SWIFT_BACKTRACE="enable=no"))
        said = [l for l in proc.stderr.splitlines() if "transcript" in l]
        print("   serve says:", said[0][:160] if said else proc.stderr[-200:], flush=True)
        assert proc.returncode != 0, proc.stdout
        assert "not writable" in proc.stderr, proc.stderr
        assert "listening" not in proc.stdout
    finally:
        if mounted:
            unmount(target)
        else:
            os.chmod(target, 0o700)
        shutil.rmtree(base, ignore_errors=True)


@test
def a_full_disk_refuses_answers_instead_of_lying_and_the_server_recovers():
    full_disk("always")


@test
def without_fsync_a_full_disk_still_refuses_answers_and_the_server_recovers():
    # Without fsync the event loops write the records themselves: the same promise holds.
    full_disk("never")


def full_disk(fsync):
    if os.geteuid() != 0:
        raise Skip("needs root to mount a small tmpfs")
    base = tempfile.mkdtemp(prefix="treue-full-")
    target = os.path.join(base, "transcripts")
    os.mkdir(target)
    if not mount_tmpfs(target, "size=64k,mode=0700"):
        shutil.rmtree(base, ignore_errors=True)
        raise Skip("cannot mount a tmpfs here")
    server = None
    try:
        # Fill the disk, then free 8 KB: room for a few records only.
        filler = os.path.join(target, "filler")
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            for _ in range(1000):
                os.write(fd, b"x" * 4096)
        except OSError as error:
            assert error.errno == errno.ENOSPC, error
        finally:
            os.close(fd)
        size = os.path.getsize(filler)
        os.truncate(filler, max(0, size - 8192))
        # The free-space guard (--min-free-disk-mb) would refuse every session on this 64 KiB
        # disk; off, so the write path itself is what is tested here.
        server = Server("--fsync", fsync, "--min-free-disk-mb", "0", transcripts=target)
        c = server.client()
        session = c.to_json()
        replies_received = 0
        failure = None
        for i in range(300):
            try:
                answer, _ = c.ask(f"wo ist mein paket {10000000 + i}")
            except (EOFError, ConnectionResetError) as error:
                failure = repr(error)
                break
            if answer["type"] == "reply":
                replies_received += 1
            elif answer["type"] == "error":
                failure = answer
                break
        note("replies before the disk was full", replies_received)
        print(f"   customer got: {failure}", flush=True)
        assert isinstance(failure, dict) and failure.get("code") == "unavailable", failure
        assert "not stored" in failure["text"] or "nicht gespeichert" in failure["text"]
        assert c.closed(), "the connection stays open after a failed transcript write"
        time.sleep(0.3)
        assert server.alive()
        assert "transcript write failed" in server.logs(), server.logs()[-1000:]
        # No lie: every reply the customer received is on disk.
        on_disk = [r for r in server.records() if r["session"] == session and r["type"] == "reply"]
        assert len(on_disk) >= replies_received, (len(on_disk), replies_received)
        # While the disk is full, a new customer is told, not answered (at the latest on
        # the first line: the greeting itself may be sent before anything is stored).
        d = server.client()
        said = d.line()
        if "nicht gespeichert" not in said:
            d.send("wo ist mein paket 12345678")
            said = d.line()
        assert "nicht gespeichert" in said and "not stored" in said, said
        assert d.closed()
        # Space freed: the same server serves again, without a restart.
        os.unlink(filler)
        e = server.client()
        e.to_json()
        answer, took = e.ask("wo ist mein paket 12345678")
        assert answer["type"] == "reply" and answer["intent"] == "order_status", answer
        assert server.alive()
        # Readers skip at most torn lines; every complete line is valid JSON.
        bad = 0
        for path in glob.glob(os.path.join(target, "*.jsonl")):
            lines = open(path, "rb").read().split(b"\n")
            for raw in lines[:-1]:
                try:
                    json.loads(raw)
                except ValueError:
                    bad += 1
        note("torn transcript lines after the disk filled", bad)
        assert bad <= 1, bad
    finally:
        if server:
            server.stop()
        unmount(target)
        shutil.rmtree(base, ignore_errors=True)


# --- (e) secrets at trace logging, hostile customer ids ----------------------------------

@test
def the_login_secret_never_reaches_logs_or_transcripts_and_bad_ids_are_refused():
    secrets = ["old-rotated-secret-4b1d", "current-secret-9f3e7a"]
    folder = tempfile.mkdtemp(prefix="treue-secret-")
    secret_file = os.path.join(folder, "secrets")
    with open(secret_file, "w") as f:
        f.write("# rotation: old first\n" + "\n".join(secrets) + "\n")
    os.chmod(secret_file, 0o600)
    server = Server("--login-secret-file", secret_file, "--max-line-bytes", "20000", log_level="trace")
    try:
        c = server.client()
        c.to_json()
        tokens = []
        for secret in secrets:
            expiry = int(time.time()) + 300
            mac = hmac.new(secret.encode(), f"C1001.{expiry}".encode(), hashlib.sha256).hexdigest()
            tokens.append(mac)
            answer, _ = c.ask(f"/login C1001 {expiry}.{mac}")
            assert answer["type"] == "info", answer
            if secret == secrets[0]:
                # Her points expire soon: a proactive welcome, once per session.
                assert c.json()["type"] == "proactive"
        wrong = hmac.new(b"guessed", f"C1001.{int(time.time()) + 300}".encode(), hashlib.sha256).hexdigest()
        answer, _ = c.ask(f"/login C1001 {int(time.time()) + 300}.{wrong}")
        assert answer["code"] == "login_failed", answer
        # A 10,000-character id, a traversal and an absurd expiry: one refusal for all.
        long_id = "C" * 10000
        expiry = int(time.time()) + 300
        long_mac = hmac.new(secrets[1].encode(), f"{long_id}.{expiry}".encode(), hashlib.sha256).hexdigest()
        for line in [f"/login {long_id} {expiry}.{long_mac}", f"/login C1001/../../etc/passwd {expiry}.{tokens[1]}",
                     f"/login C1001 99999999999999999999999.{tokens[1]}", "/login " + "x" * 64 + "y 1.00"]:
            answer, _ = c.ask(line)
            assert answer["type"] == "error" and answer["code"] == "login_failed", (line[:40], answer)
        c.sock.sendall(b"/login C10\x0001 1.00\n")
        assert c.json()["code"] == "control_characters"
        # At the default line limit a 10,000-character id never gets as far as /login.
        d = Server("--login-secret-file", secret_file, log_level="trace")
        try:
            dc = d.client()
            dc.to_json()
            answer, _ = dc.ask(f"/login {long_id} {expiry}.{long_mac}")
            assert answer["code"] == "line_too_long", answer
            dc.close()
            time.sleep(0.2)
            d_everything = d.logs() + d.transcript_text()
        finally:
            d.stop()
        c.send("/quit"); c.json(); c.send("5"); c.json()
        time.sleep(0.3)
        everything = server.logs() + server.transcript_text() + d_everything
        cmdline = open(f"/proc/{server.proc.pid}/cmdline", "rb").read().decode(errors="replace")
        for secret in secrets:
            assert secret not in everything, "a login secret is in the logs or transcripts"
            assert secret not in cmdline
        for token in tokens + [wrong, long_mac]:
            assert token not in everything, "a login token is in the logs or transcripts"
        assert long_id not in everything, "the 10,000-character id was recorded"
        logins = [r for r in server.records() if r["type"] == "login"]
        assert [r["customer"] for r in logins] == ["C1001", "C1001"] and all(r["verified"] for r in logins), logins
        note("trace log lines checked for secrets", len(server.logs().splitlines()))
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)

