package io.hepstack.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code hep-tools api-bench}: latency of the searches an engineer runs, measured against a running
 * homer-api over HTTP (so JSON, auth and the pool are in the figure): Call-ID, user and From-tag lookups over
 * the whole data window, a header read from the raw messages of one hour, the call list of one hour, a user's
 * calls over 7 days and the completed calls longer than 30 s of the window (both from the call records), and a
 * call's flow with correlation. Each request's answer is checked (status 200, the sampled call found), so a
 * fast empty answer cannot pass for a result; only the long calls may be none (a bench call lasts
 * milliseconds), which is the filter's slowest case: every record of the window is read.
 * Requests run one at a time after a warm-up; the output is a table and one JSON line.
 */
@Command(name = "api-bench", mixinStandardHelpOptions = true,
        description = "Measure homer-api search latencies (p50/p95/p99) over sampled calls.")
public final class ApiBenchCommand implements Callable<Integer> {

    @Option(names = "--api", paramLabel = "URL", defaultValue = "http://127.0.0.1:8081", description = "homer-api base URL")
    URI api;

    @Option(names = "--username", defaultValue = "admin")
    String username;

    @Option(names = "--password", description = "default: $HOMER_ADMIN_PASSWORD")
    String password;

    @Option(names = "--samples", paramLabel = "FILE", required = true,
            description = "sampled calls, one per line: CALL_ID<TAB>FROM_USER<TAB>INVITE_TIME_EPOCH_MICROS<TAB>FROM_TAG")
    Path samples;

    @Option(names = "--from", paramLabel = "EPOCH_MS", required = true, description = "start of the data window")
    long from;

    @Option(names = "--to", paramLabel = "EPOCH_MS", required = true, description = "end of the data window")
    long to;

    @Option(names = "--requests", paramLabel = "N", defaultValue = "300", description = "measured requests per search")
    int requests;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "200",
            description = "unmeasured requests per search first (the JIT compiles the API's hot paths meanwhile)")
    int warmup;

    /** A request unanswered this long fails the run: a hang is a finding, not a slow sample. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final PrintStream stdout;
    private final ObjectMapper json = new ObjectMapper();
    private String token;

    public ApiBenchCommand() {
        this(System.out);
    }

    ApiBenchCommand(PrintStream stdout) {
        this.stdout = stdout;
    }

    /** One sampled call. */
    record Sample(String callId, String fromUser, long inviteMicros, String fromTag) {
    }

    /** A search: the request for a sample, and what its answer must contain. */
    private record Search(String name, Function<Sample, String> path, Check check) {
    }

    @FunctionalInterface
    private interface Check {
        String problem(Sample s, JsonNode answer);
    }

    @Override
    public Integer call() throws Exception {
        String pw = password != null ? password : System.getenv("HOMER_ADMIN_PASSWORD");
        if (pw == null) {
            System.err.println("api-bench: --password or HOMER_ADMIN_PASSWORD needed");
            return 2;
        }
        List<Sample> calls = readSamples(samples);
        if (calls.isEmpty()) {
            System.err.println("api-bench: no samples in " + samples);
            return 2;
        }
        JsonNode login = request("POST", "/api/v1/auth/login",
                json.writeValueAsString(java.util.Map.of("username", username, "password", pw)));
        token = login.get("token").asText();

        String window = "&from=" + from + "&to=" + to;
        long hourMs = 3_600_000L;
        List<Search> searches = List.of(
                new Search("call-id lookup (24 h)", s -> "/api/v1/messages?limit=100&callId=" + enc(s.callId()) + window,
                        (s, a) -> a.get("items").isEmpty() ? "no message of Call-ID " + s.callId() : null),
                new Search("user search (24 h)", s -> "/api/v1/messages?limit=100&fromUser=" + enc(s.fromUser()) + window,
                        (s, a) -> a.get("items").isEmpty() ? "no message from user " + s.fromUser() : null),
                new Search("from-tag lookup (24 h)", s -> "/api/v1/messages?limit=100&fromTag=" + enc(s.fromTag()) + window,
                        (s, a) -> a.get("items").isEmpty() ? "no message with From tag " + s.fromTag() : null),
                // the Record-Route names the From tag (ftag=): a header no collector extracts, read from the raw messages
                new Search("header in text (1 h)", s -> {
                    long start = Math.max(from, Math.min(to - hourMs, s.inviteMicros() / 1000 - hourMs / 2));
                    return "/api/v1/messages?limit=100&" + enc("header.Record-Route") + "=" + enc("*;ftag=" + s.fromTag() + ">")
                            + "&from=" + start + "&to=" + (start + hourMs);
                }, (s, a) -> a.get("items").isEmpty() ? "no message whose Record-Route names ftag " + s.fromTag() : null),
                new Search("call list (1 h)", s -> {
                    long start = Math.max(from, Math.min(to - hourMs, s.inviteMicros() / 1000 - hourMs / 2));
                    return "/api/v1/calls?limit=100&from=" + start + "&to=" + (start + hourMs);
                }, (s, a) -> a.get("items").isEmpty() ? "empty call list" : null),
                new Search("user's calls (7 d)", s -> "/api/v1/calls?limit=100&fromUser=" + enc(s.fromUser())
                        + "&from=" + (to - 7 * 24 * hourMs) + "&to=" + to,
                        (s, a) -> a.get("items").isEmpty() ? "no call from user " + s.fromUser() : null),
                new Search("completed > 30 s (24 h)", s -> "/api/v1/calls?limit=100&state=completed&duration=" + enc(">30s") + window,
                        (s, a) -> a.get("items").isArray() ? null : "no call list"),
                new Search("flow with correlation", s -> {
                    long t = s.inviteMicros() / 1000;
                    return "/api/v1/calls/" + enc(s.callId()) + "/flow?from=" + (t - hourMs / 2) + "&to=" + (t + hourMs / 2);
                }, (s, a) -> a.get("messages").isEmpty() ? "empty flow for " + s.callId() : null));

        stdout.printf(Locale.ROOT, "api-bench: %s, %d sampled calls, window %s .. %s, %d requests per search after %d warm-up%n",
                api, calls.size(), Instant.ofEpochMilli(from), Instant.ofEpochMilli(to), requests, warmup);
        stdout.printf(Locale.ROOT, "%-24s %8s %8s %8s %8s %8s%n", "search", "p50 ms", "p95 ms", "p99 ms", "max ms", "mean ms");
        StringBuilder summary = new StringBuilder("{\"summary\":\"api-bench\",\"requests\":" + requests + ",\"results\":[");
        Random random = new Random(42);
        for (int k = 0; k < searches.size(); k++) {
            Search search = searches.get(k);
            double[] ms = new double[requests];
            for (int i = -warmup; i < requests; i++) {
                Sample s = calls.get(random.nextInt(calls.size()));
                String path = search.path().apply(s);
                long t0 = System.nanoTime();
                JsonNode answer = get(path);
                long t1 = System.nanoTime();
                String problem = search.check().problem(s, answer);
                if (problem != null) {
                    throw new IllegalStateException(search.name() + ": " + problem + " (GET " + path + ")");
                }
                if (i >= 0) {
                    ms[i] = (t1 - t0) / 1e6;
                }
            }
            Arrays.sort(ms);
            double mean = Arrays.stream(ms).average().orElse(0);
            stdout.printf(Locale.ROOT, "%-24s %8.1f %8.1f %8.1f %8.1f %8.1f%n", search.name(),
                    pct(ms, 50), pct(ms, 95), pct(ms, 99), ms[ms.length - 1], mean);
            summary.append(k == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"search\":\"%s\",\"p50\":%.2f,\"p95\":%.2f,\"p99\":%.2f,\"max\":%.2f,\"mean\":%.2f}",
                    search.name(), pct(ms, 50), pct(ms, 95), pct(ms, 99), ms[ms.length - 1], mean));
        }
        stdout.println(summary.append("]}"));
        return 0;
    }

    /** Nearest-rank percentile of sorted values. */
    static double pct(double[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static List<Sample> readSamples(Path file) throws IOException {
        List<Sample> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 4) {
                throw new IllegalArgumentException("sample line " + (out.size() + 1) + " has " + f.length
                        + " fields (expected: CALL_ID, FROM_USER, EPOCH_MICROS, FROM_TAG separated by tabs)");
            }
            out.add(new Sample(f[0], f[1], Long.parseLong(f[2].trim()), f[3]));
        }
        return out;
    }

    /**
     * One request on a new connection, written and read on a plain socket: the services answer one request per
     * connection (docs/operations.md), and a plain socket keeps the client's own cost (an HTTP client's
     * connection manager and selector thread) out of the figure.
     */
    private JsonNode get(String path) throws IOException {
        return request("GET", path, null);
    }

    private JsonNode request(String method, String path, String jsonBody) throws IOException {
        int port = api.getPort() < 0 ? 80 : api.getPort();
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(api.getHost(), port), 5_000);
            socket.setSoTimeout((int) REQUEST_TIMEOUT.toMillis());
            socket.setTcpNoDelay(true);
            byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + path + " HTTP/1.1\r\nHost: " + api.getHost() + ":" + port
                    + (token == null ? "" : "\r\nAuthorization: Bearer " + token)
                    + (jsonBody == null ? "" : "\r\nContent-Type: application/json\r\nContent-Length: " + body.length)
                    + "\r\nAccept: application/json\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            byte[] all;
            try {
                all = socket.getInputStream().readAllBytes();
            } catch (java.net.SocketTimeoutException e) {
                throw new IllegalStateException(method + " " + path + ": no answer within " + REQUEST_TIMEOUT.toSeconds() + " s", e);
            }
            return parse(all, method + " " + path);
        }
    }

    /** Status 200 and the JSON body of a whole HTTP/1.1 response (Content-Length or chunked). */
    JsonNode parse(byte[] response, String what) throws IOException {
        int head = indexOf(response, new byte[] {'\r', '\n', '\r', '\n'});
        if (head < 0) {
            throw new IllegalStateException(what + ": incomplete response (" + response.length + " bytes)");
        }
        String[] lines = new String(response, 0, head, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] status = lines[0].split(" ", 3);
        byte[] body = Arrays.copyOfRange(response, head + 4, response.length);
        boolean chunked = false;
        for (String line : lines) {
            if (line.toLowerCase(Locale.ROOT).startsWith("transfer-encoding:") && line.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            body = dechunk(body);
        }
        if (status.length < 2 || !status[1].equals("200")) {
            throw new IllegalStateException(what + ": " + lines[0] + " " + new String(body, StandardCharsets.UTF_8));
        }
        return json.readTree(body);
    }

    private static byte[] dechunk(byte[] b) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(b.length);
        int i = 0;
        while (i < b.length) {
            int eol = indexOf(Arrays.copyOfRange(b, i, b.length), new byte[] {'\r', '\n'});
            int size = Integer.parseInt(new String(b, i, eol, StandardCharsets.US_ASCII).split(";")[0].trim(), 16);
            i += eol + 2;
            if (size == 0) {
                break;
            }
            out.write(b, i, size);
            i += size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] b, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= b.length; i++) {
            for (int k = 0; k < what.length; k++) {
                if (b[i + k] != what[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }
}
