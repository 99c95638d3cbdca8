package io.hepstack.ingest.listen;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import io.netty.channel.Channel;

/**
 * What the listeners hand each HEP packet to (the collector's pipeline), on the event-loop thread
 * that read it. Never blocks, never throws, never releases the buffer.
 */
public interface HepReceiver {

    /** A datagram from {@code sender}: taken, or dropped and counted when the collector is full. */
    void acceptDatagram(ByteBuf datagram, Transport transport, InetSocketAddress sender);

    /** A frame of a stream: always taken; the channel stops reading while the collector is full. */
    void acceptFrame(ByteBuf frame, Transport transport, Channel channel);

    /** Whether some stream connection is paused by backpressure (it has unread data). */
    boolean anyPaused();

    /** A stream connection closed: it no longer waits to be resumed. */
    void closed(Channel channel);
}
