#!/usr/bin/env python3
"""Value checks of deploy/ecs (the shapes are checked by aws_schema.mjs): Fargate CPU/memory pairs,
awsvpc, container health check on the actuator port, awslogs, secrets only as SSM/Secrets Manager
ARNs (no password in "environment"), stopTimeout within Fargate's 120 s and long enough for
hep-ingest's flush, UDP and TCP 9060 + TCP 9061 on hep-ingest, services' load balancer ports
declared by their task, autoscaling files naming existing services.
Usage: check_ecs.py            prints "N passed, N failed"
"""
import glob
import json
import os
import re
import sys

ECS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "ecs")
ACTUATOR = {"hep-ingest": 9096, "homer-api": 8081, "homer-ui": 8080}
# Fargate task sizes (Linux): cpu units -> allowed memory MiB
FARGATE = {256: [512, 1024, 2048], 512: list(range(1024, 4097, 1024)), 1024: list(range(2048, 8193, 1024)),
           2048: list(range(4096, 16385, 1024)), 4096: list(range(8192, 30721, 1024))}
results = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    print(("PASS " if ok else "FAIL ") + name + (f" ({detail})" if detail and not ok else ""))


tasks = {}
for f in sorted(glob.glob(os.path.join(ECS, "*.task.json"))):
    t = json.load(open(f))
    m = os.path.basename(f)[: -len(".task.json")]
    tasks[m] = t
    c = t["containerDefinitions"][0]
    cpu, mem = int(t["cpu"]), int(t["memory"])
    check(f"{m}: Fargate, awsvpc", t["requiresCompatibilities"] == ["FARGATE"] and t["networkMode"] == "awsvpc")
    check(f"{m}: valid Fargate cpu/memory pair {cpu}/{mem}", mem in FARGATE.get(cpu, []))
    hc = c["healthCheck"]["command"]
    check(f"{m}: health check on actuator port {ACTUATOR[m]}",
          hc[0] == "CMD" and hc[2] == str(ACTUATOR[m]) and hc[3].startswith("/actuator/health")
          and any(p["containerPort"] == ACTUATOR[m] for p in c["portMappings"]))
    check(f"{m}: awslogs log driver", c["logConfiguration"]["logDriver"] == "awslogs"
          and {"awslogs-group", "awslogs-region", "awslogs-stream-prefix"} <= set(c["logConfiguration"]["options"]))
    check(f"{m}: stopTimeout within Fargate's 120 s", 0 < c.get("stopTimeout", 30) <= 120)
    check(f"{m}: LOG_FORMAT=json", {"name": "LOG_FORMAT", "value": "json"} in c["environment"])
    leaked = [e["name"] for e in c["environment"] if re.search(r"PASSWORD|SECRET|KEY|TOKEN", e["name"])]
    check(f"{m}: no password or secret in plain environment", not leaked, str(leaked))
    for s in c.get("secrets", []):
        check(f"{m}: secret {s['name']} from SSM or Secrets Manager ARN",
              re.match(r"^arn:aws:(ssm|secretsmanager):[A-Z_a-z0-9-]+:[A-Z_0-9]+:(parameter/|secret:)", s["valueFrom"]))
    for mp in c.get("mountPoints", []):
        check(f"{m}: mount {mp['containerPath']} has a volume", any(v["name"] == mp["sourceVolume"] for v in t["volumes"]))
    check(f"{m}: non-root user", c.get("user", "").split(":")[0] not in ("", "0", "root"))
    if m == "hep-ingest":
        ports = {(p["containerPort"], p["protocol"]) for p in c["portMappings"]}
        check("hep-ingest: UDP 9060, TCP 9060, TCP 9061", {(9060, "udp"), (9060, "tcp"), (9061, "tcp")} <= ports)
        env = {e["name"]: e["value"] for e in c["environment"]}
        flush = int(env.get("HOMER_INGEST_SHUTDOWN_TIMEOUT", "30s").rstrip("s"))
        check(f"hep-ingest: stopTimeout {c['stopTimeout']} s >= TCP drain 5 s + shutdown-timeout {flush} s + 10 s",
              c["stopTimeout"] >= 5 + flush + 10)

for f in sorted(glob.glob(os.path.join(ECS, "services", "*.service.json"))):
    s = json.load(open(f))
    t = tasks.get(s["serviceName"])
    check(f"service {s['serviceName']}: task definition family exists", t and t["family"] == s["taskDefinition"])
    if not t:
        continue
    ports = {p["containerPort"] for p in t["containerDefinitions"][0]["portMappings"]}
    for lb in s.get("loadBalancers", []):
        check(f"service {s['serviceName']}: target group {lb['targetGroupArn'].split('/')[1]} -> declared port {lb['containerPort']}",
              lb["containerName"] == t["containerDefinitions"][0]["name"] and lb["containerPort"] in ports)
    check(f"service {s['serviceName']}: rolling with minimumHealthyPercent 100",
          s["deploymentConfiguration"]["minimumHealthyPercent"] == 100)

services = {json.load(open(f))["serviceName"] for f in glob.glob(os.path.join(ECS, "services", "*.json"))}
for f in sorted(glob.glob(os.path.join(ECS, "autoscaling", "*.json"))):
    a = json.load(open(f))
    svc = a["ResourceId"].split("/")[-1]
    check(f"{os.path.basename(f)}: scales an existing service ({svc})", svc in services and a["ScalableDimension"] == "ecs:service:DesiredCount")

failed = results.count(False)
print(f"{len(results) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
