package io.ringwal.format;

import java.nio.ByteOrder;
import java.util.zip.CRC32C;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Layout of the header at the start of every segment file. All fields are little-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  Magic "RINGWAL1" (8 bytes)                    |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        Format Version                         |  8
 *  +---------------------------------------------------------------+
 *  |                 Header Length (= 64, frames start here)       | 12
 *  +---------------------------------------------------------------+
 *  |                   Segment Size in bytes (int64)               | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |              Base Sequence: first record's sequence (int64)   | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |     Previous Segment's Base Sequence, -1 for the first (int64)| 32
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |              Journal Id, random, same in every segment (int64)| 40
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Created, epoch milliseconds (int64)           | 48
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                      Reserved (zero)                          | 56
 *  +---------------------------------------------------------------+
 *  |             Header CRC32C over bytes [0, 60)                  | 60
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class SegmentHeaderDescriptor
{
    /** Byte order of every persisted field. */
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    /** The magic number: the ASCII bytes {@code RINGWAL1} read as a little-endian long. */
    public static final long MAGIC = 0x314C4157474E4952L;

    /** The format version this code writes and reads. */
    public static final int CURRENT_VERSION = 2;

    /** The oldest format version this code reads (and continues: new segments are always written in the current one). */
    public static final int OLDEST_READABLE_VERSION = 1;

    /**
     * Header flag (format version 2): the file was used before by an older segment of the same journal and was
     * recycled, so the bytes after this segment's last frame are stale frames of that earlier use (every one of
     * them has a sequence below this segment's base sequence).
     */
    public static final int FLAG_RECYCLED = 1;

    /** Offset of the magic number. */
    public static final int MAGIC_OFFSET;
    /** Offset of the format version. */
    public static final int VERSION_OFFSET;
    /** Offset of the header length. */
    public static final int HEADER_LENGTH_OFFSET;
    /** Offset of the segment size. */
    public static final int SEGMENT_SIZE_OFFSET;
    /** Offset of the base sequence. */
    public static final int BASE_SEQUENCE_OFFSET;
    /** Offset of the previous segment's base sequence. */
    public static final int PREVIOUS_BASE_SEQUENCE_OFFSET;
    /** Offset of the journal id. */
    public static final int JOURNAL_ID_OFFSET;
    /** Offset of the creation time. */
    public static final int CREATED_OFFSET;
    /** Offset of the reserved word. */
    public static final int RESERVED_OFFSET;
    /** Offset of the flags word (format version 2; the reserved word of version 1, always 0 there). */
    public static final int FLAGS_OFFSET;
    /** Offset of the header's own CRC32C. */
    public static final int HEADER_CRC_OFFSET;
    /** Length of the header; the first frame starts at this offset. */
    public static final int HEADER_LENGTH;

    static
    {
        int offset = 0;
        MAGIC_OFFSET = offset;
        offset += Long.BYTES;
        VERSION_OFFSET = offset;
        offset += Integer.BYTES;
        HEADER_LENGTH_OFFSET = offset;
        offset += Integer.BYTES;
        SEGMENT_SIZE_OFFSET = offset;
        offset += Long.BYTES;
        BASE_SEQUENCE_OFFSET = offset;
        offset += Long.BYTES;
        PREVIOUS_BASE_SEQUENCE_OFFSET = offset;
        offset += Long.BYTES;
        JOURNAL_ID_OFFSET = offset;
        offset += Long.BYTES;
        CREATED_OFFSET = offset;
        offset += Long.BYTES;
        RESERVED_OFFSET = offset;
        FLAGS_OFFSET = offset;
        offset += Integer.BYTES;
        HEADER_CRC_OFFSET = offset;
        offset += Integer.BYTES;
        HEADER_LENGTH = offset;
    }

    /** Smallest segment size accepted: 64 KiB. */
    public static final int MIN_SEGMENT_SIZE = 64 * 1024;

    /** Largest segment size accepted: 1 GiB. */
    public static final int MAX_SEGMENT_SIZE = 1024 * 1024 * 1024;

    /** Value of the previous-base field in the first segment a journal ever had. */
    public static final long NO_PREVIOUS_SEGMENT = -1L;

    private SegmentHeaderDescriptor()
    {
    }

    /**
     * Writes a complete header, CRC included, at index 0 of {@code buffer}.
     *
     * @param buffer              the buffer holding the segment's first bytes.
     * @param segmentSize         the size of the segment file.
     * @param baseSequence        the sequence of the first record the segment will hold.
     * @param previousBaseSequence the previous segment's base sequence, or {@link #NO_PREVIOUS_SEGMENT}.
     * @param journalId           the journal's id.
     * @param createdEpochMillis  the creation time.
     */
    public static void write(
        final MutableDirectBuffer buffer,
        final long segmentSize,
        final long baseSequence,
        final long previousBaseSequence,
        final long journalId,
        final long createdEpochMillis)
    {
        write(buffer, segmentSize, baseSequence, previousBaseSequence, journalId, createdEpochMillis, 0);
    }

    /**
     * Writes a header of the current version with the given flags, CRC included.
     *
     * @param buffer               the segment buffer (offset 0 is the header).
     * @param segmentSize          the segment size.
     * @param baseSequence         the sequence of the segment's first record.
     * @param previousBaseSequence the previous segment's base sequence, {@link #NO_PREVIOUS_SEGMENT} for the first.
     * @param journalId            the journal id.
     * @param createdEpochMillis   the creation time.
     * @param flags                the flags, e.g. {@link #FLAG_RECYCLED}.
     */
    public static void write(
        final MutableDirectBuffer buffer,
        final long segmentSize,
        final long baseSequence,
        final long previousBaseSequence,
        final long journalId,
        final long createdEpochMillis,
        final int flags)
    {
        buffer.putLong(MAGIC_OFFSET, MAGIC, BYTE_ORDER);
        buffer.putInt(VERSION_OFFSET, CURRENT_VERSION, BYTE_ORDER);
        buffer.putInt(HEADER_LENGTH_OFFSET, HEADER_LENGTH, BYTE_ORDER);
        buffer.putLong(SEGMENT_SIZE_OFFSET, segmentSize, BYTE_ORDER);
        buffer.putLong(BASE_SEQUENCE_OFFSET, baseSequence, BYTE_ORDER);
        buffer.putLong(PREVIOUS_BASE_SEQUENCE_OFFSET, previousBaseSequence, BYTE_ORDER);
        buffer.putLong(JOURNAL_ID_OFFSET, journalId, BYTE_ORDER);
        buffer.putLong(CREATED_OFFSET, createdEpochMillis, BYTE_ORDER);
        buffer.putInt(FLAGS_OFFSET, flags, BYTE_ORDER);
        buffer.putInt(HEADER_CRC_OFFSET, computeCrc(buffer), BYTE_ORDER);
    }

    /**
     * Computes the header CRC32C over bytes {@code [0, HEADER_CRC_OFFSET)} of {@code buffer}.
     *
     * @param buffer the buffer holding the header at index 0.
     * @return the CRC32C as an int.
     */
    public static int computeCrc(final DirectBuffer buffer)
    {
        final byte[] bytes = new byte[HEADER_CRC_OFFSET];
        buffer.getBytes(0, bytes);
        final CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length);
        return (int)crc.getValue();
    }

    /**
     * Checks a header and returns why it is not valid, or {@code null} if it is.
     *
     * @param buffer the buffer holding the header at index 0.
     * @return a description of the first problem found, or {@code null} when the header is valid.
     */
    public static String validate(final DirectBuffer buffer)
    {
        final long magic = buffer.getLong(MAGIC_OFFSET, BYTE_ORDER);
        if (magic == 0 && buffer.getInt(HEADER_CRC_OFFSET, BYTE_ORDER) == 0)
        {
            return "empty header (all zero)";
        }
        if (magic != MAGIC)
        {
            return "bad magic 0x" + Long.toHexString(magic) + " (not a ringwal segment)";
        }
        final int storedCrc = buffer.getInt(HEADER_CRC_OFFSET, BYTE_ORDER);
        final int actualCrc = computeCrc(buffer);
        if (storedCrc != actualCrc)
        {
            return "header CRC mismatch: stored=0x" + Integer.toHexString(storedCrc) +
                " computed=0x" + Integer.toHexString(actualCrc);
        }
        final int version = buffer.getInt(VERSION_OFFSET, BYTE_ORDER);
        if (version < OLDEST_READABLE_VERSION || version > CURRENT_VERSION)
        {
            return "unsupported format version " + version + " (this build reads versions " +
                OLDEST_READABLE_VERSION + " to " + CURRENT_VERSION + ")";
        }
        final int headerLength = buffer.getInt(HEADER_LENGTH_OFFSET, BYTE_ORDER);
        if (headerLength != HEADER_LENGTH)
        {
            return "header length " + headerLength + " (expected " + HEADER_LENGTH + ")";
        }
        final long segmentSize = buffer.getLong(SEGMENT_SIZE_OFFSET, BYTE_ORDER);
        if (!isValidSegmentSize(segmentSize))
        {
            return "impossible segment size " + segmentSize;
        }
        if (buffer.getLong(BASE_SEQUENCE_OFFSET, BYTE_ORDER) < 0)
        {
            return "negative base sequence " + buffer.getLong(BASE_SEQUENCE_OFFSET, BYTE_ORDER);
        }
        return null;
    }

    /**
     * Whether a size is a power of two between {@link #MIN_SEGMENT_SIZE} and {@link #MAX_SEGMENT_SIZE}.
     *
     * @param segmentSize the size to check.
     * @return true if it is an acceptable segment size.
     */
    public static boolean isValidSegmentSize(final long segmentSize)
    {
        return segmentSize >= MIN_SEGMENT_SIZE && segmentSize <= MAX_SEGMENT_SIZE && Long.bitCount(segmentSize) == 1;
    }

    /**
     * Reads the segment size field.
     *
     * @param buffer the buffer holding the header at index 0.
     * @return the segment size.
     */
    public static long segmentSize(final DirectBuffer buffer)
    {
        return buffer.getLong(SEGMENT_SIZE_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads the base sequence field.
     *
     * @param buffer the buffer holding the header at index 0.
     * @return the base sequence.
     */
    public static long baseSequence(final DirectBuffer buffer)
    {
        return buffer.getLong(BASE_SEQUENCE_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads the previous segment's base sequence.
     *
     * @param buffer the buffer holding the header at index 0.
     * @return the previous base sequence, or {@link #NO_PREVIOUS_SEGMENT}.
     */
    public static long previousBaseSequence(final DirectBuffer buffer)
    {
        return buffer.getLong(PREVIOUS_BASE_SEQUENCE_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads the journal id.
     *
     * @param buffer the buffer holding the header at index 0.
     * @return the journal id.
     */
    public static long journalId(final DirectBuffer buffer)
    {
        return buffer.getLong(JOURNAL_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads the format version.
     *
     * @param buffer the buffer holding the header at index 0.
     * @return the format version.
     */
    public static int version(final DirectBuffer buffer)
    {
        return buffer.getInt(VERSION_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads the flags (0 in a version-1 header).
     * @param buffer the header buffer.
     * @return the flags.
     */
    public static int flags(final DirectBuffer buffer)
    {
        return buffer.getInt(FLAGS_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads the creation time.
     * @param buffer the header buffer.
     * @return epoch milliseconds.
     */
    public static long createdEpochMillis(final DirectBuffer buffer)
    {
        return buffer.getLong(CREATED_OFFSET, BYTE_ORDER);
    }
}
