"""End-to-end tests of `treue serve` over real sockets: every command, bad input, limits,
signals, and transcript durability after kill -9. Only 127.0.0.x traffic; every loop and
wait is bounded. Run with `make e2e` (pytest)."""
import argparse, glob, hashlib, hmac, json, os, shutil, signal, socket, subprocess, sys, tempfile, threading, time, traceback

from harness import ROOT, Server, treue, test





def to_json(client):
    client.send("/json")
    assert client.until(lambda o: o["type"] == "mode")["mode"] == "json"
    greeting = client.json()
    assert greeting["type"] == "greeting" and len(greeting["session"]) == 32, greeting
    return greeting["session"]


@test
def plain_text_conversation_with_every_command():
    server = Server()
    try:
        c = server.client()
        greeting = c.line()
        assert "Willkommen" in greeting, greeting
        c.send("wo bleibt mein paket 4711001?")
        c.expect("4711001")
        c.send("/help")
        help_text = c.expect("/quit")
        for command in ["/lang", "/login", "/feedback", "/rate", "/agent", "/reset", "/quit"]:
            assert command in help_text, command
        c.send("/LANG en")
        c.expect("English")
        c.send("/phase")
        c.expect("service")
        c.send("/phase loyalty")
        c.expect("loyalty")
        c.send("/login C1001")
        c.expect("Logged in")
        c.send("/feedback 5 sehr hilfreich")
        c.expect("Thank")
        c.send("/rate up")
        c.expect("Thanks")
        c.send("/why")
        c.expect("intent:")
        c.send("/agent")
        c.expect("T-")
        c.send("/reset")
        c.expect("reset")
        c.send("/nonsense")
        assert "/help" in c.expect("! ")
        c.send("/quit")
        c.expect("1")
        c.send("4")
        c.expect("Goodbye", "Wiedersehen")
        assert c.closed()
        time.sleep(0.2)
        records = server.records()
        types = [r["type"] for r in records]
        for kind in ["session_open", "message", "reply", "phase_change", "login", "feedback", "rating", "handoff", "command", "error", "session_close"]:
            assert kind in types, kind
        assert [r["score"] for r in records if r["type"] == "feedback"] == [5, 4]
        sessions = {r["session"] for r in records}
        assert len(sessions) == 1
        seqs = [r["seq"] for r in records]
        assert seqs == list(range(1, len(seqs) + 1)), seqs
    finally:
        server.stop()


@test
def english_questions_are_answered_in_english_and_json_mode_is_strict(server):
    # The module's shared server: its records are told apart by this session's id.
    c = server.client()
    c.line()
    session = to_json(c)
    c.send("where is my order 55102983")
    reply = c.json()
    assert reply["type"] == "reply" and reply["lang"] == "en" and reply["intent"] == "order_status", reply
    assert set(reply) >= {"text", "intent", "phase", "lang", "suggestions"}
    c.send("what is the meaning of life, the universe and everything")
    fallback = c.json()
    assert fallback["intent"] is None and isinstance(fallback["suggestions"], list) and fallback["suggestions"], fallback
    c.send("/frobnicate")
    error = c.json()
    assert error["type"] == "error" and error["code"] == "unknown_command" and "/help" in error["text"]
    c.send("wo ist meine bestellung")
    prompt = c.json()
    assert prompt["type"] == "prompt", prompt
    c.send("12345678")
    assert "12345678" in c.json()["text"]
    c.send("/quit")
    assert c.json()["type"] == "prompt"
    c.send("x")
    assert c.json()["type"] == "bye"
    assert session in {r["session"] for r in server.records()}


@test
def crlf_fragmented_and_pipelined_input(server):
    # The module's shared server: this test only talks to it, in sessions of its own.
    c = server.client()
    c.line()
    c.send_raw(b"/js")
    time.sleep(0.05)
    c.send_raw(b"on\r\n")
    c.json(); c.json()
    c.send_raw("wo ist mein Pa".encode())
    time.sleep(0.05)
    c.send_raw("ket 12345678?\r\ndanke!\r\nwhere is my order 7654321\r\n".encode())
    replies = [c.json() for _ in range(3)]
    assert [r["intent"] for r in replies] == ["order_status", "thanks", "order_status"], replies
    assert "12345678" in replies[0]["text"] and "7654321" in replies[2]["text"]


@test
def bad_input_gets_clear_errors_and_the_connection_stays_usable():
    server = Server("--max-line-bytes", "100")
    try:
        c = server.client()
        c.line()
        to_json(c)
        c.send("x" * 5000)
        assert c.json()["code"] == "line_too_long"
        c.send_raw(b"hallo \xff\xfe welt\n")
        assert c.json()["code"] == "invalid_utf8"
        c.send_raw(b"hal\x00lo\n")
        assert c.json()["code"] == "control_characters"
        c.send_raw(b"\x1b[2Jclear\n")
        assert c.json()["code"] == "control_characters"
        c.send("wo ist mein paket 12345678")
        assert c.json()["intent"] == "order_status"
        errors = [r for r in server.records() if r["type"] == "error"]
        assert {e["code"] for e in errors} >= {"line_too_long", "invalid_utf8", "control_characters"}
        raw = open(glob.glob(os.path.join(server.dir, "*.jsonl"))[0], "rb").read()
        assert b"\x00" not in raw and b"\xff" not in raw
    finally:
        server.stop()


@test
def many_concurrent_clients_all_get_answers():
    server = Server("--max-connections-per-address", "1000")
    failures = []

    def chat(n):
        try:
            c = server.client()
            c.line()
            to_json(c)
            for i in range(3):
                c.send(f"wo ist mein paket {1000000 + n * 10 + i}")
                reply = c.json()
                if str(1000000 + n * 10 + i) not in reply["text"]:
                    failures.append(reply)
            c.close()
        except Exception as error:  # noqa: BLE001
            failures.append(repr(error))

    try:
        threads = [threading.Thread(target=chat, args=(n,)) for n in range(200)]
        for t in threads: t.start()
        for t in threads: t.join(timeout=60)
        assert not failures, failures[:3]
    finally:
        server.stop()


@test
def connection_limits_refuse_politely_and_spare_other_addresses():
    server = Server("--max-connections", "6", "--max-connections-per-address", "3")
    try:
        held = [server.client() for _ in range(3)]
        for c in held: c.line()
        refused = server.client()
        assert "busy" in refused.line().lower() or "belegt" in refused.line().lower()
        assert refused.closed()
        other = server.client(source="127.0.0.2")
        assert "Willkommen" in other.line()
        other.send("danke")
        assert other.line()
        more = [server.client(source="127.0.0.3") for _ in range(2)]
        for c in more: c.line()
        full = server.client(source="127.0.0.4")
        assert "belegt" in full.line()
    finally:
        server.stop()


@test
def a_flooding_client_is_warned_then_disconnected():
    server = Server("--rate-limit", "2", "--burst", "3")
    try:
        c = server.client()
        c.line()
        to_json(c)
        try:
            for i in range(200):
                c.send(f"danke {i}")
        except (BrokenPipeError, ConnectionResetError):
            pass
        seen = []
        try:
            while True:
                seen.append(c.json())
        except (EOFError, ConnectionResetError, socket.timeout):
            pass
        codes = [o.get("code") for o in seen if o["type"] == "error"]
        assert "rate_limited" in codes, seen[:10]
        assert c.closed()
        # Others are unaffected.
        d = server.client()
        assert "Willkommen" in d.line()
    finally:
        server.stop()


@test
def idle_and_slowloris_clients_are_closed_with_a_goodbye():
    server = Server("--idle-timeout", "1")
    try:
        idle = server.client()
        idle.line()
        start = time.time()
        bye = idle.line()
        assert "Wiedersehen" in bye, bye
        assert idle.closed() and time.time() - start < 4
        slow = server.client()
        slow.line()
        closed = False
        for _ in range(20):
            try:
                slow.send_raw(b"a")
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
            time.sleep(0.25)
        assert closed or slow.closed(timeout=2)
        reasons = [r.get("reason") for r in server.records() if r["type"] == "session_close"]
        assert reasons.count("idle") == 2, reasons
    finally:
        server.stop()


@test
def abrupt_disconnects_are_recorded_and_harm_no_one():
    server = Server()
    try:
        for _ in range(20):
            c = server.client()
            c.line()
            c.send("wo ist mein paket 12345678")
            c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            c.close()
        ok = server.client()
        ok.line()
        ok.send("danke")
        assert ok.line()
        time.sleep(0.3)
        reasons = [r.get("reason") for r in server.records() if r["type"] == "session_close"]
        assert reasons.count("disconnect") == 20, reasons
        # Health checks and port probes connect and leave without a word: no session.
        before = len(server.records())
        for _ in range(10):
            probe = server.client()
            probe.line()
            probe.close()
        time.sleep(0.3)
        assert len(server.records()) == before, "a probe left transcript records"
    finally:
        server.stop()


@test
def sigterm_drains_with_goodbyes_and_exits_zero():
    server = Server()
    clients = []
    for _ in range(5):
        c = server.client()
        c.line()
        clients.append(c)
    code = server.stop(signal.SIGTERM)
    assert code == 0, (code, server.logs())
    for c in clients:
        assert "Wiedersehen" in c.line() or "Goodbye" in c.line()
        assert c.closed()
    reasons = [r.get("reason") for r in server.records() if r["type"] == "session_close"]
    assert reasons.count("shutdown") == 5, reasons


def wait_for_log(server, text, count, timeout=30):
    """Waits until `text` has appeared `count` times in the server's log."""
    deadline = time.time() + timeout
    while server.logs().count(text) < count:
        assert time.time() < deadline, f"no '{text}' in the log after {timeout} s"
        time.sleep(0.1)


@test
def sighup_reloads_and_a_broken_edit_keeps_the_old_knowledge_base():
    intents = tempfile.mkdtemp(prefix="treue-kb-")
    shutil.copytree(os.path.join(ROOT, "Intents"), intents, dirs_exist_ok=True)
    settings = os.path.join(intents, "00-settings.yaml")
    server = Server(intents=intents)
    try:
        original = open(settings, encoding="utf-8").read()
        open(settings, "w", encoding="utf-8").write(original.replace("shop_name:", "shop_name: Reloaded Shop\n  old_shop_name:", 1))
        server.proc.send_signal(signal.SIGHUP)
        # A reload checks the whole knowledge base first; a debug build on a busy machine
        # takes a few seconds, so wait for its log line rather than a fixed time.
        wait_for_log(server, "reloaded", 1)
        c = server.client()
        assert "Reloaded Shop" in c.line(), "reload did not take effect"
        # An edit that loads but breaks an example is refused too, as `treue check` would.
        service = os.path.join(intents, "service.yaml")
        original_service = open(service, encoding="utf-8").read()
        open(service, "a", encoding="utf-8").write("""
  - id: greedy_catch_all
    priority: 100
    patterns: { de: ['\\bpaket\\b'] }
    answers: { default: { de: "Alles klar.", en: "All right." } }
""")
        server.proc.send_signal(signal.SIGHUP)
        wait_for_log(server, "reload failed", 1)
        e = server.client()
        e.line()
        e.send("wo ist mein paket 12345678")
        assert "12345678" in e.expect("12345678"), "a reload that fails its checks went into service"
        open(service, "w", encoding="utf-8").write(original_service)
        open(settings, "a", encoding="utf-8").write("\nintents: [ {{{ broken\n")
        server.proc.send_signal(signal.SIGHUP)
        wait_for_log(server, "reload failed", 2)
        d = server.client()
        assert "Reloaded Shop" in d.line()
        d.send("wo ist mein paket 12345678")
        assert "12345678" in d.line()
        assert "reload failed" in server.logs()
    finally:
        server.stop()


@test
def kill_9_under_load_loses_no_acknowledged_reply():
    kill_9_under_load("always")


@test
def kill_9_under_load_without_fsync_loses_no_acknowledged_reply():
    # Records are written on the event loops before the reply goes out; the page cache
    # keeps them when only the process dies.
    kill_9_under_load("never")


def kill_9_under_load(fsync):
    directory = tempfile.mkdtemp(prefix="treue-crash-")
    server = Server("--rate-limit", "10000", "--burst", "10000", "--volume-per-connection", "1000000000000", "--volume-per-address", "1000000000000", "--fsync", fsync, transcripts=directory)
    received = []
    lock = threading.Lock()
    stop = threading.Event()

    def chat(n):
        try:
            c = server.client()
            c.line()
            session = to_json(c)
            i = 0
            while not stop.is_set() and i < 3000:
                c.send(f"wo ist mein paket {2000000 + n * 1000 + i}")
                reply = c.json()
                assert reply["type"] == "reply", reply
                with lock:
                    received.append((session, reply["text"]))
                i += 1
        except Exception:  # noqa: BLE001 - the server dies under us on purpose
            pass

    threads = [threading.Thread(target=chat, args=(n,)) for n in range(20)]
    for t in threads: t.start()
    time.sleep(2)
    server.proc.kill()
    stop.set()
    for t in threads: t.join(timeout=10)
    server.proc.wait()
    assert len(received) > 100, len(received)
    stored = set()
    torn = 0
    for path in glob.glob(os.path.join(directory, "*.jsonl")):
        lines = open(path, "rb").read().split(b"\n")
        for index, line in enumerate(lines):
            if not line:
                continue
            try:
                record = json.loads(line)
            except ValueError:
                assert index == len(lines) - 1, "a torn line that is not the last"
                torn += 1
                continue
            if record["type"] == "reply":
                stored.add((record["session"], record["text"]))
    missing = [r for r in received if r not in stored]
    assert not missing, f"{len(missing)} acknowledged replies missing, e.g. {missing[:2]}"
    # A restart appends cleanly after whatever the crash left.
    again = Server(transcripts=directory)
    try:
        c = again.client()
        c.line()
        c.send("danke")
        c.line()
    finally:
        again.stop()
    for path in glob.glob(os.path.join(directory, "*.jsonl")):
        lines = [l for l in open(path, "rb").read().split(b"\n") if l]
        bad = 0
        for line in lines:
            try:
                json.loads(line)
            except ValueError:
                bad += 1
        assert bad <= torn, (bad, torn)
    print(f"    kill -9 (--fsync {fsync}): {len(received)} replies received, all on disk; {torn} torn line(s)")


@test
def verified_logins_with_expiring_hmac_tokens():
    secret = "rotating-secret-2"
    server = Server(env={"TREUE_LOGIN_SECRET": "old-secret\n" + secret})
    try:
        c = server.client()
        c.line()
        to_json(c)
        expiry = int(time.time()) + 300
        mac = hmac.new(secret.encode(), f"C1001.{expiry}".encode(), hashlib.sha256).hexdigest()
        c.send(f"/login C1001 {expiry}.{mac}")
        assert c.json()["type"] == "info"
        # Her points expire soon: the proactive welcome follows the login.
        assert c.json()["type"] == "proactive"
        c.send("/login C1001")
        assert c.json()["code"] == "login_failed"
        old = int(time.time()) - 10
        stale = hmac.new(secret.encode(), f"C1001.{old}".encode(), hashlib.sha256).hexdigest()
        c.send(f"/login C1001 {old}.{stale}")
        assert c.json()["code"] == "login_failed"
        c.send("/login ../../etc/passwd 1.00")
        assert c.json()["code"] == "login_failed"
        c.send("/phase loyalty")
        assert c.json()["code"] == "not_allowed"
        c.send("/why")
        assert c.json()["code"] == "not_allowed"
        time.sleep(0.2)
        everything = server.logs() + "".join(open(p).read() for p in glob.glob(os.path.join(server.dir, "*.jsonl")))
        assert secret not in everything and mac not in everything
    finally:
        server.stop()
    secret_file = os.path.join(tempfile.mkdtemp(), "secret")
    open(secret_file, "w").write("abc\n")
    os.chmod(secret_file, 0o644)
    proc = subprocess.run([treue(), "serve", "--port", "0", "--login-secret-file", secret_file, "--transcripts", tempfile.mkdtemp()],
                          capture_output=True, text=True, timeout=30, cwd=ROOT)
    assert proc.returncode != 0 and "world-readable" in proc.stderr, proc.stderr


@test
def transcripts_are_private_and_redacted():
    server = Server()
    try:
        c = server.client()
        c.line()
        c.send("meine mail ist anna.w@example.com, bestellung 12345678, tel +49 170 1234567")
        c.line()
        c.send("/quit"); c.line(); c.send("5"); c.line()
        time.sleep(0.2)
        path = glob.glob(os.path.join(server.dir, "*.jsonl"))[0]
        assert oct(os.stat(path).st_mode & 0o777) == "0o600"
        text = open(path).read()
        assert "anna.w@example.com" not in text and "1234567\"" not in text.replace("12345678", "")
        assert "[email]" in text and "[phone]" in text and "12345678" in text
    finally:
        server.stop()


@test
def understanding_stages_decide_and_explain_over_a_socket():
    server = Server()
    try:
        c = server.client()
        c.line()
        to_json(c)
        c.send("wie kündige ich mein netflix abo")
        outside = c.json()
        assert outside["intent"] is None and "kann ich leider nichts sagen" in outside["text"], outside
        c.send("keine Rechnung, ich brauche den Rücksendeschein")
        negated = c.json()
        assert negated["intent"] == "return_item", negated
        c.send("/why")
        why = c.json()
        assert "negated: 'keine rechnung'" in why["text"], why
        c.send("wo ist meine sendnug 12345678")
        corrected = c.json()
        assert corrected["intent"] == "order_status" and "12345678" in corrected["text"], corrected
        replies = [r for r in server.records() if r["type"] == "reply"]
        assert [r.get("stage") for r in replies] == ["out_of_scope", "pattern", "pattern_after_spelling"], replies
        assert "corrected: sendnug→sendung" in replies[-1]["evidence"], replies[-1]
    finally:
        server.stop()


@test
def the_terminal_client_numbers_suggestions_and_asks_for_a_rating():
    server = Server()
    try:
        proc = subprocess.run([treue(), "chat", f"127.0.0.1:{server.port}"], input="wo ist mein paket 12345678\n2\n/quit\n5\n",
                              capture_output=True, text=True, timeout=30)
        out = proc.stdout
        assert proc.returncode == 0, proc.stderr
        assert "12345678" in out and "   2) " in out, out
        assert "\x1b[" not in out, "no colour when stdout is not a terminal"
        replies = [r for r in server.records() if r["type"] == "reply"]
        assert [r.get("intent") for r in replies][:2] == ["order_status", "change_address"], replies
        assert [r["score"] for r in server.records() if r["type"] == "feedback"] == [5]
    finally:
        server.stop()

