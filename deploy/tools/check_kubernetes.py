#!/usr/bin/env python3
"""Consistency checks of the rendered Kubernetes manifests (kubectl kustomize deploy/kubernetes/base),
complementing the schema check (k8s_schema.mjs): what a schema cannot see.

* every object has apiVersion, kind, metadata.name and no namespace (namespace-agnostic base);
* Deployments: resource requests and limits, liveness + readiness probes on the service's
  actuator port (hep-ingest 9096, homer-api 8081, homer-ui 8080) through a named container port,
  terminationGracePeriodSeconds and a preStop sleep; hep-ingest's grace period covers preStop +
  the TCP drain (5 s) + homer.ingest.shutdown-timeout from the ConfigMap; non-root;
* hep-ingest container ports: UDP 9060, TCP 9060, TCP 9061;
* Services select a Deployment's pods and target container ports that exist with the same
  protocol; hep-ingest's public Service carries UDP and TCP 9060 and TLS 9061 with
  externalTrafficPolicy Local; homer-api/homer-ui are ClusterIP;
* Ingress backends name existing Services and ports; SSE path has proxy-buffering off; the pcap
  import path a large body size;
* HPAs and PDBs target existing Deployments / select their pods;
* every secretKeyRef/configMapRef/configMap volume names an object and key that exist.

Usage: check_kubernetes.py RENDERED.yaml [MORE.yaml...]     prints "N passed, N failed"
"""
import re
import sys

import yaml

results = []
ACTUATOR = {"hep-ingest": 9096, "homer-api": 8081, "homer-ui": 8080}


def check(name, ok, detail=""):
    results.append(bool(ok))
    print(("PASS " if ok else "FAIL ") + name + (f" ({detail})" if detail and not ok else ""))


def seconds(text):
    m = re.fullmatch(r"(\d+)(ms|s|m|h)", text.strip())
    n, unit = int(m.group(1)), m.group(2)
    return {"ms": n / 1000, "s": n, "m": n * 60, "h": n * 3600}[unit]


def main():
    docs = [d for f in sys.argv[1:] for d in yaml.safe_load_all(open(f)) if d]
    by = {}
    for d in docs:
        name = d.get("metadata", {}).get("name")
        check(f"{d.get('kind')}/{name}: apiVersion, kind, metadata.name",
              d.get("apiVersion") and d.get("kind") and name)
        check(f"{d.get('kind')}/{name}: no namespace (namespace-agnostic)", "namespace" not in d.get("metadata", {}))
        by.setdefault(d["kind"], {})[name] = d

    cms, secrets = by.get("ConfigMap", {}), by.get("Secret", {})
    deployments = by.get("Deployment", {})
    for name, dep in deployments.items():
        pod = dep["spec"]["template"]
        check(f"Deployment/{name}: selector matches pod labels",
              all(pod["metadata"]["labels"].get(k) == v for k, v in dep["spec"]["selector"]["matchLabels"].items()))
        spec = pod["spec"]
        c = spec["containers"][0]
        ports = {p["name"]: p for p in c.get("ports", [])}
        res = c.get("resources", {})
        check(f"Deployment/{name}: requests and limits (cpu, memory)",
              {"cpu", "memory"} <= set(res.get("requests", {})) and {"cpu", "memory"} <= set(res.get("limits", {})))
        for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
            p = c.get(probe)
            if probe != "startupProbe" or p:
                port = (p or {}).get("httpGet", {}).get("port")
                path = (p or {}).get("httpGet", {}).get("path", "")
                target = ports.get(port, {}).get("containerPort") if isinstance(port, str) else port
                check(f"Deployment/{name}: {probe} GET {path} on actuator port {ACTUATOR.get(name)}",
                      p and path.startswith("/actuator/health") and target == ACTUATOR.get(name), f"port {port} -> {target}")
        live = c["livenessProbe"]["httpGet"]["path"]
        ready = c["readinessProbe"]["httpGet"]["path"]
        if name in ("hep-ingest", "homer-api"):
            check(f"Deployment/{name}: liveness on /liveness, readiness on /readiness (database)",
                  live.endswith("/liveness") and ready.endswith("/readiness"))
        grace = spec.get("terminationGracePeriodSeconds")
        pre = c.get("lifecycle", {}).get("preStop", {})
        pre_s = int(pre["exec"]["command"][1]) if "exec" in pre else pre.get("sleep", {}).get("seconds", 0)
        check(f"Deployment/{name}: terminationGracePeriodSeconds and preStop sleep", grace and pre_s > 0)
        sc = spec.get("securityContext", {})
        check(f"Deployment/{name}: runs as non-root uid 10001 (the image's user)",
              sc.get("runAsNonRoot") and sc.get("runAsUser") == 10001)
        if name == "hep-ingest":
            conf = yaml.safe_load(cms["hepstack-config"]["data"]["hep-ingest.yaml"])
            flush = seconds(conf["homer"]["ingest"].get("shutdown-timeout", "30s"))
            check(f"Deployment/{name}: grace {grace}s >= preStop {pre_s}s + drain 5s + shutdown-timeout {flush:g}s",
                  grace >= pre_s + 5 + flush)
            have = {(p["containerPort"], p.get("protocol", "TCP")) for p in c["ports"]}
            check("Deployment/hep-ingest: container ports UDP 9060, TCP 9060, TCP 9061",
                  {(9060, "UDP"), (9060, "TCP"), (9061, "TCP")} <= have, str(have))
        # references to ConfigMaps and Secrets
        for e in c.get("env", []):
            ref = e.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                check(f"Deployment/{name}: env {e['name']} -> Secret {ref['name']}/{ref['key']} exists",
                      ref["key"] in secrets.get(ref["name"], {}).get("stringData", {}) or
                      ref["key"] in secrets.get(ref["name"], {}).get("data", {}))
        for ef in c.get("envFrom", []):
            n = ef.get("configMapRef", {}).get("name")
            check(f"Deployment/{name}: envFrom ConfigMap {n} exists", n in cms)
        for v in spec.get("volumes", []):
            if "configMap" in v:
                cm = cms.get(v["configMap"]["name"], {}).get("data", {})
                keys = [i["key"] for i in v["configMap"].get("items", [])]
                check(f"Deployment/{name}: volume {v['name']} -> ConfigMap keys {keys} exist", all(k in cm for k in keys))
        mounts = {m["name"] for m in c.get("volumeMounts", [])}
        check(f"Deployment/{name}: every volumeMount has a volume", mounts <= {v["name"] for v in spec.get("volumes", [])})

    def pods_of(selector):
        return [n for n, d in deployments.items()
                if all(d["spec"]["template"]["metadata"]["labels"].get(k) == v for k, v in selector.items())]

    services = by.get("Service", {})
    for name, svc in services.items():
        targets = pods_of(svc["spec"]["selector"])
        check(f"Service/{name}: selects a Deployment's pods", len(targets) == 1, str(targets))
        if len(targets) != 1:
            continue
        c = deployments[targets[0]]["spec"]["template"]["spec"]["containers"][0]
        cports = {p["name"]: p for p in c["ports"]}
        for p in svc["spec"]["ports"]:
            tp = cports.get(p["targetPort"]) if isinstance(p["targetPort"], str) else next(
                (x for x in c["ports"] if x["containerPort"] == p["targetPort"]), None)
            check(f"Service/{name}: port {p['port']}/{p.get('protocol', 'TCP')} -> container port "
                  f"{p['targetPort']} with the same protocol",
                  tp and tp.get("protocol", "TCP") == p.get("protocol", "TCP"))
    ing = services.get("hep-ingest")
    if ing:
        have = {(p["port"], p.get("protocol", "TCP")) for p in ing["spec"]["ports"]}
        check("Service/hep-ingest: LoadBalancer with UDP 9060, TCP 9060, TCP 9061",
              ing["spec"]["type"] in ("LoadBalancer", "NodePort") and {(9060, "UDP"), (9060, "TCP"), (9061, "TCP")} <= have)
        check("Service/hep-ingest: externalTrafficPolicy Local", ing["spec"].get("externalTrafficPolicy") == "Local")
    for n in ("homer-api", "homer-ui"):
        if n in services:
            check(f"Service/{n}: ClusterIP", services[n]["spec"].get("type", "ClusterIP") == "ClusterIP")

    for name, ingress in by.get("Ingress", {}).items():
        ann = ingress["metadata"].get("annotations", {})
        for rule in ingress["spec"]["rules"]:
            for p in rule["http"]["paths"]:
                b = p["backend"]["service"]
                svc = services.get(b["name"])
                port_ok = svc and any(sp.get("name") == b["port"].get("name") or sp["port"] == b["port"].get("number")
                                      for sp in svc["spec"]["ports"])
                check(f"Ingress/{name}: {p['path']} -> Service {b['name']} port {b['port']} exists", port_ok)
                if p["path"].startswith("/api/v1/stream"):
                    check(f"Ingress/{name}: SSE path has proxy-buffering off",
                          ann.get("nginx.ingress.kubernetes.io/proxy-buffering") == "off")
                if p["path"].startswith("/api/v1/import/pcap"):
                    check(f"Ingress/{name}: pcap import allows large bodies",
                          ann.get("nginx.ingress.kubernetes.io/proxy-body-size", "1m").endswith(("m", "g"))
                          and ann.get("nginx.ingress.kubernetes.io/proxy-body-size") != "1m")

    for name, hpa in by.get("HorizontalPodAutoscaler", {}).items():
        ref = hpa["spec"]["scaleTargetRef"]
        check(f"HorizontalPodAutoscaler/{name}: targets Deployment {ref['name']}",
              ref["kind"] == "Deployment" and ref["name"] in deployments)
        check(f"HorizontalPodAutoscaler/{name}: minReplicas <= replicas <= maxReplicas",
              hpa["spec"].get("minReplicas", 1) <= deployments[ref["name"]]["spec"]["replicas"] <= hpa["spec"]["maxReplicas"])
    for name, pdb in by.get("PodDisruptionBudget", {}).items():
        check(f"PodDisruptionBudget/{name}: selects one Deployment's pods", len(pods_of(pdb["spec"]["selector"]["matchLabels"])) == 1)
    for d in deployments:
        check(f"Deployment/{d}: has an HPA and a PDB",
              any(h["spec"]["scaleTargetRef"]["name"] == d for h in by.get("HorizontalPodAutoscaler", {}).values())
              and any(d in pods_of(p["spec"]["selector"]["matchLabels"]) for p in by.get("PodDisruptionBudget", {}).values()))

    failed = results.count(False)
    print(f"{len(results) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
