package io.hepstack.proto.pcap;

/** The transport a {@link PcapMessage} is written with, carrying its IP protocol number. */
public enum Transport {
    TCP(6),
    UDP(17);

    private final int protocolNumber;

    Transport(int protocolNumber) {
        this.protocolNumber = protocolNumber;
    }

    /** The IP protocol number (IANA): 6 or 17. */
    public int protocolNumber() {
        return protocolNumber;
    }
}
