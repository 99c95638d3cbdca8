package io.hepstack.api.importer;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import reactor.core.publisher.Flux;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A multipart upload's request whose body ends after {@code limit} bytes with the form's closing delimiter: the
 * multipart parser then ends the parts it is in as if the form had ended there, and the body still sent is not
 * read. An upload refused for its size is so never cancelled inside Spring's multipart reader, which leaks the
 * pooled buffers its parser has queued when it is cancelled (spring-framework#37115: its tokens are not
 * {@code DataBuffer}s, so no discard hook of the application releases them). {@link #cut()} says whether the body
 * was cut; the refusal is then the caller's.
 */
final class BoundedUpload extends ServerHttpRequestDecorator {

    private final long limit;
    private final byte[] closing;
    private final AtomicBoolean cut = new AtomicBoolean();

    /**
     * The request of a {@code multipart/*} upload, its body cut after {@code limit} bytes; {@code null} when its
     * Content-Type names no boundary.
     */
    static BoundedUpload of(ServerHttpRequest request, long limit) {
        MediaType type = request.getHeaders().getContentType();
        String boundary = type == null ? null : type.getParameter("boundary");
        if (boundary != null && boundary.length() > 1 && boundary.startsWith("\"") && boundary.endsWith("\"")) {
            boundary = boundary.substring(1, boundary.length() - 1);
        }
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70) { // RFC 2046 §5.1.1: 1 to 70 characters
            return null;
        }
        return new BoundedUpload(request, limit, boundary);
    }

    private BoundedUpload(ServerHttpRequest request, long limit, String boundary) {
        super(request);
        this.limit = limit;
        this.closing = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Whether the body was cut at the limit (the client sent more). */
    boolean cut() {
        return cut.get();
    }

    @Override
    public Flux<DataBuffer> getBody() {
        return Flux.defer(() -> {
            long[] read = {0};
            return super.getBody().<DataBuffer>handle((buffer, sink) -> {
                read[0] += buffer.readableByteCount();
                if (read[0] <= limit) {
                    sink.next(buffer);
                    return;
                }
                DataBufferUtils.release(buffer);
                if (cut.compareAndSet(false, true)) {
                    sink.next(buffer.factory().wrap(closing.clone()));
                }
                sink.complete(); // the rest of the body is not read
            }).doOnDiscard(DataBuffer.class, DataBufferUtils::release);
        });
    }
}
