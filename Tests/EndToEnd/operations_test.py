"""What an operator sees: metrics and health over HTTP, the config file, run-time
failures as one line without usage text, retention of this instance's files only.
Real `treue serve` processes on 127.0.0.1. Run with `make e2e` (pytest)."""
import os, re, signal, socket, subprocess, tempfile, time, urllib.error, urllib.request

from harness import ROOT, Server, treue, test
from hardening_test import WebSocketClient, free_port


def http(port, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def metric(text, name):
    match = re.search(r"^" + re.escape(name) + r" ([0-9.e+-]+)$", text, re.M)
    return float(match.group(1)) if match else None


@test
def metrics_count_what_customers_did_and_health_says_serving():
    server = Server("--metrics-port", "0")
    try:
        assert server.metrics_port, "no 'metrics on' line"
        assert http(server.metrics_port, "/healthz") == (200, "serving\n")
        c = server.client()
        c.to_json()
        c.ask("wo ist mein paket 12345678")
        c.ask("xqzv blorp wumm")
        c.ask("ich möchte meinen Netflix-Vertrag kündigen")
        c.ask("Die Größe passt leider gar nicht, was machen wir da")
        c.close()
        time.sleep(0.3)
        status, text = http(server.metrics_port, "/metrics")
        assert status == 200
        assert metric(text, 'treue_messages_total{outcome="matched",lang="de"}') == 1, text
        assert metric(text, 'treue_messages_total{outcome="fallback",lang="de"}') == 1, text
        assert metric(text, 'treue_messages_total{outcome="out_of_scope",lang="de"}') == 1, text
        assert metric(text, 'treue_messages_total{outcome="clarify",lang="de"}') == 1, text
        assert metric(text, "treue_connections_accepted_total") >= 1
        assert metric(text, "treue_transcript_group_commit_records_count") >= 1
        # Every line answered counts: /json and the four questions.
        assert metric(text, "treue_reply_duration_seconds_count") == 5
        assert metric(text, "treue_transcript_write_failures_total") == 0
        # No label value comes from what a customer wrote.
        assert "blorp" not in text and "Netflix" not in text and "12345678" not in text
        assert http(server.metrics_port, "/nothing")[0] == 404
    finally:
        server.stop()


@test
def without_metrics_port_nothing_listens_for_http():
    server = Server()
    try:
        assert server.metrics_port is None
    finally:
        server.stop()


@test
def run_time_failures_print_one_line_without_usage_and_exit_1():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run([treue(), "serve", "--port", str(port), "--transcripts", tempfile.mkdtemp(prefix="treue-e2e-")],
                              capture_output=True, text=True, timeout=30, cwd=ROOT)
    errors = [line for line in proc.stderr.splitlines() if line.startswith("Error:")]
    assert proc.returncode == 1, (proc.returncode, proc.stderr)
    assert errors == [f"Error: cannot listen for customers on 127.0.0.1:{port}: Address already in use"], proc.stderr
    assert "Usage" not in proc.stderr and "USAGE" not in proc.stderr
    # The client commands and the transcript readers say what went wrong the same way.
    empty = tempfile.mkdtemp(prefix="treue-e2e-")
    for args, expected in [(["chat", f"127.0.0.1:{port}"], f"Error: cannot connect to 127.0.0.1:{port}: Connection refused"),
                           (["transcript", "deadbeef", "--dir", empty], "Error: no records of session 'deadbeef' in the transcripts"),
                           (["tickets", os.path.join(empty, "missing")], f"Error: no transcript directory or file at '{os.path.join(empty, 'missing')}'"),
                           (["review", os.path.join(empty, "missing")], f"Error: no transcript directory or file at '{os.path.join(empty, 'missing')}'"),
                           (["check", "--eval", os.path.join(empty, "none.tsv")],
                            f"Error: cannot read the evaluation file '{os.path.join(empty, 'none.tsv')}': no such file or directory"),
                           (["agent", "--id", "jana", "--token-file", os.path.join(empty, "none"), f"127.0.0.1:{port}"],
                            f"Error: cannot read the agent token file '{os.path.join(empty, 'none')}': no such file or directory")]:
        run = subprocess.run([treue(), *args], capture_output=True, text=True, timeout=30, cwd=ROOT, stdin=subprocess.DEVNULL)
        assert run.returncode == 1 and run.stderr.strip() == expected, (args, run.returncode, run.stderr)
    # A bad argument is different: usage text and exit 64.
    bad = subprocess.run([treue(), "serve", "--fsync", "sometimes"], capture_output=True, text=True, timeout=30, cwd=ROOT)
    assert bad.returncode == 64 and "always" in bad.stderr and "Usage" in bad.stderr, bad.stderr


@test
def a_config_file_sets_the_flags_and_the_command_line_wins():
    folder = tempfile.mkdtemp(prefix="treue-e2e-")
    config = os.path.join(folder, "serve.yaml")
    with open(config, "w") as f:
        f.write("instance: fromfile\nfsync: batch\nmax-line-bytes: 64\nproxy-protocol: false\n")
    server = Server("--config", config)
    try:
        c = server.client()
        c.line()
        c.send("x" * 100)
        assert "zu lang" in c.line() or "too long" in c.line()
        c.send("danke")
        c.line()
        time.sleep(0.3)
        assert any(name.endswith(".fromfile.jsonl") for name in os.listdir(server.dir)), os.listdir(server.dir)
    finally:
        server.stop()
    server = Server("--config", config, "--instance", "fromflag")
    try:
        c = server.client()
        c.line()
        c.send("danke")
        c.line()
        time.sleep(0.3)
        assert all(".fromflag." in name for name in os.listdir(server.dir)), os.listdir(server.dir)
    finally:
        server.stop()
    with open(config, "w") as f:
        f.write("port: 0\n\nfsync: sometimes\n")
    proc = subprocess.run([treue(), "serve", "--config", config], capture_output=True, text=True, timeout=30, cwd=ROOT)
    assert proc.returncode == 1 and f"{config}:3:" in proc.stderr and "sometimes" in proc.stderr, proc.stderr


@test
def retention_deletes_only_this_instances_old_files_and_logs_them():
    folder = tempfile.mkdtemp(prefix="treue-e2e-")
    for name in ["2020-01-01.a.jsonl", "2020-01-01.b.jsonl", "2020-01-01.jsonl"]:
        open(os.path.join(folder, name), "w").close()
    server = Server("--instance", "a", "--retain-days", "30", transcripts=folder, log_level="notice")
    try:
        time.sleep(0.5)
        assert sorted(os.listdir(folder)) == ["2020-01-01.b.jsonl", "2020-01-01.jsonl"], os.listdir(folder)
        assert "2020-01-01.a.jsonl" in server.logs()
    finally:
        server.stop()


def wait_for_log(server, needle, count=1, timeout=20):
    """Reloads check the whole knowledge base first (seconds in a debug build)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end and server.logs().count(needle) < count:
        time.sleep(0.2)
    assert server.logs().count(needle) >= count, server.logs()


@test
def sighup_also_reloads_the_customer_directory_and_keeps_it_when_broken():
    folder = tempfile.mkdtemp(prefix="treue-e2e-")
    crm = os.path.join(folder, "crm.csv")
    with open(crm, "w") as f:
        f.write("id,phase,name\nC1,loyalty,Anna\n")
    server = Server("--customers", crm)
    try:
        with open(crm, "w") as f:
            f.write("id,phase,name\nC1,loyalty,Anna\nC2,service,Bert\n")
        server.proc.send_signal(signal.SIGHUP)
        wait_for_log(server, "customer directory reloaded")
        c = server.client()
        c.line()
        c.send("/login C2")
        assert "Bert" in c.line()
        with open(crm, "w") as f:
            f.write("id,phase,name\nC1,nonsense,Anna\n")
        server.proc.send_signal(signal.SIGHUP)
        wait_for_log(server, "customer directory reload failed")
        c.send("/login C2")
        assert "Bert" in c.line(), "a broken export must keep the one in service"
        assert "crm.csv:2: unknown phase" in server.logs(), server.logs()
    finally:
        server.stop()


@test
def behind_a_trusted_proxy_the_websocket_cap_counts_the_forwarded_address():
    port = free_port()
    server = Server("--websocket-port", str(port), "--web-root", os.path.join(ROOT, "Web"), "--trusted-proxy", "127.0.0.1",
                    "--max-connections-per-address", "1")
    try:
        own = f"http://127.0.0.1:{port}"
        first = WebSocketClient(port, origin=own, headers=["X-Forwarded-For: 10.1.1.1, 198.51.100.1"])
        second = WebSocketClient(port, origin=own, headers=["X-Forwarded-For: 198.51.100.2"])
        third = WebSocketClient(port, origin=own, headers=["X-Forwarded-For: 198.51.100.1"])
        assert first.status == second.status == third.status == 101
        assert "Willkommen" in first.message() and "Willkommen" in second.message()
        assert "busy" in third.message()          # the same customer again: over the cap of 1
    finally:
        server.stop()
