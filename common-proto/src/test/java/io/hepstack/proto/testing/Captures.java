package io.hepstack.proto.testing;

import io.hepstack.proto.hep.HepDecodeException;
import io.hepstack.proto.hep.HepDecoder;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.ExtractionSettings;
import io.hepstack.proto.model.MessageExtractor;
import io.hepstack.proto.pcap.PcapPacket;
import io.hepstack.proto.pcap.PcapReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The real captures of the test resources as the collector stores them: each HEP packet decoded and
 * extracted with {@code settings}, in capture order. Shared by every module's tests (common-proto's
 * test-jar).
 */
public final class Captures {

    /** The Kamailio siptrace capture: 580 HEPv3 datagrams, 80 Call-IDs (its README). */
    public static final String KAMAILIO_HEP_PCAP = "/fixtures/kamailio-siptrace/hep.pcap";

    /** The folder of Kamailio's {@code hlog()} packets: one HEP datagram per file (its README). */
    public static final String KAMAILIO_HLOG = "/fixtures/kamailio-hlog/";

    private Captures() {
    }

    /** The Kamailio siptrace capture's messages. */
    public static List<CapturedMessage> kamailio(ExtractionSettings settings) {
        MessageExtractor extractor = new MessageExtractor(settings);
        HepDecoder decoder = new HepDecoder();
        List<CapturedMessage> rows = new ArrayList<>();
        try (InputStream in = open(KAMAILIO_HEP_PCAP)) {
            PcapReader.read(in, (PcapPacket p) -> {
                try {
                    rows.add(extractor.extract(decoder.decode(p.payload())));
                } catch (HepDecodeException e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /** The messages of the named {@code hlog()} packets ({@code invite.bin}, {@code hlog-error.bin}...), in that order. */
    public static List<CapturedMessage> kamailioHlog(ExtractionSettings settings, String... names) {
        MessageExtractor extractor = new MessageExtractor(settings);
        List<CapturedMessage> rows = new ArrayList<>();
        for (String name : names) {
            try (InputStream in = open(KAMAILIO_HLOG + name)) {
                rows.add(extractor.extract(new HepDecoder().decode(in.readAllBytes())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (HepDecodeException e) {
                throw new IllegalStateException(e);
            }
        }
        return rows;
    }

    private static InputStream open(String resource) {
        InputStream in = Captures.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("missing test resource " + resource + " (common-proto test-jar)");
        }
        return in;
    }
}
