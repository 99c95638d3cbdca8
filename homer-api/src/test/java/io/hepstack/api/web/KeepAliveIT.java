package io.hepstack.api.web;

import io.hepstack.api.ApiIT;
import io.hepstack.api.TestApp;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * reactor-netty 1.2 can leave a kept-alive HTTP/1.1 connection unanswered when the previous request's
 * handler completed after its response was written from another thread (a login answered from the
 * BCrypt worker, a search answered from the database driver's thread): the next request on that
 * connection is read and never answered. The services therefore serve one request per connection
 * ({@code server.netty.max-keep-alive-requests: 1}, docs/operations.md). This test replays, over raw
 * sockets as a browser, nginx or a script would, the sequence that hung (a login, refused requests,
 * health probes): every request must be answered, and a connection is only ever closed after a
 * complete response that said {@code Connection: close}. Without the setting, rounds hang within
 * seconds (about one round in four on a 2-core machine).
 */
class KeepAliveIT extends ApiIT {

    @LocalServerPort
    int port;

    private record Response(int status, Map<String, String> headers, String body) {
    }

    @Test
    void everyRequestOfARefusedSequenceIsAnsweredAndConnectionsCloseOnlyAfterAResponse() throws Exception {
        String login = "{\"username\":\"admin\",\"password\":\"" + TestApp.ADMIN_PASSWORD + "\"}";
        int requests = 0;
        for (int round = 0; round < 30; round++) {
            Connection c = new Connection();
            try {
                Response r = c.send("POST", "/api/v1/auth/login", null, login);
                assertThat(r.status()).isEqualTo(200);
                Matcher m = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(r.body());
                assertThat(m.find()).isTrue();
                String token = m.group(1);
                List<Integer> statuses = new ArrayList<>();
                statuses.add(c.send("GET", "/api/v1/auth/me", token, null).status());
                statuses.add(c.send("GET", "/api/v1/calls/x/pcap?from=soon", token, null).status());
                statuses.add(c.send("GET", "/api/v1/calls/b2b-a@test/pcap", null, null).status());
                statuses.add(c.send("GET", "/actuator/health", null, null).status());
                statuses.add(c.send("GET", "/actuator/health", null, null).status());
                statuses.add(c.send("POST", "/api/v1/auth/login", null, login).status());
                assertThat(statuses).as("round %d", round).containsExactly(200, 400, 401, 200, 200, 200);
                requests += 7;
            } finally {
                c.close();
            }
        }
        assertThat(requests).isEqualTo(210);
    }

    /**
     * A refused upload is answered, not reset: the server reads and discards the unread body before it
     * closes the connection. Without that, a client still sending an 8 MiB
     * capture gets "connection reset" from the kernel instead of the 401.
     */
    @Test
    void aRefusedUploadIsAnsweredAndTheConnectionClosedCleanly() throws Exception {
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'x');
        int chunks = 128; // 8 MiB
        for (String token : new String[] {null, "not-a-token"}) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(20_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /api/v1/import/pcap HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                        + "Content-Type: application/octet-stream\r\nContent-Length: " + (chunks * chunk.length)
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < chunks; i++) {
                    try {
                        out.write(chunk);
                    } catch (IOException e) {
                        throw new AssertionError("the server cut the upload off after " + i * chunk.length
                                + " bytes instead of reading it: " + e, e);
                    }
                }
                out.flush();
                Response r = read(socket.getInputStream());
                assertThat(r.status()).as("token %s", token).isEqualTo(401);
                assertThat(r.body()).contains("\"error\":\"unauthorized\"");
                assertThat(socket.getInputStream().read()).as("a clean end of stream, not a reset").isEqualTo(-1);
            }
        }
    }

    /**
     * A client connection that reconnects when, and only when, the server closed the previous one after a
     * response announcing it; a request left unanswered for 20 s is a hang.
     */
    private final class Connection {
        private Socket socket;

        Response send(String method, String path, String token, String json) throws IOException {
            if (socket == null) {
                socket = new Socket("127.0.0.1", port);
                socket.setSoTimeout(20_000);
            }
            StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\nAccept: */*\r\n");
            byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
            if (token != null) {
                head.append("Authorization: Bearer ").append(token).append("\r\n");
            }
            if (json != null) {
                head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            Response r;
            try {
                r = read(socket.getInputStream());
            } catch (SocketTimeoutException e) {
                throw new AssertionError(method + " " + path + " was not answered within 20 s on a reused connection", e);
            }
            if ("close".equalsIgnoreCase(r.headers().get("connection"))) {
                assertThat(socket.getInputStream().read()).as("end of stream after Connection: close").isEqualTo(-1);
                close();
            }
            return r;
        }

        void close() throws IOException {
            if (socket != null) {
                socket.close();
                socket = null;
            }
        }
    }

    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed before a complete response head: " + head);
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body;
        if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            while (true) {
                StringBuilder size = new StringBuilder();
                for (int b = in.read(); b != '\n'; b = in.read()) {
                    if (b < 0) {
                        throw new EOFException("connection closed inside a chunked body");
                    }
                    size.append((char) b);
                }
                int n = Integer.parseInt(size.toString().trim().split(";")[0], 16);
                all.write(in.readNBytes(n));
                in.readNBytes(2);
                if (n == 0) {
                    break;
                }
            }
            body = all.toByteArray();
        } else {
            body = new byte[0];
        }
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }
}
