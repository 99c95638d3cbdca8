#!/bin/bash
# Container health check without curl or wget (the eclipse-temurin JRE image does not promise
# either): an HTTP/1.0 GET over bash's /dev/tcp, healthy when the status is 200.
#   healthcheck.sh PORT PATH        e.g. healthcheck.sh 9096 /actuator/health/liveness
set -u
port=$1 path=$2
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
IFS= read -r -t 5 status <&3 || exit 1
while IFS= read -r -t 5 _ <&3; do :; done     # drain the body before closing
case "$status" in
    "HTTP/1."?" 200 "*) exit 0 ;;
    *) echo "unhealthy: GET $path -> ${status%$'\r'}" >&2; exit 1 ;;
esac
