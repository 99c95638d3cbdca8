package io.hepstack.ingest;

import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.model.CapturedMessage;

/** Turns an accepted HEP packet into the row to store. Never throws: unparsable SIP is still a row. */
@FunctionalInterface
public interface RowExtractor {

    CapturedMessage extract(HepPacket packet);
}
