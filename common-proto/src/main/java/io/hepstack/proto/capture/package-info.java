/**
 * What a capture file carries for a collector: HEP packets and plain SIP messages, cut out of UDP
 * datagrams and reassembled TCP streams ({@link io.hepstack.proto.capture.CaptureSplitter}).
 * Shared by {@code hep-tools replay} and homer-api's pcap import.
 */
package io.hepstack.proto.capture;
