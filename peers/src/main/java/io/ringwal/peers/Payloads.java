package io.ringwal.peers;

/**
 * The records every contender stores: printable ASCII (so Log4j's {@code %m%n} layout stores the same bytes),
 * encoding the producer id and the producer's own counter, then a filler that depends on both, so read-back can
 * check the count, each producer's order and the content.
 *
 * <pre>
 *   'P' producer-digit counter(16 lower-case hex digits) ':' filler...
 * </pre>
 * The filler byte at index {@code i} is {@code 'a' + (counter * 7 + producer * 13 + i) % 26}. Filling a payload
 * copies one of 26 precomputed templates and writes the 16 counter digits, so making a record costs the producer
 * one array copy.
 */
public final class Payloads
{
    /** Smallest record size. */
    public static final int MIN_SIZE = 24;
    /** Offset of the 16 hex digits of the counter. */
    public static final int COUNTER_OFFSET = 2;
    /** Offset of the filler. */
    public static final int FILLER_OFFSET = 19;

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final int producer;
    private final int size;
    private final byte[][] templates = new byte[26][];

    /**
     * Payloads of one producer.
     *
     * @param producer the producer id, 0..9.
     * @param size     the record size.
     */
    public Payloads(final int producer, final int size)
    {
        this.producer = producer;
        this.size = size;
        for (int r = 0; r < 26; r++)
        {
            final byte[] t = new byte[size];
            t[0] = 'P';
            t[1] = (byte)('0' + producer);
            t[FILLER_OFFSET - 1] = ':';
            for (int i = FILLER_OFFSET; i < size; i++)
            {
                t[i] = (byte)('a' + (r * 7 + producer * 13 + i) % 26);
            }
            templates[r] = t;
        }
    }

    /**
     * Writes the record with this counter into {@code target} (length {@link #size()}).
     *
     * @param counter the producer's counter.
     * @param target  the array to fill.
     */
    public void fill(final long counter, final byte[] target)
    {
        System.arraycopy(templates[(int)(counter % 26)], 0, target, 0, size);
        long c = counter;
        for (int i = COUNTER_OFFSET + 15; i >= COUNTER_OFFSET; i--)
        {
            target[i] = HEX[(int)(c & 0xF)];
            c >>>= 4;
        }
    }

    /**
     * The record size.
     *
     * @return bytes.
     */
    public int size()
    {
        return size;
    }

    /**
     * The producer id of a record, or -1 if the first two bytes are not a record header.
     *
     * @param record the record bytes.
     * @param offset where it starts.
     * @return the producer id, or -1.
     */
    public static int producerOf(final byte[] record, final int offset)
    {
        if (record[offset] != 'P')
        {
            return -1;
        }
        final int p = record[offset + 1] - '0';
        return p >= 0 && p <= 9 ? p : -1;
    }

    /**
     * The counter of a record, or -1 if the digits are not hex.
     *
     * @param record the record bytes.
     * @param offset where it starts.
     * @return the counter, or -1.
     */
    public static long counterOf(final byte[] record, final int offset)
    {
        long c = 0;
        for (int i = COUNTER_OFFSET; i < COUNTER_OFFSET + 16; i++)
        {
            final int b = record[offset + i];
            final int d = b >= '0' && b <= '9' ? b - '0' : b >= 'a' && b <= 'f' ? b - 'a' + 10 : -1;
            if (d < 0)
            {
                return -1;
            }
            c = (c << 4) | d;
        }
        return c;
    }

    /**
     * Whether the record's bytes are exactly what {@link #fill} writes for its producer and counter.
     *
     * @param record the record bytes.
     * @param offset where it starts.
     * @param length its length.
     * @param counter the counter it carries.
     * @return true if intact.
     */
    public boolean matches(final byte[] record, final int offset, final int length, final long counter)
    {
        if (length != size || record[offset + FILLER_OFFSET - 1] != ':')
        {
            return false;
        }
        final byte[] t = templates[(int)(counter % 26)];
        return java.util.Arrays.equals(record, offset + FILLER_OFFSET, offset + size, t, FILLER_OFFSET, size);
    }
}
