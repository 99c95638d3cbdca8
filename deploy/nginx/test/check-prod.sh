#!/bin/sh
# nginx -t on the production configuration (deploy/nginx/*.conf) as it is, outside its cluster.
# Its upstream host names (hep-ingest-1, homer-api-1, ...) must resolve for nginx -t to pass, so the
# check runs in a private mount namespace where /etc/hosts maps them to 127.0.1.x (nothing is sent
# to them; the machine's own /etc/hosts is untouched). Needs root (unshare -m) and nginx with the
# stream module (Debian: nginx + libnginx-mod-stream).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp "$HERE"/../*.conf "$WORK/"
hosts=$(grep -ho 'server [a-z0-9.-]*:[0-9]*' "$WORK"/upstreams-*.conf | sed 's/server \(.*\):.*/\1/' | sort -u)
{
    echo "127.0.0.1 localhost"
    i=1
    for h in $hosts; do echo "127.0.1.$i $h"; i=$((i + 1)); done
} > "$WORK/hosts"
echo "upstream names: $(echo $hosts)"
unshare -m sh -c "mount --bind '$WORK/hosts' /etc/hosts && nginx -t -e stderr -c '$WORK/nginx.conf'"
