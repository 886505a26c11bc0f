#!/usr/bin/env python3
"""Browser tests of the HTML report: real runs' pages in headless Chromium, from file://.

    check_report.py --case orcl_wyckoff --wyckoff build/release/cli/wyckoff --work DIR

Each case runs the wyckoff CLI to write a report, loads it in Debian's chromium (driven over
the DevTools protocol by scripts/headless_chromium.py) and fails, with every reason, when:
- the page logs a script error, an uncaught exception or a console error;
- it requests anything but its own file (the page must open offline);
- it draws a blank chart: the screenshot must hold candles in both candle colours;
- it drew a different number of markers than the data holds: for every symbol, one marker per
  event and two per trade (entry and exit), as the page reports in data-event-markers and
  data-trade-markers and as the chart holds them (data-markers, from the markers plugin); in
  the one case with more than 2000 markers (GROUPED) the chart holds one per candle and kind,
  and the markers must still stand for every event and trade;
- zoomed into a stretch, it does not show every row of the data there as a candle of its own,
  or the markers there differ from the events of that stretch;
- walk-forward: it did not draw every window; optimize: the heat map lacks a combination.
Run by ctest (label browser, tests/browser/CMakeLists.txt) from the repository root.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from headless_chromium import Chromium  # noqa: E402

ORCL = "data/daily/orcl-1995-2014.csv"
KO = "data/daily/ko-1997-1998.csv"
PEP = "data/daily/pep-1997-1998.csv"
FUTURES = "data/intraday/estx50-futures-2006-01-02-1min.csv"

# Each case: the commands that write page.html in its folder ({page} and {dir} filled in).
CASES = {
    "orcl_wyckoff": [["backtest", "--data", ORCL, "--symbol", "ORCL", "--strategy", "wyckoff",
                      "--risk", "0.01", "--report", "{page}"]],
    "universe": [["backtest", "--data", KO, "--data", PEP, "--data", ORCL,
                  "--symbol", "KO </script><b>", "--symbol", 'PEP & "Co"', "--symbol", "ORCL",
                  "--strategy", "wyckoff", "--risk", "0.01", "--report", "{page}"]],
    # Daily and 1-minute bars on one clock: the minute steps make the clock far denser than
    # the daily symbol's bars in January 2006.
    "mixed_universe": [["backtest", "--data", "data/daily/yhoo-1996-2015.csv", "--data", FUTURES,
                        "--symbol", "YHOO", "--symbol", "FESX", "--strategy", "wyckoff",
                        "--allow-short", "--report", "{page}"]],
    "walk_forward": [["walk-forward", "--data", ORCL, "--symbol", "ORCL", "--strategy", "wyckoff",
                      "--grid", "spring_volume_max=0.7,0.8", "--train", "4y", "--test", "2y",
                      "--objective", "net_profit", "--risk", "0.01", "--jobs", "2",
                      "--report", "{page}"]],
    "futures_1min": [["backtest", "--data", FUTURES, "--symbol", "FESX", "--strategy", "wyckoff",
                      "--report", "{page}"]],
    # The same bars in at most 500 rows: the data holds 15-minute bars, flagged aggregated.
    "futures_aggregated": [["backtest", "--data", FUTURES, "--symbol", "FESX",
                            "--strategy", "wyckoff", "--report", "{page}",
                            "--report-bars", "500"]],
    "optimize": [["optimize", "--data", ORCL, "--symbol", "ORCL", "--strategy", "wyckoff",
                  "--grid", "spring_volume_max=0.5:0.8:0.1", "--grid", "min_reward_risk=1.5:3:0.5",
                  "--objective", "net_profit", "--jobs", "2", "--report", "{page}"]],
    # More than a million 1-minute bars: stored in 5-minute rows, 37 000 trades shown as markers
    # grouped per candle.
    "large_1min": [["generate", "--scenario", "mixed", "--bars", "1200000", "--seed", "11",
                    "--out", "{dir}/bars.csv"],
                   ["backtest", "--data", "{dir}/bars.csv", "--symbol", "SYN",
                    "--strategy", "sma-cross", "--report", "{page}"]],
    # A finished run's folder made into a page.
    "report_command": [["backtest", "--data", ORCL, "--symbol", "ORCL", "--strategy", "wyckoff",
                        "--risk", "0.01", "--out", "{dir}/run"],
                       ["report", "--run", "{dir}/run", "--data", ORCL, "--out", "{page}"]],
}

# Counts pixels of a PNG (a data: URL) in the browser's own decoder: the page's size, pixels
# that are not white, and pixels of the candle colours (up 38,166,154; down 239,83,80).
PIXELS_JS = """
(async (url) => {
  const image = new Image();
  image.src = url;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.width; canvas.height = image.height;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const d = ctx.getImageData(0, 0, image.width, image.height).data;
  let ink = 0, up = 0, down = 0;
  const near = (i, r, g, b) => Math.abs(d[i] - r) + Math.abs(d[i + 1] - g) + Math.abs(d[i + 2] - b) < 24;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i] < 245 || d[i + 1] < 245 || d[i + 2] < 245) ink++;
    if (near(i, 38, 166, 154)) up++;
    if (near(i, 239, 83, 80)) down++;
  }
  return JSON.stringify({width: image.width, height: image.height, ink, up, down});
})(%s)
"""


def page_data(path):
    """The JSON the page embeds, parsed as any tool would."""
    with open(path, encoding="utf-8") as f:
        html = f.read()
    found = re.findall(r'<script type="application/json" id="wyckoff-data">(.*?)</script>', html,
                       re.S)
    if len(found) != 1:
        raise AssertionError(f"{path}: {len(found)} data elements, expected 1")
    return json.loads(found[0])


def run_case(case, wyckoff, work):
    folder = os.path.join(work, case)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    page = os.path.join(folder, "page.html")
    for command in CASES[case]:
        args = [a.format(page=page, dir=folder) for a in command]
        done = subprocess.run([wyckoff, *args], cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            raise AssertionError(f"wyckoff {' '.join(args)}: exit {done.returncode}: "
                                 f"{done.stderr.strip()}")
    return page


class Checks:
    def __init__(self, case):
        self.case = case
        self.failures = []

    def equal(self, what, got, expected):
        if got != expected:
            self.failures.append(f"{what}: the page shows {got!r}, expected {expected!r}")

    def true(self, what, ok, detail=""):
        if not ok:
            self.failures.append(f"{what}{': ' + detail if detail else ''}")


def dataset(page):
    return page.evaluate("Object.assign({}, document.body.dataset)")


# Cases whose markers are grouped per candle (more than 2000).
GROUPED = {"large_1min"}


def check_markers(page, data, checks, grouped):
    """Every symbol's markers: one per event, two per trade."""
    for s, symbol in enumerate(data["symbols"]):
        page.evaluate(f"wyckoffReport.selectSymbol({s})")
        page.settle()
        ds = dataset(page)
        events = sum(1 for e in data["events"] if e[0] == s)
        trades = sum(1 for t in data["trades"] if t["symbol"] == s)
        name = symbol["name"]
        checks.equal(f"{name}: event markers", int(ds.get("eventMarkers", -1)), events)
        checks.equal(f"{name}: trade markers", int(ds.get("tradeMarkers", -1)), 2 * trades)
        checks.equal(f"{name}: markers grouped per candle", ds.get("grouped"),
                     "1" if grouped else "0")
        if grouped:
            shown = int(ds.get("markers", -1))
            checks.true(f"{name}: grouped markers on the chart", 0 < shown < events + 2 * trades,
                        f"{shown} markers for {events} events and {trades} trades")
        else:
            checks.equal(f"{name}: markers on the chart", int(ds.get("markers", -1)),
                         events + 2 * trades)
        checks.true(f"{name}: candles drawn", int(ds.get("barsDrawn", 0)) > 0)
        if data["equity"]:
            checks.true(f"{name}: equity drawn", int(ds.get("equityDrawn", 0)) > 0)
        ranges = sum(1 for r in data["ranges"] if r["symbol"] == s)
        checks.equal(f"{name}: ranges drawn", int(ds.get("rangesDrawn", 0)), ranges)


def check_zoom(page, data, checks):
    """Zoomed into 30 bars of the first symbol: every bar shown, the markers of that stretch."""
    rows = [b for b in data["bars"] if b[0] == 0]
    if len(rows) < 200:
        return
    middle = len(rows) // 2
    a, b = rows[middle][1], rows[middle + 30][1]
    page.evaluate("wyckoffReport.selectSymbol(0)")
    page.evaluate(f"wyckoffReport.show({a}, {b})")
    page.settle()
    ds = dataset(page)
    first, last = int(ds["first"]), int(ds["last"])
    checks.true("zoomed in: the stretch is loaded", first <= a and b <= last,
                f"loaded {first}..{last}, shown {a}..{b}")
    # Every row of the data there is a candle of its own: none merged.
    times = [r[1] for r in rows]
    checks.true("zoomed in: candles start at rows", first in times and last in times)
    shown = [t for t in times if first <= t <= last]
    checks.equal("zoomed in: candles", int(ds["barsDrawn"]), len(shown))
    after = next((t for t in times if t > last), float("inf"))  # the row after the stretch
    events = sum(1 for e in data["events"] if e[0] == 0 and first <= e[2] < after)
    checks.equal("zoomed in: event markers", int(ds["eventMarkers"]), events)


def check_pixels(browser, png, checks):
    import base64
    url = "data:image/png;base64," + base64.b64encode(png).decode()
    blank = browser.new_page(200, 200)
    stats = json.loads(blank.evaluate(PIXELS_JS % json.dumps(url), await_promise=True))
    area = stats["width"] * stats["height"]
    checks.true("screenshot: not blank", stats["ink"] > area * 0.05,
                f"{stats['ink']} of {area} pixels drawn")
    checks.true("screenshot: rising candles", stats["up"] >= 150, f"{stats['up']} pixels")
    checks.true("screenshot: falling candles", stats["down"] >= 150, f"{stats['down']} pixels")
    return stats


def check_page(case, path, work, checks):
    data = page_data(path)
    with Chromium() as browser:
        page = browser.new_page(1280, 900)
        started = time.monotonic()
        url = "file://" + os.path.abspath(path)
        page.open(url)
        page.wait_for("document.body.dataset.ready === '1'", timeout=30)
        page.settle()
        loaded = time.monotonic() - started
        png = page.screenshot()
        with open(os.path.join(work, case, "screenshot.png"), "wb") as f:
            f.write(png)
        check_markers(page, data, checks, case in GROUPED)
        check_zoom(page, data, checks)
        ds = dataset(page)
        if data["kind"] == "walk-forward":
            checks.equal("windows drawn", int(ds.get("windowsDrawn", -1)), len(data["windows"]))
            checks.true("walk-forward windows", len(data["windows"]) > 0)
        if data["kind"] == "optimize":
            names = data["search"]["parameters"][:2]
            cells = {tuple(r["parameters"][n] for n in names) for r in data["search"]["results"]}
            checks.equal("heat map cells", int(ds.get("heatmapCells", -1)), len(cells))
        # The table shows the first 5000 trades and, when there are more, a row that says so.
        rows = page.evaluate("document.querySelectorAll('#trades tbody tr').length")
        n = len(data["trades"])
        checks.equal("rows of the trades table", rows, n if n <= 5000 else 5001)
        browser.pump(0.2)
        checks.equal("script errors", page.errors, [])
        checks.equal("errors the page caught", ds.get("errors"), None)
        elsewhere = [r for r in page.requests if not r.startswith(("file://", "data:", "about:"))]
        checks.equal("requests beyond the file", elsewhere, [])
        stats = check_pixels(browser, png, checks)  # in a second page, after all the rest
    return {"loaded_seconds": round(loaded, 2), "pixels": stats, "bars": len(data["bars"]),
            "events": len(data["events"]), "trades": len(data["trades"]),
            "bytes": os.path.getsize(path)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", required=True, choices=sorted(CASES))
    parser.add_argument("--wyckoff", required=True, help="the wyckoff executable")
    parser.add_argument("--work", required=True, help="folder for the pages and screenshots")
    parser.add_argument("--page", help="check this page instead of making the case's")
    args = parser.parse_args()
    checks = Checks(args.case)
    if args.page:
        os.makedirs(os.path.join(args.work, args.case), exist_ok=True)
        path = args.page
    else:
        path = run_case(args.case, os.path.abspath(args.wyckoff), args.work)
    facts = check_page(args.case, path, args.work, checks)
    print(f"{args.case}: {json.dumps(facts)}")
    if checks.failures:
        for f in checks.failures:
            print(f"FAIL {args.case}: {f}")
        return 1
    print(f"PASS {args.case}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
