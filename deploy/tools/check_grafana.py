#!/usr/bin/env python3
"""Checks of deploy/grafana/hepstack-dashboard.json:

1. JSON syntax; unique panel ids; panels inside the 24-column grid; every panel and target uses the
   ${DS_PROMETHEUS} input; the $node template variable exists; required panels are present.
2. Every metric the queries use is documented in docs/ingest.md (the metrics table).
3. PromQL: every query, with the Grafana variables replaced ($node, $instance -> .*,
   $__rate_interval -> 1m, $kpi_window -> 5m, $__range -> 1h), is parsed by `promtool check rules`.
4. KPI arithmetic: `promtool test rules` evaluates the ASR, NER and ISA queries on synthetic
   counters for two nodes (one with challenges/redirects/failures, one with none) and compares them
   with values computed by hand from the RFC 6076 definitions in docs/ingest.md.

Usage: check_grafana.py [INGEST_DOC]     (default docs/ingest.md; promtool from Debian's
"prometheus" package; without it steps 3-4 are reported as failed)
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

DEPLOY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(DEPLOY)
results = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    print(("PASS " if ok else "FAIL ") + name + (f" ({detail})" if detail and not ok else ""))


def concrete(expr, kpi="5m"):
    return (expr.replace("$__rate_interval", "1m").replace("$kpi_window", kpi).replace("$__range", "1h")
            .replace('"$node"', '".*"').replace('"$instance"', '".*"'))


def main():
    doc_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "docs", "ingest.md")
    path = os.path.join(DEPLOY, "grafana", "hepstack-dashboard.json")
    try:
        d = json.load(open(path))
        check("dashboard JSON syntax", True)
    except ValueError as e:
        check("dashboard JSON syntax", False, str(e))
        return finish()
    panels = d["panels"]
    ids = [p["id"] for p in panels]
    check("unique panel ids", len(ids) == len(set(ids)))
    check("every panel inside the 24-column grid", all(p["gridPos"]["x"] + p["gridPos"]["w"] <= 24 for p in panels))
    check("datasource is the ${DS_PROMETHEUS} input",
          d["__inputs"][0]["name"] == "DS_PROMETHEUS" and all(
              p["datasource"]["uid"] == "${DS_PROMETHEUS}" and all(t["datasource"]["uid"] == "${DS_PROMETHEUS}" for t in p.get("targets", []))
              for p in panels if p["type"] != "row"))
    names = {v["name"]: v for v in d["templating"]["list"]}
    check("$node template variable from sip_messages_total", "node" in names and "sip_messages_total" in names["node"]["definition"])
    titles = " | ".join(p["title"] for p in panels)
    for want in ("Received by transport", "Rejected by reason", "Dropped by stage", "Batch store latency", "Queue depth",
                 "ASR by node", "NER by node", "ISA by node", "SRD", "RRD", "SD", "INVITE replies", "Security events"):
        check(f"panel present: {want}", want in titles)
    exprs = [(p["title"], t["expr"]) for p in panels for t in p.get("targets", [])]
    all_exprs = " ".join(e for _, e in exprs)
    check("batch latency p50 and p99", "histogram_quantile(0.5, sum by (le) (rate(hep_batch_seconds_bucket" in all_exprs
          and "histogram_quantile(0.99, sum by (le) (rate(hep_batch_seconds_bucket" in all_exprs)

    # metrics documented
    text = open(doc_path).read()
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", text, re.M))
    used = set()
    for _, e in exprs:
        for m in re.findall(r"\b((?:hep|sip)_[a-z_]+)", e):
            used.add(re.sub(r"_(bucket|sum|count)$", "", m))
    check(f"every metric used is documented in {os.path.relpath(doc_path, REPO)}", used <= documented,
          f"undocumented: {sorted(used - documented)}")
    check("labels used exist: transport, version, reason, stage, kind, method, status, node",
          all(f"by ({l}" in all_exprs or f"{l})" in all_exprs or f", {l}" in all_exprs for l in ("transport", "version", "reason", "stage", "kind", "method", "status", "node")))

    promtool = shutil.which("promtool")
    if not promtool:
        check("promtool available (apt-get install prometheus)", False)
        return finish()
    work = tempfile.mkdtemp(prefix="hepstack-grafana-")
    try:
        rules = {"groups": [{"name": "dashboard", "rules": [
            {"record": f"dashboard:q{i}", "expr": concrete(e)} for i, (_, e) in enumerate(exprs)]}]}
        rf = os.path.join(work, "dashboard.rules.yml")
        yaml.safe_dump(rules, open(rf, "w"), sort_keys=False, width=10000)
        r = subprocess.run([promtool, "check", "rules", rf], capture_output=True, text=True)
        check(f"promtool check rules: all {len(exprs)} queries parse", r.returncode == 0, (r.stdout + r.stderr)[-800:])

        kpi = {t: e for t, e in exprs if t in ("ASR by node", "NER by node", "ISA by node")}
        # counters per minute; node "a": 30 INVITEs, 5×401, 2×407, 3×302 -> 20 attempts;
        # 10×200 (ASR 50 %), 3×486 1×487 2×603 (NER 80 %), 3×503 (ISA 3/30 = 10 %).
        # node "b": 10 INVITEs, 4×200, nothing else (ASR 40 %, NER 40 %, ISA 0 %).
        per_min = {("a", "request"): 30, ("a", "401"): 5, ("a", "407"): 2, ("a", "302"): 3, ("a", "200"): 10,
                   ("a", "486"): 3, ("a", "487"): 1, ("a", "603"): 2, ("a", "503"): 3,
                   ("b", "request"): 10, ("b", "200"): 4}
        series = [{"series": f'sip_messages_total{{method="INVITE",status="{s}",node="{n}"}}', "values": f"0+{v}x15"}
                  for (n, s), v in per_min.items()]
        series.append({"series": 'sip_messages_total{method="BYE",status="request",node="b"}', "values": "0+7x15"})
        expected = {"ASR by node": {"a": 50, "b": 40}, "NER by node": {"a": 80, "b": 40}, "ISA by node": {"a": 10, "b": 0}}
        tests = {"rule_files": [], "evaluation_interval": "1m", "tests": [{"interval": "1m", "input_series": series,
                 "promql_expr_test": [{"expr": concrete(kpi[t]), "eval_time": "10m",
                                       "exp_samples": [{"labels": f'{{node="{n}"}}', "value": v} for n, v in expected[t].items()]}
                                      for t in expected]}]}
        tf = os.path.join(work, "kpi.test.yml")
        yaml.safe_dump(tests, open(tf, "w"), sort_keys=False, width=10000)
        r = subprocess.run([promtool, "test", "rules", tf], capture_output=True, text=True, cwd=work)
        check("promtool test rules: ASR/NER/ISA per node equal the hand-computed values (incl. a node with no 4xx/3xx/5xx)",
              r.returncode == 0, (r.stdout + r.stderr)[-1500:])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return finish()


def finish():
    failed = results.count(False)
    print(f"{len(results) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
