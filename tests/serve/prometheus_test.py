#!/usr/bin/env python3
"""A real Prometheus (Debian's `prometheus`) on loopback scrapes a real `wyckoff serve`; every
query of the Grafana dashboard and every alert rule then evaluates without error through
Prometheus' HTTP API, the key series hold what was posted, and the error-rate alert goes
pending on the bad posts while the others stay quiet.
Usage: prometheus_test.py WYCKOFF_BIN SOURCE_DIR"""
import json
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

wyckoff, root = sys.argv[1], pathlib.Path(sys.argv[2])
failures = []


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None):
    request = urllib.request.Request(url, data=body, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except OSError:  # not listening yet
        return 0, ""


def query(prom, expr):
    status, body = http("GET", f"{prom}/api/v1/query?" + urllib.parse.urlencode({"query": expr}))
    return status, json.loads(body)


def wait_for(what, check, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if check():
            return
        time.sleep(0.5)
    raise SystemExit(f"timed out waiting for {what}")


tmp = pathlib.Path(tempfile.mkdtemp(prefix="wyckoff-prometheus-"))
serve = subprocess.Popen([wyckoff, "serve", "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE,
                         text=True)
prometheus = None
try:
    ready = serve.stdout.readline()
    service = "http://" + ready.strip().rsplit("http://", 1)[1]
    port = int(service.rsplit(":", 1)[1])

    shutil.copy(root / "monitoring/alerts.yml", tmp / "alerts.yml")
    config = (root / "monitoring/prometheus.yml").read_text()
    config = config.replace("scrape_interval: 15s", "scrape_interval: 1s")
    config = config.replace("evaluation_interval: 15s", "evaluation_interval: 1s")
    config = config.replace('"127.0.0.1:8080"', f'"127.0.0.1:{port}"')
    (tmp / "prometheus.yml").write_text(config)
    prom_port = free_port()
    prom = f"http://127.0.0.1:{prom_port}"
    prometheus = subprocess.Popen(
        ["prometheus", f"--config.file={tmp / 'prometheus.yml'}",
         f"--storage.tsdb.path={tmp / 'data'}", f"--web.listen-address=127.0.0.1:{prom_port}",
         "--log.level=warn"], stdout=subprocess.DEVNULL, stderr=open(tmp / "prometheus.log", "w"))

    wait_for("Prometheus to scrape the service",
             lambda: http("GET", f"{prom}/-/ready")[0] == 200 and
             query(prom, 'up{job="wyckoff"}')[1]["data"]["result"][:1] and
             query(prom, 'up{job="wyckoff"}')[1]["data"]["result"][0]["value"][1] == "1")
    # Bars arrive in chunks, one per scrape or so, once Prometheus scrapes: rates then have
    # several samples.
    lines = (root / "data/daily/orcl-1995-2014.csv").read_text().splitlines()
    header, rows = lines[0], lines[1:]
    chunks = [rows[i:i + 500] for i in range(0, len(rows), 500)]
    for i, chunk in enumerate(chunks):
        status, body = http("POST", f"{service}/v1/bars/ORCL",
                            ("\n".join([header] + chunk) + "\n").encode())
        if status != 200:
            failures.append(f"POST chunk {i}: {status} {body}")
        http("POST", f"{service}/v1/bars/BAD", b"Date,Open,High,Low,Close,Volume\nx\n")
        time.sleep(1.2)

    wait_for("the last bars to be scraped",
             lambda: (r := query(prom, "wyckoff_bars_processed_total")[1]["data"]["result"]) and
             r[0]["value"][1] == str(len(rows)))
    time.sleep(2)

    dashboard = json.loads((root / "monitoring/grafana/dashboards/wyckoff.json").read_text())
    evaluated = 0
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            expr = target["expr"].replace("$__rate_interval", "1m")
            status, answer = query(prom, expr)
            evaluated += 1
            if status != 200 or answer.get("status") != "success":
                failures.append(f"{panel['title']}: {expr}: {status} {answer}")
    # What was posted is there.
    expect_nonempty = [
        "sum(rate(wyckoff_bars_processed_total[1m])) > 0",
        "histogram_quantile(0.95, sum by (le) (rate(wyckoff_signal_generation_duration_seconds_bucket[1m]))) < 1",
        'wyckoff_pattern_detections_total{type="SC"} > 0',
        'wyckoff_errors_total{kind="bad_request"} > 0',
        'wyckoff_http_requests_total{route="/v1/bars/{symbol}",status="200"} > 0',
        "process_resident_memory_bytes > 0",
    ]
    for expr in expect_nonempty:
        status, answer = query(prom, expr)
        if status != 200 or not answer["data"]["result"]:
            failures.append(f"no result for {expr}: {answer}")

    # The alert rules loaded and evaluate: half the posts were bad, so the error-rate alert is
    # pending (it fires after 5 minutes); the others stay quiet.
    def rules_evaluated():
        groups = json.loads(http("GET", f"{prom}/api/v1/rules")[1])["data"]["groups"]
        rules = [r for g in groups for r in g["rules"]]
        return len(rules) == 5 and all(r.get("health") == "ok" for r in rules)
    wait_for("the alert rules to evaluate", rules_evaluated, 30)
    groups = json.loads(http("GET", f"{prom}/api/v1/rules")[1])["data"]["groups"]
    def error_rate_pending():
        groups = json.loads(http("GET", f"{prom}/api/v1/rules")[1])["data"]["groups"]
        return any(r["name"] == "WyckoffErrorRateHigh" and r["state"] == "pending"
                   for g in groups for r in g["rules"])
    wait_for("the error-rate alert to be pending", error_rate_pending, 30)
    groups = json.loads(http("GET", f"{prom}/api/v1/rules")[1])["data"]["groups"]
    for rule in (r for g in groups for r in g["rules"]):
        expected = "pending" if rule["name"] == "WyckoffErrorRateHigh" else "inactive"
        if rule["state"] != expected:
            failures.append(f"alert {rule['name']} is {rule['state']}, not {expected}")
    print(f"{evaluated} dashboard queries and 5 alert rules evaluated by "
          f"{subprocess.run(['prometheus', '--version'], capture_output=True, text=True).stdout.splitlines()[0]}")
finally:
    if prometheus:
        prometheus.terminate()
        prometheus.wait(10)
    serve.send_signal(signal.SIGTERM)
    code = serve.wait(10)
    if code != 0:
        failures.append(f"wyckoff serve exited {code} on SIGTERM")
    shutil.rmtree(tmp, ignore_errors=True)

if failures:
    print("\n".join(failures))
    sys.exit(1)
