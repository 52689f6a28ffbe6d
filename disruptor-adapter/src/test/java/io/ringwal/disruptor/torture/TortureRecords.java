package io.ringwal.disruptor.torture;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The records torture children publish: the content is derived from (producer id, per-producer counter), so a
 * parent that never saw what was published can still check every recovered byte.
 *
 * <pre>
 *   0      4        12      16
 *   +------+--------+-------+---------------------------------------+
 *   | prod | counter| length| filler(prod, counter, i) ...          |
 *   +------+--------+-------+---------------------------------------+
 * </pre>
 */
public final class TortureRecords
{
    /** Bytes before the filler. */
    public static final int HEADER = 16;
    /** The longest record. */
    public static final int MAX_LENGTH = HEADER + 239;

    private TortureRecords()
    {
    }

    /**
     * The length of the record of this producer and counter.
     *
     * @param producer the producer id.
     * @param counter  the per-producer counter.
     * @return the length.
     */
    public static int length(final int producer, final long counter)
    {
        return HEADER + Math.floorMod(counter * 7919 + producer * 104729L, 240);
    }

    private static byte filler(final int producer, final long counter, final int index)
    {
        return (byte)(producer * 31 + counter * 131 + index * 7 + 1);
    }

    /**
     * Writes the record into a buffer at index 0.
     *
     * @param buffer   the target.
     * @param producer the producer id.
     * @param counter  the per-producer counter.
     * @return the record length.
     */
    public static int encode(final MutableDirectBuffer buffer, final int producer, final long counter)
    {
        final int length = length(producer, counter);
        buffer.putInt(0, producer, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(4, counter, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(12, length, ByteOrder.LITTLE_ENDIAN);
        for (int i = HEADER; i < length; i++)
        {
            buffer.putByte(i, filler(producer, counter, i));
        }
        return length;
    }

    /**
     * The producer id of a record.
     *
     * @param buffer the buffer.
     * @param offset the record's offset.
     * @return the producer id.
     */
    public static int producer(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The counter of a record.
     *
     * @param buffer the buffer.
     * @param offset the record's offset.
     * @return the counter.
     */
    public static long counter(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + 4, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Checks that a record is byte-identical to what its producer published.
     *
     * @param sequence the record's journal sequence (for the message).
     * @param buffer   the buffer.
     * @param offset   the record's offset.
     * @param length   the record's length.
     * @param producers how many producers there are.
     * @return null if intact, else what is wrong.
     */
    public static String check(
        final long sequence, final DirectBuffer buffer, final int offset, final int length, final int producers)
    {
        if (length < HEADER)
        {
            return "sequence " + sequence + ": length " + length + " < " + HEADER;
        }
        final int producer = producer(buffer, offset);
        final long counter = counter(buffer, offset);
        if (producer < 0 || producer >= producers || counter < 0)
        {
            return "sequence " + sequence + ": producer " + producer + " counter " + counter + " out of range";
        }
        final int expected = length(producer, counter);
        if (length != expected || buffer.getInt(offset + 12, ByteOrder.LITTLE_ENDIAN) != expected)
        {
            return "sequence " + sequence + ": length " + length + " where " + expected + " was published";
        }
        for (int i = HEADER; i < length; i++)
        {
            if (buffer.getByte(offset + i) != filler(producer, counter, i))
            {
                return "sequence " + sequence + ": byte " + i + " differs from what producer " + producer +
                    " published as counter " + counter;
            }
        }
        return null;
    }
}
