"""The service manager's view end to end: real conversations through `treue serve`, then
`treue review` over their transcripts, checked as figures (JSON) and as an HTML page in
headless Chromium (check_report.py). Each check is one pytest result."""
import json, os, socket, subprocess, sys, tempfile, time

import pytest

from harness import Checks

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def converse(port, lines):
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    reader = sock.makefile("r", encoding="utf-8")
    reader.readline()
    sock.sendall(b"/json\n")
    reader.readline(); reader.readline()
    for line in lines:
        sock.sendall(line.encode() + b"\n")
        reply = json.loads(reader.readline())
        if reply["type"] == "bye":
            break
        if line == "/quit":
            continue
    sock.close()


CHECKS = [
    "sessions, messages, match rate",
    "handoff and containment rates",
    "satisfaction mean over two ratings",
    "unmatched question ranked first with its count",
    "HTML report renders in Chromium with the right figures",
    "What to add next renders in Chromium with its clusters and nearest intents",
]


def run_scenario(treue):
    transcripts = tempfile.mkdtemp(prefix="treue-report-")
    server = subprocess.Popen([treue, "serve", "--port", "0", "--transcripts", transcripts, "--intents", os.path.join(ROOT, "Intents"),
                               "--customers", os.path.join(ROOT, "Customers", "demo.csv")],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=dict(os.environ, SWIFT_BACKTRACE="enable=no"))
    results = Checks()
    try:
        port = int(server.stdout.readline().strip().rsplit(":", 1)[1])
        # Four sessions whose figures are known: 8 customer messages, 2 unmatched,
        # one handoff, ratings 5 and 3 (mean 4.0).
        converse(port, ["wo ist mein paket 12345678", "danke", "/quit", "5"])
        converse(port, ["wie wird das wetter morgen", "wie wird das wetter morgen", "/agent", "/quit", "3"])
        converse(port, ["/login C1001", "wie viele punkte habe ich", "/rate up", "/quit", "x"])
        converse(port, ["ich möchte meine bestellung stornieren", "12345678", "/quit", "nein"])
        time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=15)

    report = json.loads(subprocess.run([treue, "review", transcripts, "--format", "json"], capture_output=True, text=True, check=True).stdout)
    overall = report["satisfaction"]["overall"]
    checks = {
        "sessions, messages, match rate": (report["sessions"], report["messages"], report["matchedMessages"]) == (4, 7, 5),
        "handoff and containment rates": (report["handoffRate"], report["containmentRate"]) == (0.25, 0.75),
        "satisfaction mean over two ratings": abs(overall["mean"] - 4.0) < 1e-9 and overall["count"] == 2,
        "unmatched question ranked first with its count": report["unmatched"][0]["count"] == 2 and "wetter" in report["unmatched"][0]["example"],
    }
    for name, ok in checks.items():
        results.check(name, ok, json.dumps({k: report.get(k) for k in ("sessions", "messages", "matchedMessages", "handoffRate", "containmentRate")}))

    html = os.path.join(transcripts, "report.html")
    subprocess.run([treue, "review", transcripts, "--format", "html", "--out", html], check=True)
    os.makedirs(os.path.join(ROOT, "artifacts"), exist_ok=True)
    browser = subprocess.run([sys.executable, os.path.join(HERE, "check_report.py"), html, "--screenshot",
                              os.path.join(ROOT, "artifacts", "report.png"), "--expect", "Sessions=4", "--expect", "Mean satisfaction=4.00"],
                             capture_output=True, text=True)
    results.check("HTML report renders in Chromium with the right figures", browser.returncode == 0, browser.stdout.strip()[-500:])
    results.check("What to add next renders in Chromium with its clusters and nearest intents", *gap_report(treue))
    return results


def gap_report(treue):
    """Gap messages of two topics (one new, one near an intent) through a real server, then
    the review's "What to add next" section checked in Chromium."""
    transcripts = tempfile.mkdtemp(prefix="treue-report-gaps-")
    server = subprocess.Popen([treue, "serve", "--port", "0", "--transcripts", transcripts, "--intents", os.path.join(ROOT, "Intents"),
                               "--customers", os.path.join(ROOT, "Customers", "demo.csv")],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=dict(os.environ, SWIFT_BACKTRACE="enable=no"))
    try:
        port = int(server.stdout.readline().strip().rsplit(":", 1)[1])
        converse(port, ["do you sell wholesale", "wholesale prices for resellers 250 units", "hi, my name is Tom. do you sell whholesale", "/quit", "x"])
        converse(port, ["wo ist mein paket 12345678", "/rate down", "/quit", "x"])
        time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=15)
    html = os.path.join(transcripts, "report.html")
    subprocess.run([treue, "review", transcripts, "--format", "html", "--out", html], check=True)
    browser = subprocess.run([sys.executable, os.path.join(HERE, "check_report.py"), html, "--screenshot",
                              os.path.join(ROOT, "artifacts", "report-gaps.png"), "--gaps", "2",
                              "--gap-text", "no intent is close: new topic", "--gap-text", "wholesale", "--gap-text", "1 got a thumbs-down"],
                             capture_output=True, text=True)
    return browser.returncode == 0, browser.stdout.strip()[-800:]


@pytest.fixture(scope="module")
def scenario(treue_binary):
    return run_scenario(treue_binary)


@pytest.mark.parametrize("check", CHECKS)
def test_report(scenario, check):
    scenario.verify(check)
