#!/usr/bin/env python3
"""Why detector events do not become trades: the gates each SPRING, SOS and LPS fails.

  scripts/calibration-gates.py DIR/events.csv [--phase-b-min-bars 10] [--volume-max 0.7]
      [--min-confidence 70] [--min-reward-risk 2.0] [--needs-test]

Reads `wyckoff detect --out DIR`'s events.csv and prints, per event type, how many events fail
each gate of the default rules (counted independently: an event can fail several), how many
fail it as the first gate in the detectors' order, and how many fail only it. Run `detect` with
`spring_volume_mode=scored` to see the springs the volume gate would refuse (gate `volume`).

Spring gates, in the detectors' order: volume (volume_ratio >= --volume-max), kind (the range
is a distribution), phase (phase A or NONE, or phase B younger than its minimum: the event
says `phase` in an accumulation range), test (no SPRING_TEST followed), confidence (the
tested confidence, or the untested one, below --min-confidence), reward/risk (below
--min-reward-risk). SOS: disabled (trade_sos off), kind, reward/risk. LPS: kind, reward/risk.
"""
import csv
import sys
from collections import Counter, OrderedDict


def main():
    args = sys.argv[1:]
    path = args[0]
    opts = {"--volume-max": 0.7, "--min-confidence": 70.0, "--min-reward-risk": 2.0}
    needs_test = "--no-test" not in args
    for k in list(opts):
        if k in args:
            opts[k] = float(args[args.index(k) + 1])
    rows = list(csv.DictReader(open(path)))
    tests = {}
    for r in rows:
        if r["type"] == "SPRING_TEST":
            tests[(r["symbol"], r["range_id"], r["pattern_time"])] = r
    gates = OrderedDict()

    def fnum(x):
        return float(x) if x not in ("", "nan") else float("nan")

    for r in rows:
        t = r["type"]
        if t not in ("SPRING", "SOS", "LPS"):
            continue
        failed = []
        if t == "SPRING":
            test = tests.get((r["symbol"], r["range_id"], r["pattern_time"]))
            if not fnum(r["volume_ratio"]) < opts["--volume-max"]:
                failed.append("volume")
            if r["range_kind"] == "DISTRIBUTION":
                failed.append("kind")
            elif r["not_tradeable"] == "phase" or (test and test["not_tradeable"] == "phase"):
                failed.append("phase " + ("A/none" if r["phase_before"] in ("A", "NONE") else "B young"))
            if test is None and needs_test:
                failed.append("test")
            conf = fnum(test["confidence"]) if test else fnum(r["confidence"])
            if not conf >= opts["--min-confidence"]:
                failed.append("confidence")
            if not fnum(r["reward_risk"]) >= opts["--min-reward-risk"]:
                failed.append("reward/risk")
        else:
            if t == "SOS" and r["not_tradeable"] == "disabled":
                failed.append("disabled")
            if r["range_kind"] == "DISTRIBUTION":
                failed.append("kind")
            if not fnum(r["reward_risk"]) >= opts["--min-reward-risk"]:
                failed.append("reward/risk")
        g = gates.setdefault(t, {"n": 0, "any": Counter(), "first": Counter(), "only": Counter(),
                                 "pass": 0})
        g["n"] += 1
        if not failed:
            g["pass"] += 1
        for f in failed:
            g["any"][f] += 1
        if failed:
            g["first"][failed[0]] += 1
        if len(failed) == 1:
            g["only"][failed[0]] += 1
    print("| event | n | gate | fails it | first gate failed | only gate failed |")
    print("| --- | ---: | --- | ---: | ---: | ---: |")
    for t, g in gates.items():
        for f, c in g["any"].items():
            print(f"| {t} | {g['n']} | {f} | {c} | {g['first'][f]} | {g['only'][f]} |")
        print(f"| {t} | {g['n']} | passes every gate | {g['pass']} | | |")


if __name__ == "__main__":
    main()
