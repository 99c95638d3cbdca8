#!/usr/bin/env python3
"""Generates hepstack-dashboard.json (run after editing; the JSON is what Grafana imports).
Metric names and KPI definitions: docs/ingest.md. python3 deploy/grafana/generate.py"""
import json
import os

DS = {"type": "prometheus", "uid": "${DS_PROMETHEUS}"}
INST = 'instance=~"$instance"'
NODE = 'node=~"$node"'
W = "[$__rate_interval]"
K = "[$kpi_window]"


def inv(status, extra=""):
    """increase of INVITE messages with the given status matcher, per node."""
    return f'sum by (node) (increase(sip_messages_total{{method="INVITE",status{status},{NODE}{extra}}}{K}))'


INVITES = inv('="request"')
# Attempts (RFC 6076) = INVITEs - 401/407 challenges - 3xx redirects. "or on (node) 0 * INVITES"
# keeps a node that had no challenge or redirect at all (otherwise the subtraction has no
# right-hand series for it and the node vanishes from the result).
_CHALLENGES = inv('=~"401|407|3.."')
ATTEMPTS = f'({INVITES} - ({_CHALLENGES} or on (node) 0 * {INVITES}))'


def ratio(num_status, denom):
    num = inv(num_status)
    return f'100 * ({num} or on (node) 0 * {INVITES}) / {denom}'


KPI = {
    "ASR": ratio('="200"', ATTEMPTS),
    "NER": ratio('=~"200|486|487|603"', ATTEMPTS),
    "ISA": ratio('=~"408|500|503"', INVITES),
}

_id = [0]


def pid():
    _id[0] += 1
    return _id[0]


def target(expr, legend, ref="A", instant=False):
    t = {"datasource": DS, "expr": expr, "legendFormat": legend, "refId": ref, "range": not instant}
    if instant:
        t["instant"] = True
    return t


def ts(title, targets, x, y, w=8, h=8, unit="short", desc="", stack=False, minv=None, maxv=None, legend_calcs=("mean", "max")):
    defaults = {"unit": unit, "custom": {"drawStyle": "line", "lineWidth": 1, "fillOpacity": 20 if stack else 10,
                                          "showPoints": "never", "stacking": {"mode": "normal" if stack else "none", "group": "A"}}}
    if minv is not None:
        defaults["min"] = minv
    if maxv is not None:
        defaults["max"] = maxv
    return {"id": pid(), "type": "timeseries", "title": title, "description": desc, "datasource": DS,
            "gridPos": {"x": x, "y": y, "w": w, "h": h},
            "fieldConfig": {"defaults": defaults, "overrides": []},
            "options": {"legend": {"displayMode": "table", "placement": "bottom", "calcs": list(legend_calcs)},
                        "tooltip": {"mode": "multi", "sort": "desc"}},
            "targets": [dict(t, refId=chr(65 + i)) for i, t in enumerate(targets)]}


def stat(title, expr, x, y, unit="short", desc="", w=4, h=4, thresholds=None):
    steps = thresholds or [{"color": "green", "value": None}]
    return {"id": pid(), "type": "stat", "title": title, "description": desc, "datasource": DS,
            "gridPos": {"x": x, "y": y, "w": w, "h": h},
            "fieldConfig": {"defaults": {"unit": unit, "thresholds": {"mode": "absolute", "steps": steps}}, "overrides": []},
            "options": {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                        "colorMode": "value", "graphMode": "area", "textMode": "auto"},
            "targets": [target(expr, "", "A")]}


def row(title, y):
    return {"id": pid(), "type": "row", "title": title, "collapsed": False, "gridPos": {"x": 0, "y": y, "w": 24, "h": 1}, "panels": []}


P = []
y = 0
P.append(row("Collector overview", y)); y += 1
P.append(stat("Received", f"sum(rate(hep_packets_received_total{{{INST}}}{W}))", 0, y, "pps", "HEP packets read by every collector, before decoding"))
P.append(stat("Stored", f"sum(rate(hep_messages_stored_total{{{INST}}}{W}))", 4, y, "pps", "Messages stored in PostgreSQL"))
P.append(stat("Rejected", f"sum(rate(hep_packets_rejected_total{{{INST}}}{W})) or vector(0)", 8, y, "pps",
              "Not accepted (decode errors, auth). By reason below.",
              thresholds=[{"color": "green", "value": None}, {"color": "orange", "value": 0.1}]))
P.append(stat("Dropped", f"sum(rate(hep_packets_dropped_total{{{INST}}}{W})) or vector(0)", 12, y, "pps",
              "Accepted, then lost: queue full (UDP overload or database outage), refused rows, shutdown timeout. Should be 0.",
              thresholds=[{"color": "green", "value": None}, {"color": "red", "value": 0.001}]))
P.append(stat("Queue depth (max replica)", f'max(hep_queue_depth{{stage="queue",{INST}}})', 16, y, "short",
              "Messages waiting in the busiest collector's queue (capacity 65536 by default; TCP pauses above 49152)",
              thresholds=[{"color": "green", "value": None}, {"color": "orange", "value": 16384}, {"color": "red", "value": 49152}]))
P.append(stat("Batch p99", f"histogram_quantile(0.99, sum by (le) (rate(hep_batch_seconds_bucket{{{INST}}}{W})))", 20, y, "s",
              "Time to store one batch (successful attempts), 99th percentile",
              thresholds=[{"color": "green", "value": None}, {"color": "orange", "value": 0.5}, {"color": "red", "value": 2}]))
y += 4
P.append(row("Packets", y)); y += 1
P.append(ts("Received by transport", [target(f"sum by (transport) (rate(hep_packets_received_total{{{INST}}}{W}))", "{{transport}}")], 0, y, unit="pps", stack=True))
P.append(ts("Received by HEP version", [target(f"sum by (version) (rate(hep_packets_received_total{{{INST}}}{W}))", "HEPv{{version}}")], 8, y, unit="pps", stack=True))
P.append(ts("Stored by kind", [target(f"sum by (kind) (rate(hep_messages_stored_total{{{INST}}}{W}))", "{{kind}}")], 16, y, unit="pps", stack=True))
y += 8
P.append(ts("Rejected by reason", [target(f"sum by (reason) (rate(hep_packets_rejected_total{{{INST}}}{W}))", "{{reason}}")], 0, y, unit="pps",
            desc="Decoder reasons (truncated_header, length_mismatch, ...), auth_missing / auth_wrong (HEP auth keys), stream_truncated. docs/hep-codec.md"))
P.append(ts("Dropped by stage / reason", [target(f"sum by (stage, reason) (rate(hep_packets_dropped_total{{{INST}}}{W}))", "{{stage}}/{{reason}}")], 8, y, unit="pps",
            desc="queue/full: UDP overload or database outage; store/refused: rows the database refused; shutdown/timeout: left at exit"))
P.append(ts("Discarded by method (filter)", [target(f"sum by (method) (rate(hep_messages_discarded_total{{{INST}}}{W}))", "{{method}}")], 16, y, unit="pps",
            desc="homer.ingest.filter.discard-methods"))
y += 8
P.append(row("Pipeline and storage", y)); y += 1
P.append(ts("Batch store latency", [
    target(f"histogram_quantile(0.5, sum by (le) (rate(hep_batch_seconds_bucket{{{INST}}}{W})))", "p50"),
    target(f"histogram_quantile(0.99, sum by (le) (rate(hep_batch_seconds_bucket{{{INST}}}{W})))", "p99"),
], 0, y, unit="s"))
P.append(ts("Queue depth per replica", [target(f"max by (instance, stage) (hep_queue_depth{{{INST}}})", "{{instance}} {{stage}}")], 8, y,
            desc="stage=queue: messages waiting for a batch; stage=writer: messages in batches being written or retried"))
P.append(ts("Batch failures (retried) and TCP pauses", [
    target(f"sum(rate(hep_batch_failures_total{{{INST}}}{W}))", "batch failures/s"),
    target(f"sum(rate(hep_tcp_pauses_total{{{INST}}}{W}))", "TCP pauses/s"),
], 16, y, unit="ops"))
y += 8
P.append(ts("Open connections", [target(f"sum by (transport) (hep_connections{{{INST}}})", "{{transport}}")], 0, y))
P.append(ts("Connections closed by the collector", [target(f"sum by (reason) (rate(hep_connections_closed_total{{{INST}}}{W}))", "{{reason}}")], 8, y, unit="ops"))
P.append(ts("KPI tracking", [
    target(f"sum by (what) (sip_kpi_tracked{{{INST}}})", "tracked {{what}}"),
    target(f"sum by (reason) (rate(sip_kpi_untracked_total{{{INST}}}{W}))", "untracked/s {{reason}}"),
], 16, y, desc="Open transactions/sessions followed for SRD/RRD/SD; untracked ones are left out of the histograms"))
y += 8
P.append(row("SIP KPIs (RFC 6076) per node", y)); y += 1
kdesc = {"ASR": "Answer-seizure ratio: 200 / attempts (INVITEs − 401/407 − 3xx), over $kpi_window",
         "NER": "Network effectiveness ratio: (200+486+487+603) / attempts, over $kpi_window",
         "ISA": "Ineffective session attempts: (408+500+503+504) / INVITEs, over $kpi_window"}
for i, k in enumerate(("ASR", "NER", "ISA")):
    P.append(ts(f"{k} by node", [target(KPI[k], "{{node}}")], 8 * i, y, unit="percent", desc=kdesc[k], minv=0, maxv=100,
                legend_calcs=("mean", "min", "lastNotNull")))
y += 8
P.append(ts("SRD: INVITE to first final reply (all nodes)", [
    target(f"histogram_quantile(0.5, sum by (le) (rate(sip_srd_seconds_bucket{{{INST}}}{K})))", "p50"),
    target(f"histogram_quantile(0.95, sum by (le) (rate(sip_srd_seconds_bucket{{{INST}}}{K})))", "p95"),
], 0, y, unit="s", desc="Session request delay (capture time). The histogram has no node label."))
P.append(ts("RRD: REGISTER to first final reply (all nodes)", [
    target(f"histogram_quantile(0.5, sum by (le) (rate(sip_rrd_seconds_bucket{{{INST}}}{K})))", "p50"),
    target(f"histogram_quantile(0.95, sum by (le) (rate(sip_rrd_seconds_bucket{{{INST}}}{K})))", "p95"),
], 8, y, unit="s"))
P.append(ts("Session duration (all nodes)", [
    target(f"histogram_quantile(0.5, sum by (le) (rate(sip_session_duration_seconds_bucket{{{INST}}}{K})))", "p50"),
    target(f"histogram_quantile(0.95, sum by (le) (rate(sip_session_duration_seconds_bucket{{{INST}}}{K})))", "p95"),
], 16, y, unit="s", desc="200 to INVITE until the first BYE"))
y += 8
P.append(ts("SD: session defects (500/503/504 to INVITE) by node", [
    target(f'sum by (node) (increase(sip_messages_total{{method="INVITE",status=~"500|503|504",{NODE}}}[$kpi_window]))', "{{node}}")
], 0, y, unit="short", desc="Session defects as the KPI definition counts them: INVITE replies 500, 503, 504"))
y += 8
P.append(ts("Requests by method", [target(f'sum by (method) (rate(sip_messages_total{{status="request",{NODE}}}{W}))', "{{method}}")], 0, y, unit="reqps", stack=True,
            desc="Agents that mirror each message twice (Kamailio siptrace received+sent) double absolute counts; ratios are unaffected"))
P.append(ts("INVITE replies by status", [target(f'sum by (status) (rate(sip_messages_total{{method="INVITE",status!="request",{NODE}}}{W}))', "{{status}}")], 8, y, unit="reqps", stack=True))
P.append({"id": pid(), "type": "piechart", "title": "INVITE final replies (time range)", "datasource": DS,
          "description": "Response mix over the dashboard's time range",
          "gridPos": {"x": 16, "y": y, "w": 8, "h": 8},
          "fieldConfig": {"defaults": {"unit": "short"}, "overrides": []},
          "options": {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                      "pieType": "donut", "legend": {"displayMode": "table", "placement": "right", "values": ["value", "percent"]}},
          "targets": [target(f'sum by (status) (increase(sip_messages_total{{method="INVITE",status=~"[2-6]..",{NODE}}}[$__range]))', "{{status}}", instant=True)]})
y += 8
P.append(ts("Replies by class and node", [target(
    f'sum by (node, class) (label_replace(rate(sip_messages_total{{status=~"[1-6]..",{NODE}}}{W}), "class", "${{1}}xx", "status", "([1-6]).."))',
    "{{node}} {{class}}")], 0, y, w=24, unit="reqps"))
y += 8
P.append(row("Security", y)); y += 1
P.append(ts("Security events by node and kind", [target(f'sum by (node, kind) (increase(sip_security_events_total{{{NODE}}}[5m]))', "{{node}} {{kind}}")], 0, y, w=16,
            desc="scanner_user_agent (friendly-scanner, sipvicious...), register_brute_force (401/403 bursts towards one address), malformed_sip. Alert: any > 0",
            legend_calcs=("sum", "max")))
P.append(stat("Security events (time range)", f'sum(increase(sip_security_events_total{{{NODE}}}[$__range])) or vector(0)', 16, y, w=8, h=8,
              thresholds=[{"color": "green", "value": None}, {"color": "red", "value": 1}]))

dash = {
    "__inputs": [{"name": "DS_PROMETHEUS", "label": "Prometheus", "description": "Prometheus scraping hep-ingest /actuator/prometheus",
                  "type": "datasource", "pluginId": "prometheus", "pluginName": "Prometheus"}],
    "__requires": [{"type": "grafana", "id": "grafana", "name": "Grafana", "version": "10.0.0"},
                   {"type": "datasource", "id": "prometheus", "name": "Prometheus", "version": "1.0.0"},
                   {"type": "panel", "id": "timeseries", "name": "Time series", "version": ""},
                   {"type": "panel", "id": "stat", "name": "Stat", "version": ""},
                   {"type": "panel", "id": "piechart", "name": "Pie chart", "version": ""}],
    "annotations": {"list": []},
    "description": "hepstack collector (hep-ingest): packets, rejects and drops, storage latency, queues, SIP KPIs per node, security events. Metrics: docs/ingest.md",
    "editable": True,
    "graphTooltip": 1,
    "id": None,
    "uid": "hepstack-ingest",
    "title": "hepstack — collector and SIP KPIs",
    "tags": ["hepstack", "voip", "sip"],
    "timezone": "utc",
    "refresh": "30s",
    "schemaVersion": 39,
    "version": 1,
    "time": {"from": "now-6h", "to": "now"},
    "timepicker": {},
    "links": [],
    "templating": {"list": [
        {"name": "instance", "label": "Collector", "type": "query", "datasource": DS,
         "query": {"query": "label_values(hep_packets_received_total, instance)", "refId": "instance"},
         "definition": "label_values(hep_packets_received_total, instance)",
         "refresh": 2, "multi": True, "includeAll": True, "allValue": ".*", "sort": 1,
         "current": {"selected": True, "text": ["All"], "value": ["$__all"]}},
        {"name": "node", "label": "Node", "type": "query", "datasource": DS,
         "query": {"query": "label_values(sip_messages_total, node)", "refId": "node"},
         "definition": "label_values(sip_messages_total, node)",
         "refresh": 2, "multi": True, "includeAll": True, "allValue": ".*", "sort": 1,
         "current": {"selected": True, "text": ["All"], "value": ["$__all"]}},
        {"name": "kpi_window", "label": "KPI window", "type": "custom", "query": "5m,15m,1h",
         "options": [{"text": v, "value": v, "selected": v == "5m"} for v in ("5m", "15m", "1h")],
         "current": {"text": "5m", "value": "5m", "selected": True}, "multi": False, "includeAll": False},
    ]},
    "panels": P,
}
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hepstack-dashboard.json")
with open(out, "w") as f:
    json.dump(dash, f, indent=2, ensure_ascii=False)
    f.write("\n")
print(out)
