package io.hepstack.proto.pcap;

import java.io.IOException;
import java.io.InputStream;

/** An input stream that counts its offset and reads fully unless the stream ends. */
final class CaptureInput {
    private final InputStream in;
    private long offset;

    CaptureInput(InputStream in) {
        this.in = in;
    }

    long offset() {
        return offset;
    }

    /** Reads {@code len} bytes, fewer only when the stream ends; returns how many were read. */
    int read(byte[] b, int off, int len) throws IOException {
        int n = 0;
        while (n < len) {
            int r = in.read(b, off + n, len - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        offset += n;
        return n;
    }

    /** Skips {@code len} bytes, fewer only when the stream ends; returns how many were skipped. */
    long skip(long len) throws IOException {
        long n = 0;
        byte[] scratch = null;
        while (n < len) {
            long s = in.skip(len - n);
            if (s <= 0) {
                if (scratch == null) {
                    scratch = new byte[8192];
                }
                int r = in.read(scratch, 0, (int) Math.min(scratch.length, len - n));
                if (r < 0) {
                    break;
                }
                s = r;
            }
            n += s;
        }
        offset += n;
        return n;
    }
}
