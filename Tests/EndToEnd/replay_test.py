"""Replay before reload: customers chat with a real `treue serve`, an author edits a copy of
Intents/, `treue replay` reports what the edit changes (text, JSON, the gate's exit
status), and `treue serve --reload-gate` keeps the old knowledge base when a saved edit
would lose or switch real answers, and takes a harmless one. Run with `make e2e` (pytest)."""
import json, os, shutil, signal, subprocess, tempfile, time

import pytest

from harness import ROOT, Server, treue, test
from operations_test import http, metric

# One file an author adds: three intents that change what three real questions get.
EDIT = r"""
intents:
  - id: island_shipping
    title: { de: Inselversand, en: Island delivery }
    priority: 60
    patterns:
      de: ['\bhelgoland\b']
      en: ['\bheligoland\b']
    examples:
      de: ["Wie lange dauert der Versand nach Helgoland?"]
    answers:
      default:
        de: "Nach Helgoland liefern wir zwei Tage später."
        en: "Deliveries to Heligoland take two days longer."
  - id: gift_wrapping
    title: { de: Geschenkverpackung, en: Gift wrapping }
    suggestion: { de: "Gibt es Geschenkpapier?", en: "Do you offer gift wrapping?" }
    patterns:
      de: ['\bgeschenkpapier\b|\bgeschenkverpack\w*']
      en: ['\bgift\s*wrap\w*']
    examples:
      de: ["Habt ihr Geschenkpapier?"]
    answers:
      default:
        de: "Ja, Geschenkverpackung gibt es für 2 Euro."
        en: "Yes, gift wrapping costs 2 euros."
  - id: islands_elsewhere
    title: { de: Andere Inseln, en: Other islands }
    action: out_of_scope
    priority: 60
    patterns:
      de: ['\bsylt\b']
    examples:
      de: ["Was kostet der Versand nach Sylt?"]
    answers:
      default:
        de: "Dazu kann ich nichts sagen."
        en: "I cannot help with that."
"""

HELGOLAND = "Wie lange dauert der Versand nach Helgoland?"
SYLT = "Was kostet der Versand nach Sylt?"
PAPER = "Habt ihr Geschenkpapier?"


def copy_intents(extra=None):
    folder = os.path.join(tempfile.mkdtemp(prefix="treue-e2e-kb-"), "Intents")
    shutil.copytree(os.path.join(ROOT, "Intents"), folder)
    if extra:
        with open(os.path.join(folder, "zz-edit.yaml"), "w", encoding="utf-8") as f:
            f.write(extra)
    return folder


def chat(server):
    """Two customers. A: the Helgoland question, rated down, a greeting, /quit with 1.
    B: Sylt, gift paper, an order question whose slot question is answered, /quit with 5."""
    a = server.client()
    a.to_json()
    reply, _ = a.ask(HELGOLAND)
    assert reply["intent"] == "delivery_time", reply
    a.send("/rate down")
    assert a.json()["type"] == "info"
    assert a.ask("Hallo")[0]["intent"] == "greeting"
    a.send("/quit")
    assert a.json()["type"] == "prompt"
    a.send("1")
    assert a.json()["type"] == "bye"
    a.close()

    b = server.client()
    b.to_json()
    assert b.ask(SYLT)[0]["intent"] == "shipping_costs"
    assert b.ask(PAPER)[0]["intent"] is None
    prompt, _ = b.ask("wo ist meine bestellung")
    assert prompt["type"] == "prompt", prompt
    assert b.ask("12345678")[0]["intent"] == "order_status"
    b.send("/quit")
    assert b.json()["type"] == "prompt"
    b.send("5")
    assert b.json()["type"] == "bye"
    b.close()


def replay(*args):
    return subprocess.run([treue(), "replay", *args], capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, SWIFT_BACKTRACE="enable=no"))


@pytest.fixture(scope="module")
def chatted():
    """A server's transcripts after the two customers, the knowledge base they were answered
    from, and the author's edited copy."""
    baseline = copy_intents()
    server = Server(intents=baseline)
    try:
        chat(server)
    finally:
        server.stop()
    return {"transcripts": server.dir, "baseline": baseline, "edited": copy_intents(EDIT)}


@test
def replay_reports_newly_answered_lost_and_switched_with_feedback(chatted):
    done = replay(chatted["transcripts"], "--baseline", chatted["baseline"], "--intents", chatted["edited"])
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Replay of 5 customer message(s)" in out, out
    assert "1 follow-up(s) not replayed" in out, out
    assert "Switched: 1; 1 had negative feedback before (1 thumbs-down, 1 rated 1–2)" in out, out
    assert "delivery_time → island_shipping (1 thumbs-down, 1 rated 1–2)" in out, out
    assert f'"{HELGOLAND}"' in out, out
    assert "Lost: 1;" in out and "shipping_costs → (out of scope)" in out, out
    assert "Newly answered: 1;" in out and "(fallback) → gift_wrapping" in out, out
    assert "unchanged: 2" in out, out
    # Not a terminal: no progress line.
    assert done.stderr == "", done.stderr


@test
def replay_json_has_every_figure(chatted):
    done = replay(chatted["transcripts"], "--baseline", chatted["baseline"], "--intents", chatted["edited"], "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["messages"] == 5 and report["followUps"] == 1 and report["unchanged"] == 2
    assert report["before"]["fallback"] == 1 and report["after"]["outOfScope"] == 1
    switched = report["switched"]
    assert switched["count"] == 1
    assert switched["feedback"] == {"thumbsDown": 1, "thumbsUp": 0, "lowRating": 1, "negative": 1}
    transition = switched["transitions"][0]
    assert (transition["from"], transition["to"]) == ("delivery_time", "island_shipping")
    example = transition["examples"][0]
    assert example["text"] == HELGOLAND and example["thumbsDown"] is True and example["rating"] == 1
    assert (example["phase"], example["lang"]) == ("awareness", "de")
    assert report["lost"]["transitions"][0]["to"] == "(out of scope)"
    assert report["newlyAnswered"]["transitions"][0]["examples"][0]["text"] == PAPER
    assert "gate" not in report


@test
def replay_is_a_gate_with_its_own_exit_status(chatted):
    common = [chatted["transcripts"], "--baseline", chatted["baseline"], "--intents", chatted["edited"]]
    refused = replay(*common, "--max-switched", "0")
    assert refused.returncode == 3, (refused.returncode, refused.stderr)
    assert "Gate: exceeded: 1 switched > 0 allowed" in refused.stdout, refused.stdout
    both = replay(*common, "--max-switched", "0", "--max-lost", "0", "--format", "json")
    assert both.returncode == 3
    assert [v["measure"] for v in json.loads(both.stdout)["gate"]["violations"]] == ["lost", "switched"]
    passed = replay(*common, "--max-switched", "1", "--max-lost", "1")
    assert passed.returncode == 0, passed.stderr
    assert "Gate: passed (lost ≤ 1, switched ≤ 1)" in passed.stdout
    # The period: the chat happened today, so a period that ended yesterday replays nothing.
    past = replay(*common, "--until", "2000-01-01", "--max-switched", "0")
    assert past.returncode == 0 and "Replay of 0 customer message(s)" in past.stdout, past.stdout


@test
def replay_failures_are_one_line_without_usage(chatted):
    missing = replay("/nonexistent/transcripts", "--baseline", chatted["baseline"], "--intents", chatted["edited"])
    assert missing.returncode == 1, missing.returncode
    assert missing.stderr.strip() == "Error: cannot replay the transcripts: no transcript directory or file at '/nonexistent/transcripts'", missing.stderr
    broken = copy_intents("intents:\n  - id: broken\n    patterns:\n      de: ['(unclosed']\n")
    bad = replay(chatted["transcripts"], "--baseline", chatted["baseline"], "--intents", broken)
    assert bad.returncode == 1
    assert bad.stderr.startswith(f"Error: the knowledge base in '{broken}' has errors"), bad.stderr
    assert "Usage" not in bad.stderr and len(bad.stderr.strip().splitlines()) == 1, bad.stderr
    usage = replay(chatted["transcripts"], "--intents", chatted["edited"], "--max-lost=-1")
    assert usage.returncode == 64 and "--max-lost must be 0 or more" in usage.stderr, usage.stderr


def wait_for_log(server, needle, count=1, timeout=90):
    """A reload compiles and checks the whole knowledge base, then replays (seconds in a debug build)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end and server.logs().count(needle) < count:
        time.sleep(0.2)
    assert server.logs().count(needle) >= count, server.logs()


def save(folder, name, text):
    """Writes a knowledge-base file whole, as an editor's save does (no half-written file is ever seen)."""
    staging = os.path.join(folder, "." + name + ".tmp")
    with open(staging, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(staging, os.path.join(folder, name))


@test
def reload_gate_keeps_the_old_knowledge_base_and_accepts_a_harmless_edit():
    live = copy_intents()
    server = Server("--reload-gate", "--metrics-port", "0", intents=live)
    try:
        chat(server)
        sessions = {r["session"] for r in server.records()}
        # The author saves the edit that switches the Helgoland answer and loses Sylt's.
        save(live, "zz-edit.yaml", EDIT)
        wait_for_log(server, "knowledge base reload refused by the reload gate")
        log = server.logs()
        refusal = next(line for line in log.splitlines() if "refused by the reload gate" in line)
        assert "exceeded: 1 lost > 0 allowed, 1 switched > 0 allowed" in refusal, refusal
        assert "replayed=5" in refusal and "lost=1" in refusal and "switched=1" in refusal, refusal
        assert "delivery_time → island_shipping: 'Wie lange dauert der Versand nach Helgoland?'" in refusal, refusal
        assert "shipping_costs → (out of scope)" in refusal, refusal
        # No session id reaches the log.
        assert not any(session in log for session in sessions)
        # The old answers are still served.
        c = server.client()
        c.to_json()
        assert c.ask(HELGOLAND)[0]["intent"] == "delivery_time"
        assert c.ask(SYLT)[0]["intent"] == "shipping_costs"
        assert c.ask(PAPER)[0]["intent"] is None
        c.close()
        status, text = http(server.metrics_port, "/metrics")
        assert metric(text, 'treue_knowledge_base_reloads_total{result="refused"}') == 1, text
        assert metric(text, 'treue_knowledge_base_reloads_total{result="success"}') == 0, text

        # A harmless edit: only the new gift-wrapping intent (newly answered counts against
        # no limit), saved and signalled.
        gift = EDIT[:EDIT.index("  - id: islands_elsewhere")]
        gift = "intents:\n" + gift[gift.index("  - id: gift_wrapping"):]
        save(live, "zz-edit.yaml", gift)
        server.proc.send_signal(signal.SIGHUP)
        wait_for_log(server, "knowledge base reloaded")
        accepted = next(line for line in server.logs().splitlines() if "knowledge base reloaded" in line)
        # Gift paper was asked twice: by customer B and after the refused reload.
        assert "replayed=8" in accepted and "newly_answered=2" in accepted, accepted
        assert "lost=0" in accepted and "switched=0" in accepted, accepted
        c = server.client()
        c.to_json()
        assert c.ask(PAPER)[0]["intent"] == "gift_wrapping"
        assert c.ask(HELGOLAND)[0]["intent"] == "delivery_time"
        c.close()
    finally:
        server.stop()


@test
def reload_gate_settings_come_from_the_config_file_too():
    folder = tempfile.mkdtemp(prefix="treue-e2e-")
    config = os.path.join(folder, "serve.yaml")
    with open(config, "w") as f:
        f.write("reload-gate: true\nreload-gate-days: 3\nreload-max-lost: 2\nreload-max-switched: 5\n")
    server = Server("--config", config)
    try:
        wait_for_log(server, "treue is listening")
        assert "reload_gate=3 days, lost ≤ 2, switched ≤ 5" in server.logs(), server.logs()
    finally:
        server.stop()
    with open(config, "w") as f:
        f.write("reload-gate-days: 0\n")
    done = subprocess.run([treue(), "serve", "--config", config, "--port", "0"], capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, SWIFT_BACKTRACE="enable=no"))
    assert done.returncode != 0 and "serve.yaml:1:" in done.stderr and "reload-gate-days must be 1 to 366" in done.stderr, done.stderr
