#!/usr/bin/env python3
"""Regenerates docs/images/orcl-2007-report.png, the README's picture of the HTML report.

    scripts/report-screenshot.py [--wyckoff build/release/cli/wyckoff] [--out PNG]

Runs the README's ORCL example (wyckoff strategy, --risk 0.01) with --report, opens the page in
headless Chromium (scripts/headless_chromium.py) zoomed to December 2006 - October 2007,
points at the LPS of 2007-03-22 so that its tooltip shows, and saves the chart as a PNG.
Needs the built wyckoff (scripts/build.sh) and Debian's chromium (scripts/install-deps.sh).
"""

import argparse
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from headless_chromium import Chromium  # noqa: E402

LPS = 1174521600  # 2007-03-22, the bar of the traded LPS


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wyckoff", default=os.path.join(ROOT, "build/release/cli/wyckoff"))
    parser.add_argument("--out", default=os.path.join(ROOT, "docs/images/orcl-2007-report.png"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        page = os.path.join(work, "orcl.html")
        subprocess.run([args.wyckoff, "backtest", "--data", "data/daily/orcl-1995-2014.csv",
                        "--symbol", "ORCL", "--strategy", "wyckoff", "--risk", "0.01",
                        "--report", page], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        with Chromium() as browser:
            tab = browser.new_page(1200, 760)
            tab.open("file://" + page + "#symbol=ORCL&from=2006-12-01&to=2007-10-15")
            tab.wait_for("document.body.dataset.ready === '1'")
            tab.settle()
            box = tab.evaluate("(() => { const r = document.getElementById('chart')"
                               ".getBoundingClientRect(); return [r.left, r.top, r.width]; })()")
            x = tab.evaluate(f"wyckoffReport.xAt({LPS})")
            tab.send("Input.dispatchMouseEvent",
                     {"type": "mouseMoved", "x": box[0] + x + 2, "y": box[1] + 300})
            tab.settle()
            if tab.errors:
                raise SystemExit(f"the page reported errors: {tab.errors}")
            png = tab.screenshot()
    with open(args.out, "wb") as f:
        f.write(png)
    print(f"wrote {os.path.relpath(args.out, ROOT)} ({len(png)} bytes)")


if __name__ == "__main__":
    main()
