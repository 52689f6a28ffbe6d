package io.ringwal.kafka;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The Kafka record header that carries a record's journal sequence: key {@value #KEY}, value the sequence as
 * 8 bytes, big-endian (network order, as Kafka's own {@code LongSerializer}).
 */
public final class SequenceHeader
{
    /** The header key. */
    public static final String KEY = "ringwal.sequence";

    /** The value length in bytes. */
    public static final int LENGTH = Long.BYTES;

    private SequenceHeader()
    {
    }

    /**
     * Encodes a sequence.
     *
     * @param sequence the sequence.
     * @return 8 bytes, big-endian.
     */
    public static byte[] encode(final long sequence)
    {
        final byte[] bytes = new byte[LENGTH];
        for (int i = LENGTH - 1, shift = 0; i >= 0; i--, shift += 8)
        {
            bytes[i] = (byte)(sequence >>> shift);
        }
        return bytes;
    }

    /**
     * Decodes the sequence header of a record.
     *
     * @param headers the record's headers.
     * @return the sequence, or -1 if the record has no well-formed sequence header.
     */
    public static long decode(final Headers headers)
    {
        final Header header = headers.lastHeader(KEY);
        if (header == null || header.value() == null || header.value().length != LENGTH)
        {
            return -1;
        }
        final byte[] bytes = header.value();
        long value = 0;
        for (int i = 0; i < LENGTH; i++)
        {
            value = (value << 8) | (bytes[i] & 0xFF);
        }
        return value;
    }
}
