"""End-to-end tests of the hardening after the outside attack review (issue 17): fail-closed
secrets, terminal and spreadsheet injection in what operators open, redaction, volume
budgets, disk-space guard, the native WebSocket listener's limits, file-system checks.
Only 127.0.0.x traffic; every loop and wait is bounded. Run with `make e2e` (pytest)."""
import csv, io, json, os, socket, subprocess, tempfile, threading, time

import base64, select, shutil, struct

from harness import ROOT, Server, Skip, treue, test



def start_and_stop(env_secret, extra_args=()):
    """Starts `treue serve` with TREUE_LOGIN_SECRET set to env_secret (None: unset); returns
    (started, stderr). A server that started is stopped at once."""
    env = dict(os.environ, SWIFT_BACKTRACE="enable=no")
    env.pop("TREUE_LOGIN_SECRET", None)
    if env_secret is not None:
        env["TREUE_LOGIN_SECRET"] = env_secret
    directory = tempfile.mkdtemp(prefix="treue-e2e-")
    err = tempfile.TemporaryFile()
    proc = subprocess.Popen([treue(), "serve", "--port", "0", "--transcripts", directory, *extra_args],
                            stdout=subprocess.PIPE, stderr=err, env=env, text=True)
    line = proc.stdout.readline()
    started = line.startswith("listening on")
    if started:
        proc.terminate()
    proc.wait(timeout=15)
    err.seek(0)
    return started, err.read().decode(errors="replace"), proc.returncode


@test
def a_blank_or_comment_only_login_secret_is_an_error_and_demo_mode_warns():
    for blank in ["", "   ", "\n", " \n\t\n", "# set me", "# set me\n   \n"]:
        started, stderr, code = start_and_stop(blank)
        assert not started and code != 0, (blank, stderr)
        assert "TREUE_LOGIN_SECRET holds no secret" in stderr, (blank, stderr)
    secret_file = os.path.join(tempfile.mkdtemp(prefix="treue-e2e-"), "secret")
    with open(secret_file, "w") as f:
        f.write("# set me\n\n")
    os.chmod(secret_file, 0o600)
    started, stderr, code = start_and_stop(None, ["--login-secret-file", secret_file])
    assert not started and "holds no secret" in stderr, stderr
    # No secret configured at all: demo mode, announced on stderr.
    started, stderr, code = start_and_stop(None)
    assert started and "DEMO MODE" in stderr, stderr
    # A real secret: no demo warning.
    started, stderr, code = start_and_stop("a-real-secret")
    assert started and "DEMO MODE" not in stderr, stderr


HOSTILE = ["\x1b[2J\x1b[Hcleared", "\x1b]0;owned\x07title", "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",
           "\x1b]52;c;cm0gLXJmIH4=\x07clip", "\u009b31mcsi", "pay\u200bpal\u202e"]


def unsafe(text):
    """Characters a terminal would act on or hide (the LF of line ends aside)."""
    return [c for c in text if c != "\n" and (ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f or c in "\u200b\u202e")]


def hostile_transcript():
    directory = tempfile.mkdtemp(prefix="treue-e2e-")
    session = "a" * 32
    records = [{"v": 1, "ts": "2026-01-05T10:00:00.000Z", "session": session, "seq": 1, "type": "session_open", "phase": "awareness", "lang": "de"},
               {"v": 1, "ts": "2026-01-05T10:00:01.000Z", "session": session, "seq": 2, "type": "login", "customer": "C1", "verified": False,
                "tier": "\x1b]0;tier\x07Gold", "segment": "\x1b[31mvip"}]
    for index, text in enumerate(HOSTILE):
        records.append({"v": 1, "ts": "2026-01-05T10:00:02.000Z", "session": session, "seq": 3 + 2 * index, "type": "message", "text": text})
        records.append({"v": 1, "ts": "2026-01-05T10:00:02.100Z", "session": session, "seq": 4 + 2 * index, "type": "reply", "text": "echo " + text,
                        "phase": "awareness", "lang": "de", "suggestions": [text]})
    records.append({"v": 1, "ts": "2026-01-05T10:00:03.000Z", "session": session, "seq": 99, "type": "feedback", "score": 2, "comment": HOSTILE[3]})
    with open(os.path.join(directory, "2026-01-05.jsonl"), "w") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return directory, session


def run_treue(*args, stdin=None, timeout=30):
    return subprocess.run([treue(), *args], capture_output=True, text=True, input=stdin, timeout=timeout,
                          env=dict(os.environ, SWIFT_BACKTRACE="enable=no"))


@test
def transcript_review_and_csv_show_escape_sequences_visibly():
    directory, session = hostile_transcript()
    outputs = {
        "transcript": run_treue("transcript", session, "--dir", directory),
        "review": run_treue("review", directory),
        "csv": run_treue("review", directory, "--format", "csv"),
    }
    for name, result in outputs.items():
        assert result.returncode == 0, (name, result.stderr)
        assert not unsafe(result.stdout.replace("\r\n", "\n")), (name, unsafe(result.stdout))
        assert "\\u{1B}" in result.stdout, (name, result.stdout)
    assert "\\u{1B}]52;c;cm0gLXJmIH4=\\u{7}clip" in outputs["transcript"].stdout
    assert "tier \\u{1B}]0;tier\\u{7}Gold" in outputs["transcript"].stdout


@test
def a_crm_export_with_escape_sequences_is_cleaned_at_load_with_file_line_and_column():
    folder = tempfile.mkdtemp(prefix="treue-e2e-")
    crm = os.path.join(folder, "crm.csv")
    with open(crm, "w") as f:
        f.write("id,phase,name,points,tier,segment\nC1001,loyalty,\x1b]8;;https://evil.example/\x07Anna,1200,Gold,vip\n")
    server = Server("--customers", crm)
    try:
        assert "crm.csv:2:15: warning: removed control or invisible character U+001B from column 'name' of customer 'C1001'" in server.logs(), server.logs()
        c = server.client()
        c.line()
        c.send("/json")
        c.until(lambda o: o["type"] == "greeting")
        c.send("/login C1001")
        reply = c.until(lambda o: o["type"] in ("info", "reply"))
        assert "\x1b" not in json.dumps(reply, ensure_ascii=False), reply
    finally:
        server.stop()
    result = run_treue("check", "--customers", crm)
    assert "crm.csv:2:15: warning:" in result.stdout + result.stderr, result.stdout + result.stderr


def spreadsheet_formulas(text):
    """Reads CSV the way a spreadsheet does on import: a cell is a formula when, after the
    leading spaces some of them trim, it starts with =, +, - or @, or when it starts with a
    tab or CR. Returns the formula cells."""
    cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    return [cell for cell in cells if cell[:1] in ("\t", "\r") or cell.lstrip(" \u00a0")[:1] in ("=", "+", "-", "@")]


@test
def unmatched_messages_never_reach_a_spreadsheet_as_formulas():
    server = Server()
    messages = [" =1+1", "=HYPERLINK(\"http://evil.example\",\"x\")", "+49 30 1234 zzqx", "-5+3 zzqx", "@SUM(A1:A9) zzqx",
                "=cmd|' /C calc'!A0"]
    try:
        c = server.client()
        c.to_json()
        for message in messages:
            c.send(message)
            c.until(lambda o: o["type"] in ("reply", "error"))
    finally:
        server.stop()
    result = run_treue("review", server.dir, "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert len(rows) >= 1 + len(messages) - 1, rows
    assert not spreadsheet_formulas(result.stdout), spreadsheet_formulas(result.stdout)
    examples = [row[2] for row in rows[1:]]
    assert "'=1+1" in examples or "' =1+1" in examples, examples


class HostileServer:
    """A line server that answers `treue chat` with escape sequences in every field."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        conn, _ = self.listener.accept()
        conn.settimeout(10)
        conn.sendall(b"hello\n")
        buffer = b""
        try:
            while True:
                data = conn.recv(4096)
                if not data:
                    break
                buffer += data
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    if line == b"/json":
                        out = {"type": "greeting", "text": "\x1b]0;owned\x07Hallo \x1b[2J", "session": "x", "suggestions": ["\x1b]52;c;AAAA\x07copy"]}
                    elif line == b"/quit":
                        out = {"type": "prompt", "text": "\x1b[31mrate?"}
                    else:
                        out = {"type": "bye", "text": "\x1b]8;;https://evil.example/\x07bye"}
                    conn.sendall(json.dumps(out).encode() + b"\n")
                    if out["type"] == "bye":
                        conn.close()
                        return
        except OSError:
            pass


@test
def the_terminal_client_shows_what_a_server_sends_visibly():
    server = HostileServer()
    result = run_treue("chat", f"127.0.0.1:{server.port}", stdin="", timeout=30)
    assert result.returncode == 0, result.stderr
    assert not unsafe(result.stdout), unsafe(result.stdout)
    for needle in ["\\u{1B}]0;owned\\u{7}Hallo", "\\u{1B}]52;c;AAAA", "\\u{1B}]8;;https://evil.example/"]:
        assert needle in result.stdout, (needle, result.stdout)


@test
def a_half_closed_connection_gets_its_answers_before_the_server_closes():
    server = Server()
    try:
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        sock.sendall("wo bleibt mein paket 4711001?\n/help\n".encode())
        sock.shutdown(socket.SHUT_WR)  # as nc -N does
        received = b""
        deadline = time.time() + 10
        while time.time() < deadline:
            data = sock.recv(65536)
            if not data:
                break
            received += data
        sock.close()
        text = received.decode()
        assert "4711001" in text, text
        assert "/quit" in text, text  # the help text: the second line was answered too
        time.sleep(0.3)
        kinds = [r["type"] for r in server.records()]
        assert kinds.count("reply") >= 1 and "session_close" in kinds, kinds
    finally:
        server.stop()


@test
def spelled_out_and_separated_personal_data_is_redacted_and_the_shops_hotline_stays():
    server = Server()
    leaks = {"anna at gmx dot de": "[email]", "anna [at] gmx [dot] de": "[email]", "anna @ gmx.de": "[email]",
             "(030) 1234567": "[phone]", "+49 (30) 1234567": "[phone]", "+1 (555) 123-4567": "[phone]",
             "DE89-3704-0044-0532-0130-00": "[iban]", "DE89  3704  0044  0532  0130  00 danke": "[iban] danke",
             "4111.1111.1111.1111": "[card]", "4111\u00a01111\u00a01111\u00a01111": "[card]"}
    stays = ["Bestellung 0171234567 ist nicht da", "Artikel 0815-4711 ist kaputt", "Größe XL42 bitte"]
    try:
        c = server.client()
        c.to_json()
        for text in list(leaks) + stays:
            c.send(text)
            c.until(lambda o: o["type"] in ("reply", "error"))
        c.send("ich möchte mit einem mitarbeiter sprechen")
        reply = c.until(lambda o: o["type"] == "reply")
        assert "0800 873 8300" in reply["text"], reply
        time.sleep(0.3)
        records = server.records()
        messages = [r["text"] for r in records if r["type"] == "message"]
        for text, placeholder in leaks.items():
            assert placeholder in " ".join(messages), (text, messages)
        for needle in ["gmx", "1234567", "3704", "4111"]:
            assert not any(needle in m for m in messages[:len(leaks)]), (needle, messages)
        for text in stays:
            assert text in messages, (text, messages)
        replies = [r["text"] for r in records if r["type"] == "reply"]
        assert any("0800 873 8300" in r for r in replies), "the shop's hotline was redacted from the reply record"
    finally:
        server.stop()


@test
def the_volume_budget_bounds_bytes_per_connection_and_per_address():
    server = Server("--rate-limit", "1000", "--burst", "1000", "--volume-per-connection", "8192", "--volume-per-address", "18000")
    line = "x" * 3999
    try:
        first = server.client()
        first.to_json()
        codes = []
        for _ in range(3):
            first.send(line)
            codes.append(first.until(lambda o: o["type"] in ("reply", "error")).get("code", "reply"))
        # A line costs 4,000 bytes with its newline ("/json" 6): two fit the connection's
        # 8,192, the third is refused.
        assert codes == ["reply", "reply", "rate_limited"], codes
        # Other connections from the same address share its 18,000 bytes: 8,006 are taken,
        # so two more lines fit (with "/json" each), on whichever connection, and the next
        # ones are refused. The margins are thousands of bytes: the budgets refill at
        # 300 and 136 bytes a second.
        results = []
        for _ in range(4):
            client = server.client()
            client.to_json()
            client.send(line)
            results.append(client.until(lambda o: o["type"] in ("reply", "error")).get("code", "reply"))
        assert results == ["reply", "reply", "rate_limited", "rate_limited"], results
        # Another address is untouched.
        other = server.client(source="127.0.0.2")
        other.to_json()
        other.send(line)
        assert other.until(lambda o: o["type"] in ("reply", "error"))["type"] == "reply"
    finally:
        server.stop()


@test
def many_connections_sending_long_lines_cannot_grow_the_transcripts_fast():
    # 64 connections from one address, 4,000-byte lines at the allowed 5 lines/s for 8 s:
    # 10 MB of text without a volume budget. Defaults: 32 KiB per connection, 1 MiB per
    # address per minute.
    server = Server()
    clients, socks = [], []
    try:
        for _ in range(64):
            c = server.client()
            c.sock.setblocking(False)
            clients.append(c)
        payload = ("y" * 3999 + "\n").encode()
        sent = refused = 0
        deadline = time.time() + 8
        while time.time() < deadline:
            round_start = time.time()
            for c in clients:
                try:
                    c.sock.send(payload)
                    sent += 1
                except (BlockingIOError, OSError):
                    pass
            while time.time() - round_start < 0.2:
                ready, _, _ = select.select([c.sock for c in clients], [], [], 0.05)
                for sock in ready:
                    try:
                        data = sock.recv(65536)
                        refused += data.count(b"schnell") + data.count(b"too fast")
                    except OSError:
                        pass
        time.sleep(0.5)
        stored = sum(os.path.getsize(os.path.join(server.dir, f)) for f in os.listdir(server.dir))
        offered = sent * len(payload)
        print(f"   measured offered {offered / 1e6:.1f} MB in 8 s from 64 connections; transcripts grew {stored / 1e6:.2f} MB", flush=True)
        assert offered > 5_000_000, offered
        assert stored < 2_000_000, stored
    finally:
        for c in clients:
            c.close()
        server.stop()


def mount_tmpfs(path, options):
    return subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", path], capture_output=True).returncode == 0


@test
def below_the_free_space_threshold_new_sessions_are_refused_and_running_ones_served():
    if os.geteuid() != 0:
        raise Skip("needs root to mount a small tmpfs")
    base = tempfile.mkdtemp(prefix="treue-space-")
    target = os.path.join(base, "transcripts")
    os.mkdir(target)
    if not mount_tmpfs(target, "size=8m,mode=0700"):
        shutil.rmtree(base, ignore_errors=True)
        raise Skip("cannot mount a tmpfs here")
    server = None
    try:
        server = Server("--min-free-disk-mb", "4", transcripts=target)
        running = server.client()
        running.to_json()
        running.send("wo ist mein paket 12345678")
        assert running.until(lambda o: o["type"] == "reply")
        filler = os.path.join(target, "filler")
        with open(filler, "wb") as f:
            f.write(b"\0" * (6 * 1024 * 1024))
        time.sleep(1.2)
        newcomer = server.client()
        said = newcomer.line()
        assert "keine neuen Gespräche" in said and "not taking new conversations" in said, said
        assert newcomer.closed()
        running.send("wo ist mein paket 12345678")
        assert running.until(lambda o: o["type"] in ("reply", "error"))["type"] == "reply"
        assert "refusing new sessions" in server.logs()
        os.unlink(filler)
        time.sleep(1.2)
        later = server.client()
        assert "Willkommen" in later.line()
    finally:
        if server:
            server.stop()
        subprocess.run(["umount", "-l", target], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


class WebSocketClient:
    """A minimal RFC 6455 client (standard library only) for the native listener."""

    def __init__(self, port, origin=None, protocol=None, timeout=10, path="/", headers=()):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Upgrade: websocket", "Connection: Upgrade",
                 f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
        if origin:
            lines.append(f"Origin: {origin}")
        if protocol:
            lines.append(f"Sec-WebSocket-Protocol: {protocol}")
        lines.extend(headers)
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        response = b""
        while b"\r\n\r\n" not in response:
            data = self.sock.recv(4096)
            if not data:
                break
            response += data
        head, _, self.buffer = response.partition(b"\r\n\r\n")
        self.status = int(head.split(b" ", 2)[1]) if head else 0
        self.head = head.decode(errors="replace")

    def send_frame(self, payload, opcode=1, fin=True):
        header = bytes([(0x80 if fin else 0) | opcode])
        mask = os.urandom(4)
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def send_text(self, text):
        self.send_frame(text.encode(), opcode=1)

    def _read(self, n):
        while len(self.buffer) < n:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError("closed")
            self.buffer += data
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def frame(self):
        b0, b1 = self._read(2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack(">H", self._read(2))[0]
        elif n == 127:
            n = struct.unpack(">Q", self._read(8))[0]
        return b0 & 0x0F, self._read(n)

    def message(self):
        """The next text or binary message's payload (pings answered, close raises)."""
        while True:
            opcode, payload = self.frame()
            if opcode in (1, 2):
                return payload.decode()
            if opcode == 8:
                raise EOFError("close frame " + payload.hex())

    def json_until(self, predicate, limit=20):
        for _ in range(limit):
            obj = json.loads(self.message())
            if predicate(obj):
                return obj
        raise AssertionError("expected message never came")

    def close(self):
        self.sock.close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def web_server(*args):
    port = free_port()
    server = Server("--websocket-port", str(port), "--web-root", os.path.join(ROOT, "Web"), *args)
    return server, port


@test
def the_native_websocket_speaks_lines_as_text_messages_and_as_a_binary_stream():
    server, port = web_server()
    try:
        own = f"http://127.0.0.1:{port}"
        text = WebSocketClient(port, origin=own)
        assert text.status == 101, text.head
        assert "Willkommen" in text.message()           # the plain greeting, one message per line
        text.send_text("/json")                         # one text message is one line
        text.json_until(lambda o: o["type"] == "greeting")
        text.send_text("wo ist mein paket 12345678")
        reply = text.json_until(lambda o: o["type"] == "reply")
        assert "12345678" in reply["text"], reply
        # The widget's way (websockify's): the binary subprotocol carries the byte stream.
        binary = WebSocketClient(port, origin=own, protocol="binary")
        assert binary.status == 101 and "binary" in binary.head.lower(), binary.head
        binary.send_frame(b"/lang en\n/json\n", opcode=2)
        stream = ""
        deadline = time.time() + 10
        while '"greeting"' not in stream and time.time() < deadline:
            stream += binary.message()
        assert '"greeting"' in stream and stream.endswith("\n"), stream
        time.sleep(0.3)
        assert any(r["type"] == "message" and "12345678" in r.get("text", "") for r in server.records())
        # The page itself comes from --web-root; nothing outside it does.
        page = urllib_get(port, "/")
        assert page[0] == 200 and b"treue-widget" in page[1], page[0]
        for path in ["/../README.md", "/..%2FREADME.md", "/.git/config", "/nothing.html"]:
            assert urllib_get(port, path)[0] == 404, path
    finally:
        server.stop()


def urllib_get(port, path):
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    sock.close()
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


@test
def the_native_websocket_refuses_foreign_origins_oversized_frames_and_extra_connections():
    server, port = web_server("--max-connections-per-address", "3", "--websocket-origin", "https://shop.example")
    try:
        foreign = WebSocketClient(port, origin="https://evil.example")
        assert foreign.status == 403, foreign.head
        allowed = WebSocketClient(port, origin="https://shop.example/")
        assert allowed.status == 101, allowed.head
        # A 16 MB frame: refused by its header (the limit is 16 KiB), at once.
        big = WebSocketClient(port, origin="https://shop.example")
        assert big.status == 101
        big.message()
        cpu_before = sum(os.times()[:2])
        start = time.monotonic()
        header = bytes([0x82, 0x80 | 127]) + struct.pack(">Q", 16 * 1024 * 1024) + os.urandom(4)
        big.sock.sendall(header + b"\0" * 65536)
        closed = False
        try:
            while True:
                opcode, payload = big.frame()
                if opcode == 8:
                    closed = True
                    break
        except (EOFError, ConnectionResetError):
            closed = True
        elapsed = time.monotonic() - start
        print(f"   measured a 16 MB frame: connection closed after {elapsed:.3f} s", flush=True)
        assert closed and elapsed < 2, elapsed
        # The server frees the closed connection's slot when its close has completed on its
        # event loop, which can come a moment after this client saw the end; on a loaded
        # machine a new connection on the other loop could still find it taken.
        time.sleep(0.3)
        # The per-address cap counts WebSocket connections as it counts TCP ones.
        held = [WebSocketClient(port, origin="https://shop.example") for _ in range(2)]
        for h in held:
            assert h.status == 101
        extra = WebSocketClient(port, origin="https://shop.example")
        said = extra.message() if extra.status == 101 else ""
        assert "busy" in said, said
        allowed.send_text("wo ist mein paket 12345678")
        assert "12345678" in "".join(allowed.message() for _ in range(3))
    finally:
        server.stop()


@test
def many_websocket_connections_cost_one_process():
    server, port = web_server("--max-connections-per-address", "1000")
    clients = []
    try:
        before = server.rss_kb()
        for _ in range(150):
            c = WebSocketClient(port, origin=f"http://127.0.0.1:{port}")
            assert c.status == 101
            c.message()
            clients.append(c)
        children = subprocess.run(["pgrep", "-P", str(server.proc.pid)], capture_output=True, text=True).stdout.split()
        grown = (server.rss_kb() - before) / 1024
        print(f"   measured 150 WebSocket connections: {len(children)} child processes, server RSS +{grown:.1f} MB", flush=True)
        assert not children and grown < 50, (children, grown)
    finally:
        for c in clients:
            c.close()
        server.stop()

