#!/usr/bin/env python3
"""Checks monitoring/grafana/dashboards/wyckoff.json: valid JSON, at least 6 panels with unique
ids that do not overlap, every query on the provisioned data source, and a panel for each of
signal latency percentiles, bars/s, detections by type, active signals, database latency and
errors. Usage: check_dashboard.py SOURCE_DIR"""
import json
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
dashboard = json.loads((root / "monitoring/grafana/dashboards/wyckoff.json").read_text())
provisioning = (root / "monitoring/grafana/provisioning/datasources/prometheus.yml").read_text()
uid = re.search(r"^\s+uid: (\S+)$", provisioning, re.M).group(1)
errors = []

panels = dashboard["panels"]
if len(panels) < 6:
    errors.append(f"{len(panels)} panels, fewer than 6")
ids = [p["id"] for p in panels]
if len(set(ids)) != len(ids):
    errors.append(f"panel ids repeat: {ids}")
cells = {}
for p in panels:
    g = p["gridPos"]
    if g["x"] + g["w"] > 24:
        errors.append(f"panel {p['title']!r} is wider than the grid")
    for x in range(g["x"], g["x"] + g["w"]):
        for y in range(g["y"], g["y"] + g["h"]):
            if (x, y) in cells:
                errors.append(f"panels {cells[(x, y)]!r} and {p['title']!r} overlap")
            cells[(x, y)] = p["title"]
    if p["datasource"]["uid"] != uid:
        errors.append(f"panel {p['title']!r} is not on data source {uid}")
    if not p.get("targets"):
        errors.append(f"panel {p['title']!r} has no query")
    for t in p.get("targets", []):
        if not t.get("expr") or t["datasource"]["uid"] != uid:
            errors.append(f"panel {p['title']!r}: query {t.get('refId')} is empty or elsewhere")

exprs = [t["expr"] for p in panels for t in p["targets"]]
required = {
    "signal latency percentiles": ["histogram_quantile(0.5, sum by (le) (rate(wyckoff_signal_generation_duration_seconds_bucket",
                                   "histogram_quantile(0.95, sum by (le) (rate(wyckoff_signal_generation_duration_seconds_bucket",
                                   "histogram_quantile(0.99, sum by (le) (rate(wyckoff_signal_generation_duration_seconds_bucket"],
    "bars/s": ["rate(wyckoff_bars_processed_total"],
    "detections by type": ["sum by (type) (increase(wyckoff_pattern_detections_total"],
    "active signals": ["wyckoff_active_signals"],
    "database latency": ["wyckoff_database_query_duration_seconds_bucket"],
    "errors": ["rate(wyckoff_errors_total"],
}
for topic, needles in required.items():
    for needle in needles:
        if not any(needle in e for e in exprs):
            errors.append(f"no query for {topic} ({needle})")

if errors:
    print("\n".join(errors))
    sys.exit(1)
print(f"dashboard: {len(panels)} panels, {len(exprs)} queries")
