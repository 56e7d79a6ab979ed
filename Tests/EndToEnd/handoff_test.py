#!/usr/bin/env python3
"""End-to-end tests of the handoff to service agents (SPEC 4a) over real sockets: a real
`treue serve --agent-port`, customers and agents on plain TCP lines, two agents racing
for one ticket, an agent going away, no agent online (callback contact, `treue tickets`),
and kill -9 while an agent chats, and `treue agent` in tmux. Run with `make e2e` (pytest)."""
import hashlib, hmac, json, os, shutil, signal, subprocess, tempfile, threading, time

from harness import ROOT, Client, Server, test, treue
from operations_test import http, metric
from robustness_test import STARVED_SECONDS

SECRET = "agent-secret-for-tests"


def token(agent, secret=SECRET, ttl=3600):
    exp = int(time.time()) + ttl
    mac = hmac.new(secret.encode(), f"agent:{agent}.{exp}".encode(), hashlib.sha256).hexdigest()
    return f"{exp}.{mac}"


class AgentServer(Server):
    """`treue serve` with the agent listener on a free port."""

    def __init__(self, *args, **kw):
        self.secret_dir = tempfile.mkdtemp(prefix="treue-agent-")
        secret = os.path.join(self.secret_dir, "agent.secret")
        with open(secret, "w") as f:
            f.write("# old key still accepted\nold-secret\n" + SECRET + "\n")
        os.chmod(secret, 0o600)
        agents = os.path.join(self.secret_dir, "agents.csv")
        with open(agents, "w") as f:
            f.write("id,name\njana,Jana\nomar,Omar\n")
        super().__init__("--agent-port", "0", "--agent-secret-file", secret, "--agents", agents, *args, **kw)
        line = self.proc.stdout.readline()
        assert line.startswith("agents on"), line
        self.agent_port = int(line.strip().rsplit(":", 1)[1])

    def agent(self, agent_id="jana", json_mode=True):
        a = Client(self.agent_port)
        a.line()  # greeting
        if json_mode:
            a.send("/json")
            assert a.json()["type"] == "mode"
        a.send(f"/login {agent_id} {token(agent_id)}")
        info = a.json() if json_mode else a.line()
        assert ("Logged in" in info["text"]) if json_mode else ("Logged in" in info), info
        if json_mode:
            assert a.json()["type"] == "queue"
        return a

    def stop(self, *a, **kw):
        shutil.rmtree(self.secret_dir, ignore_errors=True)
        return super().stop(*a, **kw)


def customer(server):
    c = server.client()
    session = c.to_json()
    return c, session


def wait_records(server, predicate, timeout=5):
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = [r for r in server.records() if predicate(r)]
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError("record never appeared")


@test
def queue_positions_take_race_both_directions_back_and_close():
    server = AgentServer()
    try:
        jana = server.agent("jana")
        omar = server.agent("omar")
        c1, s1 = customer(server)
        c1.send("ich möchte mit einem Mitarbeiter sprechen")
        q1 = c1.until(lambda o: o["type"] == "queued")
        assert q1["position"] == 1 and "Nr. 1" in q1["text"], q1
        c2, s2 = customer(server)
        c2.send("/agent")
        q2 = c2.until(lambda o: o["type"] == "queued")
        assert q2["position"] == 2 and q2["ticket"] != q1["ticket"], q2
        # Asking again repeats the ticket instead of opening a second one.
        c2.send("/agent")
        again = c2.until(lambda o: o["type"] == "reply")
        assert q2["ticket"] in again["text"], again

        queue = jana.until(lambda o: o["type"] == "queue" and len(o["items"]) == 2)
        first = queue["items"][0]
        assert first["ticket"] == q1["ticket"] and first["customer"] == "anonymous" and first["lang"] == "de", first
        assert "Mitarbeiter" in first["last"] and first["waiting_s"] >= 0, first

        # While waiting, what the customer writes reaches the agents.
        c1.send("Es geht um meine Rücksendung")
        seen = jana.until(lambda o: o["type"] == "customer")
        assert seen == {"type": "customer", "ticket": q1["ticket"], "text": "Es geht um meine Rücksendung"}, seen

        # Two agents race for one ticket: one wins, the other gets `taken`.
        jana.send(f"/take {q1['ticket']}")
        omar.send(f"/take {q1['ticket']}")
        taken = jana.until(lambda o: o["type"] in ("taken", "error"))
        lost = omar.until(lambda o: o["type"] in ("taken", "error"))
        assert taken["type"] == "taken" and taken["ticket"] == q1["ticket"], taken
        assert [t["from"] for t in taken["history"]][:1] == ["customer"], taken
        assert any("Rücksendung" in t["text"] for t in taken["history"]), taken
        assert lost["type"] == "error" and lost["code"] == "taken" and "Jana" in lost["text"], lost

        joined = c1.until(lambda o: o["type"] == "info")
        assert joined["text"].startswith("Jana vom Service-Team ist jetzt für Sie da"), joined

        # Agent → customer, as an `agent` object; customer → agent, and the bot stays silent.
        jana.send("Guten Tag, wie kann ich helfen? Meine Durchwahl ist 030 1234567.")
        said = c1.until(lambda o: o["type"] in ("agent", "reply"))
        assert said["type"] == "agent" and said["name"] == "Jana" and said["text"].startswith("Guten Tag"), said
        c1.send("wo ist meine Bestellung")
        line = jana.until(lambda o: o["type"] == "customer")
        assert line["text"] == "wo ist meine Bestellung", line
        jana.send("/note Kunde wartet auf Erstattung")
        assert jana.until(lambda o: o["type"] in ("info", "error"))["type"] == "info"
        c1.sock.settimeout(0.5)
        try:
            extra = c1.line()
            raise AssertionError(f"the bot answered while an agent had the ticket: {extra}")
        except OSError:
            pass
        c1.sock.settimeout(5)

        # /back: the bot answers again.
        jana.send("/back")
        back = c1.until(lambda o: o["type"] == "info")
        assert "Assistent" in back["text"], back
        c1.send("was kostet der Versand")
        assert c1.until(lambda o: o["type"] == "reply")["intent"] == "shipping_costs"

        # /close on the second customer: the rating question.
        jana.send(f"/take {q2['ticket']}")
        assert jana.until(lambda o: o["type"] in ("taken", "error"))["type"] == "taken"
        c2.until(lambda o: o["type"] == "info")
        jana.send("/close")
        prompt = c2.until(lambda o: o["type"] == "prompt")
        assert prompt["kind"] == "rating", prompt
        c2.send("5")
        assert c2.until(lambda o: o["type"] == "bye")

        records = server.records()
        kinds = [r["type"] for r in records if r["session"] == s1]
        for kind in ["handoff", "queued", "agent_joined", "agent_message", "handoff_message", "note", "back_to_bot"]:
            assert kind in kinds, (kind, kinds)
        joined_rec = next(r for r in records if r["type"] == "agent_joined" and r["session"] == s1)
        assert joined_rec["agent"] == "jana" and joined_rec["ticket"] == q1["ticket"], joined_rec
        agent_msg = next(r for r in records if r["type"] == "agent_message")
        assert "1234567" not in agent_msg["text"], agent_msg  # redaction applies to agents too
        note = next(r for r in records if r["type"] == "note")
        assert note["text"] == "Kunde wartet auf Erstattung" and note["agent"] == "jana", note
        closed = [r for r in records if r["session"] == s2 and r["type"] in ("handoff_closed", "feedback")]
        assert [r["type"] for r in closed] == ["handoff_closed", "feedback"], closed
        assert SECRET not in server.transcript_text() and SECRET not in server.logs()
    finally:
        server.stop()


@test
def the_agent_sees_profile_and_intents_tried_and_waiting_customers_hear_their_new_place():
    server = AgentServer("--metrics-port", "0")
    try:
        jana = server.agent("jana")
        known, _ = customer(server)
        known.send("/login C1001")
        known.until(lambda o: o["type"] == "info")
        known.send("wo ist meine Bestellung 44812345")
        assert known.until(lambda o: o["type"] == "reply")["intent"] == "order_status"
        known.send("wie lange habe ich Rückgaberecht")
        assert known.until(lambda o: o["type"] == "reply")["intent"] == "return_item"
        known.send("/agent")
        first = known.until(lambda o: o["type"] == "queued")
        waiting = []
        for n in range(3):
            c, _ = customer(server)
            c.send("/agent")
            queued = c.until(lambda o: o["type"] == "queued")
            assert queued["position"] == n + 2, queued
            waiting.append((c, queued["ticket"]))

        jana.send(f"/take {first['ticket']}")
        taken = jana.until(lambda o: o["type"] == "taken")
        profile = taken["profile"]
        assert profile["id"] == "C1001" and profile["name"] == "Anna Schmidt" and profile["tier"] == "Gold", profile
        assert profile["points"] == "2450", profile
        assert taken["intents"] == ["order_status", "return_item"], taken
        # Everyone behind moved up by one and was told so.
        for index, (c, ticket) in enumerate(waiting):
            moved = c.until(lambda o: o["type"] == "queued")
            assert moved["ticket"] == ticket and moved["position"] == index + 1, moved
            assert f"Nr. {index + 1}" in moved["text"], moved
        # The middle customer leaves: only the one behind them moves up again.
        waiting[1][0].close()
        last = waiting[2][0].until(lambda o: o["type"] == "queued")
        assert last["position"] == 2, last
        waiting[0][0].sock.settimeout(0.5)
        try:
            extra = waiting[0][0].line()
            raise AssertionError(f"the head of the queue was told it moved: {extra}")
        except OSError:
            pass
        # The operator's gauges: one agent, one ticket taken, two waiting.
        text = http(server.metrics_port, "/metrics")[1]
        assert metric(text, "treue_agents_online") == 1, text
        assert metric(text, 'treue_handoff_tickets{state="waiting"}') == 2, text
        assert metric(text, 'treue_handoff_tickets{state="taken"}') == 1, text
        records = [r for r in server.records() if r["type"] == "queued" and r.get("reason") == "moved_up"]
        assert sorted(r["position"] for r in records) == [1, 2, 2, 3], records

        # An anonymous customer has no profile; the plain console shows what is known.
        jana.send(f"/take {waiting[0][1]}")
        anonymous = jana.until(lambda o: o["type"] == "taken")
        assert anonymous["profile"] == {} and anonymous["intents"] == [], anonymous
        plain = server.agent("omar", json_mode=False)
        plain.send(f"/take {waiting[2][1]}")
        shown = plain.expect("intents tried")
        assert "intents tried: none" in shown, shown
    finally:
        server.stop()


@test
def a_flood_of_handoffs_does_not_starve_the_bot():
    # 200 customers ask for a person at once while another customer keeps asking the bot.
    server = AgentServer("--max-connections-per-address", "1000", "--rate-limit", "1000", "--burst", "1000")
    count = 200
    customers = []
    try:
        jana = server.agent("jana")
        prober = Client(server.port, "127.0.0.2", timeout=10)
        prober.to_json()
        times = []
        stop = threading.Event()

        def probe():
            while not stop.is_set():
                start = time.monotonic()
                prober.send("wie lange habe ich Rückgaberecht")
                answer = prober.until(lambda o: o["type"] == "reply")
                assert answer["intent"] == "return_item", answer
                times.append(time.monotonic() - start)
                stop.wait(0.05)

        thread = threading.Thread(target=probe, daemon=True)
        thread.start()
        for _ in range(count):
            c = server.client(timeout=20)
            c.to_json()
            c.send("/agent")
            customers.append(c)
        positions = sorted(c.until(lambda o: o["type"] == "queued")["position"] for c in customers)
        stop.set()
        thread.join(timeout=20)
        assert positions == list(range(1, count + 1)), positions[:10]
        queue = jana.until(lambda o: o["type"] == "queue" and len(o["items"]) == count, limit=count + 10)
        assert len(queue["items"]) == count
        worst = max(times)
        print(f"   measured {count} handoffs: {len(times)} bot round trips meanwhile, worst {worst:.3f} s", flush=True)
        assert len(times) >= 5, times
        assert worst < STARVED_SECONDS, worst
        assert server.alive()
    finally:
        for c in customers:
            c.close()
        server.stop()


@test
def agent_disconnect_requeues_at_the_head_and_customer_disconnect_tells_the_agent():
    server = AgentServer()
    try:
        jana = server.agent("jana")
        omar = server.agent("omar")
        c1, _ = customer(server)
        c1.send("/agent")
        t1 = c1.until(lambda o: o["type"] == "queued")["ticket"]
        c2, s2 = customer(server)
        c2.send("/agent")
        t2 = c2.until(lambda o: o["type"] == "queued")["ticket"]
        jana.send(f"/take {t2}")
        assert jana.until(lambda o: o["type"] == "taken")["ticket"] == t2
        c2.until(lambda o: o["type"] == "info")
        jana.close()
        requeued = c2.until(lambda o: o["type"] == "queued")
        assert requeued["ticket"] == t2 and requeued["position"] == 1, requeued
        queue = omar.until(lambda o: o["type"] == "queue" and [i["ticket"] for i in o["items"]] == [t2, t1])
        assert queue
        omar.send(f"/take {t2}")
        assert omar.until(lambda o: o["type"] == "taken")["ticket"] == t2
        c2.close()
        left = omar.until(lambda o: o["type"] == "left")
        assert left["ticket"] == t2, left
        omar.send("hallo?")
        assert omar.until(lambda o: o["type"] == "error")["code"] in ("no_ticket", "unknown_ticket")
        # A customer who leaves while waiting: a left_waiting record, and the agents are told.
        c1.close()
        assert omar.until(lambda o: o["type"] == "left")["ticket"] == t1
        wait_records(server, lambda r: r["type"] == "left_waiting" and r["ticket"] == t1)
    finally:
        server.stop()


@test
def agent_login_refuses_bad_tokens_and_commands_before_login():
    server = AgentServer()
    try:
        a = Client(server.agent_port)
        a.line()
        a.send("/queue")
        assert "Log in first" in a.line()
        a.send("/login jana 123.abc")
        assert a.line().startswith("! Login failed")
        exp = int(time.time()) + 60
        customer_style = hmac.new(SECRET.encode(), f"jana.{exp}".encode(), hashlib.sha256).hexdigest()
        a.send(f"/login jana {exp}.{customer_style}")
        assert a.line().startswith("! Login failed")
        a.send(f"/login jana {token('jana', ttl=-10)}")
        assert a.line().startswith("! Login failed")
        a.send(f"/login omar {token('omar', secret='old-secret')}")  # rotation: the old key still works
        assert "Logged in as Omar" in a.line()
        a.send("/who")
        assert "Omar (omar)" in a.expect("Omar")
        assert "123.abc" not in server.logs()
    finally:
        server.stop()


@test
def the_agent_listener_refuses_to_start_without_a_secret():
    folder = tempfile.mkdtemp(prefix="treue-agent-")
    try:
        env = {k: v for k, v in os.environ.items() if k != "TREUE_AGENT_SECRET"}
        proc = subprocess.run([treue(), "serve", "--port", "0", "--agent-port", "0", "--transcripts", folder],
                              capture_output=True, text=True, timeout=30, cwd=ROOT, env=env)
        assert proc.returncode != 0 and "agent secret" in proc.stderr, proc.stderr
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def knowledge_base_with_hours(hours):
    folder = tempfile.mkdtemp(prefix="treue-hours-")
    intents = os.path.join(folder, "Intents")
    shutil.copytree(os.path.join(ROOT, "Intents"), intents)
    path = os.path.join(intents, "00-settings.yaml")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    assert "\nsettings:\n" in text
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace("\nsettings:\n", f'\nsettings:\n  service_hours: "{hours}"\n  service_timezone: "UTC"\n', 1))
    return folder, intents


@test
def outside_service_hours_an_online_agent_gets_no_queue_and_the_customer_is_asked_for_a_contact():
    # A window twelve hours from now is closed now, whatever the time the test runs.
    hour = (time.gmtime().tm_hour + 12) % 24
    folder, intents = knowledge_base_with_hours(f"{hour:02d}:00-{hour + 1:02d}:00")
    server = AgentServer(intents=intents)
    try:
        jana = server.agent("jana")
        c, _ = customer(server)
        c.send("/agent")
        reply = c.until(lambda o: o["type"] == "reply")
        assert reply["text"].startswith("Unser Service-Team ist gerade nicht im Dienst"), reply
        assert f"{hour:02d}:00-{hour + 1:02d}:00" in reply["text"], reply
        assert c.until(lambda o: o["type"] == "prompt")["kind"] == "contact"
        jana.send("/queue")
        assert jana.until(lambda o: o["type"] == "queue")["items"] == []
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    # Within the hours (every day, all day) the same request joins the queue.
    folder, intents = knowledge_base_with_hours("Mo-So 00:00-24:00")
    server = AgentServer(intents=intents)
    try:
        jana = server.agent("jana")
        c, _ = customer(server)
        c.send("/agent")
        assert c.until(lambda o: o["type"] in ("queued", "prompt"))["type"] == "queued"
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@test
def no_agent_online_asks_for_a_contact_kept_in_the_callback_record_only():
    server = Server()
    try:
        c, session = customer(server)
        c.send("ich möchte mit einem Mitarbeiter sprechen")
        reply = c.until(lambda o: o["type"] == "reply")
        assert "kein Mitarbeiter" in reply["text"] and reply["intent"] == "human_agent", reply
        assert "so bald wie möglich" not in reply["text"]
        prompt = c.until(lambda o: o["type"] == "prompt")
        assert prompt["kind"] == "contact", prompt
        c.send("kunde.mueller@example")
        retry = c.until(lambda o: o["type"] == "prompt")
        assert retry["kind"] == "contact", retry
        c.send("kunde.mueller@example.org")
        saved = c.until(lambda o: o["type"] == "info")
        ticket = saved["text"].split("Ticket: ")[1].rstrip(".")
        assert ticket.startswith("T-"), saved
        records = wait_records(server, lambda r: r["type"] == "callback")
        assert records[0]["contact"] == "kunde.mueller@example.org" and records[0]["ticket"] == ticket, records
        text = server.transcript_text()
        assert text.count("kunde.mueller@example.org") == 1, "the contact is in another record too"
        out = subprocess.run([treue(), "tickets", server.dir, "--format", "json"], capture_output=True, text=True, timeout=30)
        assert out.returncode == 0, out.stderr
        tickets = json.loads(out.stdout)
        mine = [t for t in tickets if t["ticket"] == ticket]
        assert mine and mine[0]["contact"] == "kunde.mueller@example.org" and mine[0]["session"] == session, tickets
        csv_out = subprocess.run([treue(), "tickets", server.dir, "--format", "csv"], capture_output=True, text=True, timeout=30)
        assert ticket in csv_out.stdout and csv_out.stdout.startswith("ticket,"), csv_out.stdout
    finally:
        server.stop()


@test
def kill_9_while_an_agent_chats_leaves_every_seen_line_on_disk():
    server = AgentServer()
    try:
        jana = server.agent("jana")
        c, session = customer(server)
        c.send("/agent")
        ticket = c.until(lambda o: o["type"] == "queued")["ticket"]
        jana.send(f"/take {ticket}")
        jana.until(lambda o: o["type"] == "taken")
        c.until(lambda o: o["type"] == "info")
        seen_by_customer, seen_by_agent = [], []
        for i in range(15):
            jana.send(f"Antwort {i}")
            seen_by_customer.append(c.until(lambda o: o["type"] == "agent")["text"])
            c.send(f"Frage {i}")
            seen_by_agent.append(jana.until(lambda o: o["type"] == "customer")["text"])
        server.proc.send_signal(signal.SIGKILL)
        server.proc.wait()
        texts = [(r["type"], r.get("text")) for r in server.records() if r["session"] == session]
        for text in seen_by_customer:
            assert ("agent_message", text) in texts, text
        for text in seen_by_agent:
            assert ("handoff_message", text) in texts, text
    finally:
        server.stop()


def tmux(*args, check=True):
    return subprocess.run(["tmux", "-L", "treue-e2e", *args], capture_output=True, text=True, timeout=10, check=check)


def pane_until(needle, timeout=10):
    deadline = time.time() + timeout
    text = ""
    while time.time() < deadline:
        text = tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", "agent").stdout
        if needle in text:
            return text
        time.sleep(0.1)
    raise AssertionError(f"{needle!r} never showed in the console:\n{text}")


@test
def treue_agent_console_in_tmux_merges_two_servers_and_chats():
    if not shutil.which("tmux"):
        raise AssertionError("tmux missing: scripts/install-deps.sh test")
    one, two = AgentServer(), AgentServer()
    folder = tempfile.mkdtemp(prefix="treue-console-")
    try:
        token_file = os.path.join(folder, "token")
        with open(token_file, "w") as f:
            f.write(token("jana") + "\n")
        os.chmod(token_file, 0o600)
        tmux("kill-server", check=False)
        command = f"{treue()} agent --id jana --token-file {token_file} 127.0.0.1:{one.agent_port} 127.0.0.1:{two.agent_port}"
        tmux("new-session", "-d", "-s", "agent", "-x", "100", "-y", "40", "env NO_COLOR=1 " + command)
        pane_until("Logged in as Jana")
        deadline = time.time() + 10
        while pane_until("Logged in").count("Logged in as Jana") < 2 and time.time() < deadline:
            time.sleep(0.1)
        c1, _ = customer(one)
        c1.send("/agent")
        t1 = c1.until(lambda o: o["type"] == "queued")["ticket"]
        c2, _ = customer(two)
        c2.send("Ich möchte mit einem Mitarbeiter sprechen")
        t2 = c2.until(lambda o: o["type"] == "queued")["ticket"]
        text = pane_until(t2)
        assert t1 in text and "[1]" in text and "[2]" in text, text
        assert token("jana").split(".")[1] not in text
        tmux("send-keys", "-t", "agent", f"/take {t2}", "Enter")
        pane_until(f"{t2} is yours")
        assert c2.until(lambda o: o["type"] == "info")["text"].startswith("Jana vom Service-Team")
        tmux("send-keys", "-t", "agent", "Guten Tag aus der Konsole", "Enter")
        said = c2.until(lambda o: o["type"] == "agent")
        assert said["text"] == "Guten Tag aus der Konsole" and said["name"] == "Jana", said
        c2.send("Danke, wo bleibt mein Paket?")
        pane_until("customer: Danke, wo bleibt mein Paket?")
        tmux("send-keys", "-t", "agent", "/close", "Enter")
        assert c2.until(lambda o: o["type"] == "prompt")["kind"] == "rating"
        # The first server's customer is untouched by what happened on the second.
        c1.send("was kostet der versand")
        assert c1.until(lambda o: o["type"] == "reply")["intent"] == "shipping_costs"
        tmux("send-keys", "-t", "agent", "/quit", "Enter")
    finally:
        tmux("kill-server", check=False)
        one.stop()
        two.stop()
        shutil.rmtree(folder, ignore_errors=True)

