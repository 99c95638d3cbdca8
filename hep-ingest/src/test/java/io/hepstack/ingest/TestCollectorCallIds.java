package io.hepstack.ingest;

import io.hepstack.proto.model.ExtractionSettings;
import io.hepstack.proto.model.MessageExtractor;
import io.hepstack.proto.hep.HepDecoder;
import io.hepstack.proto.model.CapturedMessage;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** The Call-IDs of datagrams, extracted as the collector does. */
final class TestCollectorCallIds {

    Set<String> of(List<byte[]> datagrams) {
        HepDecoder decoder = new HepDecoder();
        MessageExtractor extractor = new MessageExtractor(ExtractionSettings.DEFAULT);
        return datagrams.stream().map(d -> {
            try {
                return extractor.extract(decoder.decode(d));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).map(CapturedMessage::callId).filter(Objects::nonNull).collect(Collectors.toSet());
    }
}
