package io.hepstack.ingest;

import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.store.MessageWriter;
import io.hepstack.proto.store.RejectedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * Stores batches in PostgreSQL with common-proto's {@link MessageWriter} (binary COPY), exactly once
 * per {@link Batch#id()}: the writer records the id in the same transaction as the rows, so a retry
 * of a batch whose commit went through but whose acknowledgement was lost stores nothing and reports
 * what that commit stored. Refused rows (SQLSTATE classes 22, 23, 54) come back as refused; any other
 * failure fails the write and the batch is retried.
 */
final class PostgresSink implements BatchSink {

    private static final Logger log = LoggerFactory.getLogger(PostgresSink.class);

    private final MessageWriter writer;

    PostgresSink(MessageWriter writer) {
        this.writer = writer;
    }

    @Override
    public Mono<List<CapturedMessage>> write(Batch batch) {
        return writer.write(batch.id(), batch.rows()).map(result -> {
            if (result.alreadyStored()) {
                log.info("batch {} was already stored (acknowledgement lost); not stored again", batch.id());
            }
            for (RejectedMessage r : result.rejected()) {
                log.debug("refused {}: {} {}", r.message(), r.sqlState(), r.error());
            }
            return result.rejected().stream().map(RejectedMessage::message).toList();
        });
    }
}
