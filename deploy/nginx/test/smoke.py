#!/usr/bin/env python3
"""Loopback end-to-end smoke test of the hepstack nginx configuration.

Renders the test variant (render.sh), starts fake upstreams on 127.0.0.1 (two "hep-ingest"
replicas recording UDP datagrams and TCP/TLS bytes, two "homer-api" and one "homer-ui" HTTP
servers), runs nginx in the foreground and checks what reaches which upstream:

  * UDP: every datagram of one agent (source address) reaches one replica, in order; agents from
    16 source addresses (127.0.0.10-25) spread over both replicas (hash $remote_addr consistent)
  * TCP 9060 and TLS-passthrough 9061: bytes arrive unchanged, connections spread (least_conn)
  * HTTP: /api/ -> homer-api, / -> homer-ui, X-Forwarded-For/X-Real-IP/X-Request-ID set,
    /actuator/ not published, /nginx-health answers
  * SSE /api/v1/stream/: the first event arrives while the upstream is still streaming (unbuffered)
  * /api/v1/import/pcap takes a 5 MB body, other API paths refuse 2 MB with 413
  * a stopped homer-api replica: requests still answered by the other (passive failover)

Only loopback addresses are used; every loop is bounded; nginx is stopped at the end.
Usage: deploy/nginx/test/smoke.py [--keep DIR]      (needs nginx with the stream module)
Exit 0 and "N passed, 0 failed" when every check passes.
"""
import http.client
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LB_HEP, LB_TLS, LB_HTTP = 19060, 19061, 18000
INGEST, INGEST_TLS = [29060, 29070], [29061, 29071]
API, UI = [28081, 28082], [28080]

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(("PASS " if ok else "FAIL ") + name + (f" ({detail})" if detail else ""), flush=True)


# ---------------------------------------------------------------- fake hep-ingest replicas
class Ingest:
    def __init__(self, port, tls_port):
        self.port = port
        self.udp = []          # (src_addr, payload)
        self.tcp = []          # bytes per connection
        self.tls = []
        self.lock = threading.Lock()
        self.u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.u.bind(("127.0.0.1", port))
        self.u.settimeout(0.2)
        self.t = self._listen(port)
        self.s = self._listen(tls_port)
        self.stop = False
        for target in (self._udp_loop, lambda: self._accept_loop(self.t, self.tcp),
                       lambda: self._accept_loop(self.s, self.tls)):
            threading.Thread(target=target, daemon=True).start()

    @staticmethod
    def _listen(port):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
        s.listen(64)
        s.settimeout(0.2)
        return s

    def _udp_loop(self):
        while not self.stop:
            try:
                data, src = self.u.recvfrom(65535)
            except (socket.timeout, OSError):
                continue
            with self.lock:
                self.udp.append((src[0], data))

    def _accept_loop(self, srv, sink):
        while not self.stop:
            try:
                c, _ = srv.accept()
            except (socket.timeout, OSError):
                continue
            with self.lock:
                idx = len(sink)
                sink.append(b"")

            def read(c=c, idx=idx):
                c.settimeout(5)
                try:
                    while True:
                        b = c.recv(65536)
                        if not b:
                            break
                        with self.lock:
                            sink[idx] += b
                except OSError:
                    pass
                c.close()
            threading.Thread(target=read, daemon=True).start()

    def close(self):
        self.stop = True
        for s in (self.u, self.t, self.s):
            s.close()


# ---------------------------------------------------------------- fake homer-api / homer-ui
def http_server(port, name):
    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def _json(self, obj, code=200):
            body = json.dumps(obj).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if self.path.startswith("/api/v1/stream/"):
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                self.end_headers()
                for i in range(4):                      # 4 events, 0.5 s apart
                    self.wfile.write(f"id: {i}\ndata: event {i} from {name}\n\n".encode())
                    self.wfile.flush()
                    time.sleep(0.5)
                self.close_connection = True
                return
            self._json({"server": name, "path": self.path, "headers": dict(self.headers)})

        def do_POST(self):
            n = int(self.headers.get("Content-Length") or 0)
            got = 0
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                while True:
                    size = int(self.rfile.readline().split(b";")[0], 16)
                    if size == 0:
                        self.rfile.readline()
                        break
                    got += len(self.rfile.read(size))
                    self.rfile.readline()
            else:
                while got < n:
                    got += len(self.rfile.read(min(65536, n - got)))
            self._json({"server": name, "path": self.path, "received": got})

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), H)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def request(method, path, body=None, timeout=10):
    c = http.client.HTTPConnection("127.0.0.1", LB_HTTP, timeout=timeout)
    c.request(method, path, body=body, headers={"Content-Type": "application/octet-stream"} if body else {})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data


def wait_port(port, timeout=10):
    end = time.time() + timeout
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return True
        except OSError:
            time.sleep(0.1)
    return False


def main():
    keep = None
    if len(sys.argv) == 3 and sys.argv[1] == "--keep":
        keep = sys.argv[2]
    out = keep or tempfile.mkdtemp(prefix="hepstack-nginx-")
    env = dict(os.environ, LB_HEP_PORT=str(LB_HEP), LB_HEP_TLS_PORT=str(LB_TLS), LB_HTTP_PORT=str(LB_HTTP),
               INGEST_PORTS=" ".join(map(str, INGEST)), INGEST_TLS_PORTS=" ".join(map(str, INGEST_TLS)),
               API_PORTS=" ".join(map(str, API)), UI_PORTS=" ".join(map(str, UI)), NGINX_DAEMON="off")
    subprocess.run([os.path.join(HERE, "render.sh"), out], env=env, check=True, stdout=subprocess.DEVNULL)
    conf = os.path.join(out, "nginx.conf")
    nginx_cmd = ["nginx", "-e", os.path.join(out, "logs", "error.log"), "-p", out + "/", "-c", conf]
    t = subprocess.run(nginx_cmd + ["-t"], capture_output=True, text=True)
    check("nginx -t on the rendered test variant", t.returncode == 0, t.stderr.strip().splitlines()[-1])
    if t.returncode != 0:
        sys.exit(1)

    ingests = [Ingest(p, tp) for p, tp in zip(INGEST, INGEST_TLS)]
    apis = [http_server(p, f"api-{p}") for p in API]
    uis = [http_server(p, f"ui-{p}") for p in UI]
    nginx = subprocess.Popen(nginx_cmd)
    try:
        if not wait_port(LB_HTTP):
            check("nginx listening", False)
            return
        run_checks(ingests, apis)
    finally:
        nginx.terminate()
        try:
            nginx.wait(10)
        except subprocess.TimeoutExpired:
            nginx.kill()
        for i in ingests:
            i.close()
        for s in apis + uis:
            s.shutdown()
        if not keep:
            shutil.rmtree(out, ignore_errors=True)
    failed = results.count(False)
    print(f"{len(results) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


def run_checks(ingests, apis):
    # --- UDP: 16 agents (source addresses), 50 datagrams each
    agents = [f"127.0.0.{i}" for i in range(10, 26)]
    socks = []
    for a in agents:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((a, 0))
        socks.append(s)
    for n in range(50):
        for a, s in zip(agents, socks):
            s.sendto(f"HEP3 agent={a} seq={n:03d}".encode(), ("127.0.0.1", LB_HEP))
        time.sleep(0.002)
    for s in socks:
        s.close()
    time.sleep(1.0)
    per_replica = [[d.decode() for _, d in i.udp] for i in ingests]
    total = sum(len(x) for x in per_replica)
    check("UDP: every datagram forwarded once", total == 16 * 50, f"{total}/800")
    placement_ok, order_ok = True, True
    for a in agents:
        where = [k for k, msgs in enumerate(per_replica) if any(f"agent={a} " in m for m in msgs)]
        placement_ok &= len(where) == 1
        for msgs in per_replica:
            seqs = [m.split("seq=")[1] for m in msgs if f"agent={a} " in m]
            order_ok &= seqs == sorted(seqs)
    check("UDP: each agent's datagrams all on one replica", placement_ok)
    check("UDP: each agent's datagrams in the order sent", order_ok)
    counts = [len(x) for x in per_replica]
    check("UDP: agents spread over both replicas", all(c > 0 for c in counts), f"datagrams per replica {counts}")

    # --- TCP and TLS passthrough: 4 connections each
    for port, attr, label in ((LB_HEP, "tcp", "TCP 9060"), (LB_TLS, "tls", "TLS passthrough 9061")):
        conns = [socket.create_connection(("127.0.0.1", port), 5) for _ in range(4)]
        payloads = [(f"conn{k}:" + "x" * 100000).encode() for k in range(4)]
        for c, p in zip(conns, payloads):
            c.sendall(p)
        time.sleep(0.5)
        for c in conns:
            c.close()
        time.sleep(0.5)
        got = sorted(b for i in ingests for b in getattr(i, attr))
        check(f"{label}: bytes arrive unchanged", got == sorted(payloads),
              f"{len(got)} connections, {sum(map(len, got))} bytes")
        spread = [len(getattr(i, attr)) for i in ingests]
        check(f"{label}: connections spread over both replicas", all(s > 0 for s in spread), f"{spread}")

    # --- HTTP routing and headers
    st, body = request("GET", "/api/v1/messages?limit=1")
    j = json.loads(body) if st == 200 else {}
    hdr = {k.lower(): v for k, v in j.get("headers", {}).items()}
    check("HTTP: /api/ goes to homer-api", st == 200 and j.get("server", "").startswith("api-"), f"{st} {j.get('server')}")
    check("HTTP: X-Forwarded-For / X-Real-IP / X-Request-ID / X-Forwarded-Proto set",
          hdr.get("x-forwarded-for") == "127.0.0.1" and hdr.get("x-real-ip") == "127.0.0.1"
          and len(hdr.get("x-request-id", "")) == 32 and hdr.get("x-forwarded-proto") == "http",
          ", ".join(f"{k}={hdr.get(k)}" for k in ("x-forwarded-for", "x-real-ip", "x-forwarded-proto")))
    check("HTTP: keep-alive to upstream (HTTP/1.1, no Connection: close)",
          hdr.get("connection", "") == "" , f"connection={hdr.get('connection')!r}")
    st, body = request("GET", "/calls/abc")
    check("HTTP: / goes to homer-ui", st == 200 and json.loads(body)["server"].startswith("ui-"), str(st))
    st, _ = request("GET", "/actuator/health")
    check("HTTP: /actuator/ not published", st == 404, str(st))
    st, body = request("GET", "/nginx-health")
    check("HTTP: /nginx-health", st == 200 and body == b"ok\n", str(st))
    servers = {json.loads(request("GET", f"/api/v1/messages?i={k}")[1])["server"] for k in range(8)}
    check("HTTP: requests spread over both homer-api replicas", len(servers) == 2, str(sorted(servers)))

    # --- SSE: unbuffered
    c = http.client.HTTPConnection("127.0.0.1", LB_HTTP, timeout=10)
    t0 = time.time()
    c.request("GET", "/api/v1/stream/messages")
    r = c.getresponse()
    first = r.readline()
    t_first = time.time() - t0
    rest = r.read()
    t_all = time.time() - t0
    c.close()
    check("SSE: first event delivered before the stream ends (proxy_buffering off)",
          first.startswith(b"id: 0") and t_first < 1.0 and t_all >= 1.5,
          f"first after {t_first:.2f}s, end after {t_all:.2f}s, {rest.count(b'data:') + 1} data lines")

    # --- body size limits
    st, body = request("POST", "/api/v1/import/pcap", body=b"\0" * (5 * 1024 * 1024), timeout=30)
    got = json.loads(body).get("received") if st == 200 else None
    check("HTTP: /api/v1/import/pcap accepts 5 MB", st == 200 and got == 5 * 1024 * 1024, f"{st} received={got}")
    st, _ = request("POST", "/api/v1/messages", body=b"\0" * (2 * 1024 * 1024), timeout=30)
    check("HTTP: other API paths refuse 2 MB (client_max_body_size 1m)", st == 413, str(st))

    # --- passive failover: stop one homer-api replica
    apis[1].shutdown()
    apis[1].server_close()
    statuses = [request("GET", f"/api/v1/messages?f={k}")[0] for k in range(10)]
    check("HTTP: one homer-api replica down, every request still answered", statuses == [200] * 10, str(statuses))


if __name__ == "__main__":
    main()
