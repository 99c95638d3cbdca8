#!/bin/sh
# Render the loopback e2e-test variant of the hepstack nginx configuration.
#
#   deploy/nginx/test/render.sh OUT_DIR
#   nginx -t -e OUT_DIR/logs/error.log -p OUT_DIR/ -c OUT_DIR/nginx.conf      # check
#   nginx    -e OUT_DIR/logs/error.log -p OUT_DIR/ -c OUT_DIR/nginx.conf      # run (daemon off: foreground)
#   nginx -s stop -p OUT_DIR/ -c OUT_DIR/nginx.conf
#
# Environment (defaults in brackets); every address is 127.0.0.1:
#   LB_HEP_PORT [19060]       nginx HEP listener, UDP and TCP
#   LB_HEP_TLS_PORT [19061]   nginx HEP TLS passthrough listener
#   LB_HTTP_PORT [18000]      nginx UI/API listener
#   INGEST_PORTS ["29060 29070"]       hep-ingest replicas' UDP+TCP ports (homer.ingest.udp.port/tcp.port)
#   INGEST_TLS_PORTS ["29061 29071"]   their TLS ports (homer.ingest.tls.port), same order
#   API_PORTS ["28081 28082"]          homer-api replicas (server.port)
#   UI_PORTS ["28080"]                 homer-ui replicas
#   NGINX_DAEMON [off]                 "on" to let nginx fork into the background
#   NGINX [nginx]                      the binary (to detect a dynamic stream module)
#   NGINX_STREAM_MODULE                path of ngx_stream_module.so when nginx has it as a dynamic
#                                      module (Debian: /usr/lib/nginx/modules/...); found if unset
#
# stream.conf and http.conf are copied from deploy/nginx with only the address of their "# @listen NAME"
# lines rewritten; the script fails if a marker is missing, so the test variant cannot drift silently.
set -eu

[ $# -eq 1 ] || { echo "usage: $0 OUT_DIR" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(dirname "$HERE")
mkdir -p "$1"
OUT=$(cd "$1" && pwd)

LB_HEP_PORT=${LB_HEP_PORT:-19060}
LB_HEP_TLS_PORT=${LB_HEP_TLS_PORT:-19061}
LB_HTTP_PORT=${LB_HTTP_PORT:-18000}
INGEST_PORTS=${INGEST_PORTS:-"29060 29070"}
INGEST_TLS_PORTS=${INGEST_TLS_PORTS:-"29061 29071"}
API_PORTS=${API_PORTS:-"28081 28082"}
UI_PORTS=${UI_PORTS:-"28080"}
NGINX_DAEMON=${NGINX_DAEMON:-off}

NGINX=${NGINX:-nginx}

mkdir -p "$OUT/logs" "$OUT/tmp"

# Distribution packages (Debian/Ubuntu, Fedora) build stream as a dynamic module and load it from
# modules-enabled with a path relative to their prefix, which the test prefix breaks: load it by
# absolute path. nginx.org builds have it built in.
LOAD_STREAM_MODULE="# stream module built in"
if "$NGINX" -V 2>&1 | grep -q -- '--with-stream=dynamic'; then
    mod=${NGINX_STREAM_MODULE:-}
    if [ -z "$mod" ]; then
        for d in /usr/lib/nginx/modules /usr/lib64/nginx/modules /usr/share/nginx/modules /etc/nginx/modules; do
            [ -f "$d/ngx_stream_module.so" ] && { mod="$d/ngx_stream_module.so"; break; }
        done
    fi
    [ -n "$mod" ] || { echo "render.sh: nginx has a dynamic stream module but ngx_stream_module.so was not found (Debian: apt-get install libnginx-mod-stream; or set NGINX_STREAM_MODULE)" >&2; exit 1; }
    LOAD_STREAM_MODULE="load_module $mod;"
fi

# Move one "# @listen NAME" line to a test address; its parameters (udp, reuseport, rcvbuf, ...) stay
# as in production. Exactly one such line must exist.
relisten() { # file name new-address
    n=$(grep -c "^ *listen [^ ;]*[ ;].*# @listen $2\$" "$1" || true)
    [ "$n" = 1 ] || { echo "render.sh: $1 has $n 'listen ... # @listen $2' lines, expected 1" >&2; exit 1; }
    sed -i "s|^\( *listen \)[^ ;]*\([ ;].*\)# @listen $2\$|\1$3\2# @listen $2 (test)|" "$1"
}

cp "$SRC/stream.conf" "$OUT/stream.conf"
relisten "$OUT/stream.conf" hep_udp "127.0.0.1:$LB_HEP_PORT"
relisten "$OUT/stream.conf" hep_tcp "127.0.0.1:$LB_HEP_PORT"
relisten "$OUT/stream.conf" hep_tls "127.0.0.1:$LB_HEP_TLS_PORT"

cp "$SRC/http.conf" "$OUT/http.conf"
relisten "$OUT/http.conf" http "127.0.0.1:$LB_HTTP_PORT"

# Upstreams: same balancing and health-check parameters as production, loopback servers.
servers() { # ports
    for p in $1; do printf '    server 127.0.0.1:%s max_fails=3 fail_timeout=10s;\n' "$p"; done
}
{
    echo "# rendered by deploy/nginx/test/render.sh: loopback hep-ingest replicas"
    printf 'upstream hep_ingest_udp {\n    hash $remote_addr consistent;\n'; servers "$INGEST_PORTS"; echo "}"
    printf 'upstream hep_ingest_tcp {\n    least_conn;\n'; servers "$INGEST_PORTS"; echo "}"
    printf 'upstream hep_ingest_tls {\n    least_conn;\n'; servers "$INGEST_TLS_PORTS"; echo "}"
} > "$OUT/upstreams-stream.conf"
{
    echo "# rendered by deploy/nginx/test/render.sh: loopback homer-api / homer-ui replicas"
    printf 'upstream homer_api {\n    least_conn;\n'; servers "$API_PORTS"
    printf '    keepalive 32;\n    keepalive_timeout 60s;\n}\n'
    printf 'upstream homer_ui {\n'; servers "$UI_PORTS"
    printf '    keepalive 16;\n    keepalive_timeout 60s;\n}\n'
} > "$OUT/upstreams-http.conf"

OUT=$OUT NGINX_DAEMON=$NGINX_DAEMON LOAD_STREAM_MODULE=$LOAD_STREAM_MODULE \
    envsubst '${OUT} ${NGINX_DAEMON} ${LOAD_STREAM_MODULE}' \
    < "$HERE/nginx.conf.template" > "$OUT/nginx.conf"

echo "$OUT/nginx.conf"
