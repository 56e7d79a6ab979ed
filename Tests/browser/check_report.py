#!/usr/bin/env python3
"""Checks a `treue review --format html` report in a real browser.

Renders the page with headless Chromium (DOM dump and screenshot) and asserts that the
DOM has the expected headings, the overview figures and SVG charts, and that the page
pulls in nothing from outside (no scripts, no external resources). Exits non-zero on any
failure.

    treue review Transcripts --format html --out /tmp/report.html
    python3 Tests/browser/check_report.py /tmp/report.html [--screenshot /tmp/report.png] \
        [--expect "Sessions=4" --expect "Match rate=54.5 %"] [--gaps 2 --gap-text "new topic"]

Without Chromium installed it skips (exit 0, with a message), unless TREUE_REQUIRE_BROWSER
is set, in which case a missing browser is a failure. Install it with
`apt-get install -y chromium`.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser

HEADINGS = [
    "Overview", "Busiest hours", "Volume per day", "Unmatched messages", "Intents by phase",
    "Satisfaction", "Helpfulness by intent", "Handoffs", "Phase movements",
]
CARDS = ["Sessions", "Customer messages", "Match rate", "Containment rate", "Handoff rate", "Mean satisfaction"]


class DomSummary(HTMLParser):
    """Collects headings, overview cards (dt → dd), tag counts and external references."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings, self.cards, self.tags, self.external = [], {}, {}, []
        self._capture, self._text, self._last_dt = None, "", None
        # "What to add next": its cluster rows and its text as rendered.
        self.gap_rows, self.gap_text, self._in_gaps = 0, "", False

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        attributes = dict(attrs)
        if tag == "section":
            self._in_gaps = attributes.get("id") == "gaps"
        if tag == "tr" and self._in_gaps and "gap" in (attributes.get("class") or "").split():
            self.gap_rows += 1
        for name, value in attrs:
            if name in ("src", "href", "xlink:href") and value and not value.startswith("#"):
                self.external.append(f"<{tag} {name}={value}>")
        if tag in ("h1", "h2", "h3", "dt", "dd"):
            self._capture, self._text = tag, ""

    def handle_endtag(self, tag):
        if tag != self._capture:
            return
        text = " ".join(self._text.split())
        if tag == "h2":
            self.headings.append(text)
        elif tag == "dt":
            self._last_dt = text
        elif tag == "dd" and self._last_dt is not None:
            self.cards[self._last_dt] = text
        self._capture = None

    def handle_data(self, data):
        if self._capture:
            self._text += data
        if self._in_gaps:
            self.gap_text += data


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def run_browser(browser, args, timeout=120):
    base = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--user-data-dir=" + tempfile.mkdtemp(prefix="treue-chromium-")]
    return subprocess.run(base + args, capture_output=True, text=True, timeout=timeout)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("report", help="the HTML report file")
    parser.add_argument("--screenshot", help="where to write the PNG screenshot (default: a temporary file)")
    parser.add_argument("--expect", action="append", default=[], metavar="CARD=VALUE",
                        help="an overview figure the page must show, e.g. 'Sessions=4' (repeatable)")
    parser.add_argument("--gaps", type=int, metavar="N",
                        help="the 'What to add next' section must list at least N gap clusters")
    parser.add_argument("--gap-text", action="append", default=[], metavar="TEXT",
                        help="text the 'What to add next' section must show (repeatable)")
    args = parser.parse_args()

    browser = find_chromium()
    if browser is None:
        if os.environ.get("TREUE_REQUIRE_BROWSER"):
            print("FAIL: chromium is not installed and TREUE_REQUIRE_BROWSER is set (apt-get install -y chromium)")
            return 1
        print("SKIP: chromium is not installed (apt-get install -y chromium); set TREUE_REQUIRE_BROWSER=1 to make this a failure")
        return 0
    if not os.path.isfile(args.report):
        print(f"FAIL: no report at {args.report}")
        return 1

    url = "file://" + os.path.abspath(args.report)
    failures = []

    dump = run_browser(browser, ["--dump-dom", url])
    if dump.returncode != 0 or "<html" not in dump.stdout:
        print(f"FAIL: chromium --dump-dom exited {dump.returncode}\n{dump.stderr[-2000:]}")
        return 1
    dom = DomSummary()
    dom.feed(dump.stdout)

    for heading in HEADINGS:
        if heading not in dom.headings:
            failures.append(f"missing heading '{heading}' (found: {dom.headings})")
    for card in CARDS:
        if not dom.cards.get(card):
            failures.append(f"missing overview figure '{card}'")
    for expectation in args.expect:
        name, _, value = expectation.partition("=")
        if dom.cards.get(name) != value:
            failures.append(f"overview '{name}' is {dom.cards.get(name)!r}, expected {value!r}")
    if args.gaps is not None:
        if "What to add next" not in dom.headings:
            failures.append(f"missing heading 'What to add next' (found: {dom.headings})")
        if dom.gap_rows < args.gaps:
            failures.append(f"'What to add next' lists {dom.gap_rows} cluster(s), expected at least {args.gaps}")
    gap_text = " ".join(dom.gap_text.split())
    for text in args.gap_text:
        if text not in gap_text:
            failures.append(f"'What to add next' does not show {text!r}: {gap_text[:300]!r}")
    if dom.tags.get("svg", 0) < 3:
        failures.append(f"expected at least 3 <svg> charts, found {dom.tags.get('svg', 0)}")
    if dom.tags.get("rect", 0) < 5:
        failures.append(f"expected chart bars (<rect>), found {dom.tags.get('rect', 0)}")
    if dom.tags.get("script"):
        failures.append("the page contains a <script>")
    if dom.external:
        failures.append(f"external references: {dom.external[:5]}")

    screenshot = args.screenshot or os.path.join(tempfile.mkdtemp(prefix="treue-shot-"), "report.png")
    shot = run_browser(browser, ["--hide-scrollbars", "--window-size=1280,2400", f"--screenshot={screenshot}", url])
    if shot.returncode != 0 or not os.path.isfile(screenshot) or os.path.getsize(screenshot) < 10_000:
        failures.append(f"screenshot failed (exit {shot.returncode}): {shot.stderr[-500:]}")
    else:
        with open(screenshot, "rb") as png:
            if png.read(8) != b"\x89PNG\r\n\x1a\n":
                failures.append("screenshot is not a PNG")

    if failures:
        for failure in failures:
            print("FAIL:", failure)
        return 1
    figures = ", ".join(f"{card} {dom.cards[card]}" for card in CARDS)
    print(f"OK: {len(dom.headings)} sections, {dom.tags.get('svg', 0)} charts, {dom.gap_rows} gap cluster(s); {figures}; screenshot {screenshot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
