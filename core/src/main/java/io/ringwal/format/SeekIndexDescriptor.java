package io.ringwal.format;

import java.nio.ByteOrder;
import java.util.zip.CRC32C;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Layout of a segment's seek index file ({@code <20 digits>.seg.idx}, layout version 1): a sparse list of
 * (sequence, offset) pairs of frames of one segment, taken by the writer along the chain of frames, so that a
 * reader can start walking frame headers close to the sequence it seeks. All fields are little-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  Magic "RWSEEKI1" (8 bytes)                   |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                   Layout Version (int32) = 1                  |  8
 *  +---------------------------------------------------------------+
 *  |                     Entry Count n (int32)                     | 12
 *  +---------------------------------------------------------------+
 *  |              Segment Size, as in its header (int64)           | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |             Segment Base Sequence, as in its header (int64)   | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |               Journal Id, as in the segment header (int64)    | 32
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |             Segment Created, as in its header (int64)         | 40
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                Segment Header CRC, as in its header           | 48
 *  +---------------------------------------------------------------+
 *  |                   Stride in bytes (int32)                     | 52
 *  +---------------------------------------------------------------+
 *  |                        Reserved (zero)                        | 56
 *  +---------------------------------------------------------------+
 *  |      CRC32C over bytes [0, 60) then every entry's 16 bytes    | 60
 *  +---------------------------------------------------------------+
 *  |                 Entry 0: frame sequence (int64)               | 64
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Entry 0: frame offset (int32)                 | 72
 *  +---------------------------------------------------------------+
 *  |                 Entry 0: reserved (zero)                      | 76
 *  +---------------------------------------------------------------+
 *  |                 Entry 1 ...                                  ... 80
 * </pre>
 *
 * The file is exactly {@code 64 + 16 n} bytes. Entries are in ascending offset and sequence order, each naming
 * the offset of a frame and the sequence that frame has.
 */
public final class SeekIndexDescriptor
{
    /** Byte order of every persisted field. */
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    /** The magic number: the ASCII bytes {@code RWSEEKI1} read as a little-endian long. */
    public static final long MAGIC = 0x31494B4545535752L;

    /** The layout version this code writes and reads. */
    public static final int VERSION = 1;

    /** Offset of the magic number. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the layout version. */
    public static final int VERSION_OFFSET = 8;
    /** Offset of the entry count. */
    public static final int ENTRY_COUNT_OFFSET = 12;
    /** Offset of the segment size. */
    public static final int SEGMENT_SIZE_OFFSET = 16;
    /** Offset of the segment's base sequence. */
    public static final int BASE_SEQUENCE_OFFSET = 24;
    /** Offset of the journal id. */
    public static final int JOURNAL_ID_OFFSET = 32;
    /** Offset of the segment's creation time. */
    public static final int CREATED_OFFSET = 40;
    /** Offset of the copy of the segment header's CRC. */
    public static final int SEGMENT_HEADER_CRC_OFFSET = 48;
    /** Offset of the stride. */
    public static final int STRIDE_OFFSET = 52;
    /** Offset of the reserved word. */
    public static final int RESERVED_OFFSET = 56;
    /** Offset of the file's CRC32C. */
    public static final int CRC_OFFSET = 60;
    /** Length of the header; entries start here. */
    public static final int HEADER_LENGTH = 64;

    /** Offset of an entry's frame sequence, within the entry. */
    public static final int ENTRY_SEQUENCE_OFFSET = 0;
    /** Offset of an entry's frame offset, within the entry. */
    public static final int ENTRY_FRAME_OFFSET_OFFSET = 8;
    /** Offset of an entry's reserved word, within the entry. */
    public static final int ENTRY_RESERVED_OFFSET = 12;
    /** Length of an entry. */
    public static final int ENTRY_LENGTH = 16;

    /** At most this many entries are written for one segment. */
    public static final int MAX_ENTRIES = 4096;

    /** The smallest stride this build writes. */
    public static final int MIN_STRIDE = 64 * 1024;

    private SeekIndexDescriptor()
    {
    }

    /**
     * The stride this build writes for a segment size: the writer takes the first frame that starts at or after
     * each multiple of it (except 0), so consecutive entries are about this far apart.
     *
     * @param segmentSize the segment size, a power of two.
     * @return the stride in bytes, a power of two.
     */
    public static int stride(final int segmentSize)
    {
        return Math.max(MIN_STRIDE, segmentSize / MAX_ENTRIES);
    }

    /**
     * The length of an index file with {@code entries} entries.
     *
     * @param entries the entry count.
     * @return the file length in bytes.
     */
    public static int fileLength(final int entries)
    {
        return HEADER_LENGTH + entries * ENTRY_LENGTH;
    }

    /**
     * The offset of entry {@code index} in the file.
     *
     * @param index the entry index.
     * @return its offset.
     */
    public static int entryOffset(final int index)
    {
        return HEADER_LENGTH + index * ENTRY_LENGTH;
    }

    /**
     * Encodes an index file for a segment.
     *
     * @param into          receives the file, from offset 0; a buffer over a byte array of at least
     *                      {@link #fileLength(int) fileLength(count)} bytes.
     * @param segmentHeader the segment's 64-byte header.
     * @param stride        the stride the entries were taken at.
     * @param sequences     the entries' frame sequences, ascending.
     * @param offsets       the entries' frame offsets, ascending.
     * @param count         the number of entries.
     * @return the file length.
     */
    public static int encode(
        final MutableDirectBuffer into,
        final DirectBuffer segmentHeader,
        final int stride,
        final long[] sequences,
        final int[] offsets,
        final int count)
    {
        into.putLong(MAGIC_OFFSET, MAGIC, BYTE_ORDER);
        into.putInt(VERSION_OFFSET, VERSION, BYTE_ORDER);
        into.putInt(ENTRY_COUNT_OFFSET, count, BYTE_ORDER);
        into.putLong(SEGMENT_SIZE_OFFSET, SegmentHeaderDescriptor.segmentSize(segmentHeader), BYTE_ORDER);
        into.putLong(BASE_SEQUENCE_OFFSET, SegmentHeaderDescriptor.baseSequence(segmentHeader), BYTE_ORDER);
        into.putLong(JOURNAL_ID_OFFSET, SegmentHeaderDescriptor.journalId(segmentHeader), BYTE_ORDER);
        into.putLong(CREATED_OFFSET, SegmentHeaderDescriptor.createdEpochMillis(segmentHeader), BYTE_ORDER);
        into.putInt(SEGMENT_HEADER_CRC_OFFSET, segmentHeaderCrc(segmentHeader), BYTE_ORDER);
        into.putInt(STRIDE_OFFSET, stride, BYTE_ORDER);
        into.putInt(RESERVED_OFFSET, 0, BYTE_ORDER);
        for (int i = 0; i < count; i++)
        {
            final int entry = entryOffset(i);
            into.putLong(entry + ENTRY_SEQUENCE_OFFSET, sequences[i], BYTE_ORDER);
            into.putInt(entry + ENTRY_FRAME_OFFSET_OFFSET, offsets[i], BYTE_ORDER);
            into.putInt(entry + ENTRY_RESERVED_OFFSET, 0, BYTE_ORDER);
        }
        final int length = fileLength(count);
        into.putInt(CRC_OFFSET, crc(into, length), BYTE_ORDER);
        return length;
    }

    /**
     * Checks an index file against the segment it claims to index: its length, magic, version, CRC and the copy of
     * the segment's identity (size, base sequence, journal id, creation time and header CRC). The entries are not
     * checked here: a reader checks the one it uses against the frame it names.
     *
     * @param file          the file's bytes, from offset 0.
     * @param length        the file's length.
     * @param segmentHeader the segment's validated 64-byte header.
     * @return null if the file is a valid index of that segment, otherwise what is wrong.
     */
    public static String validate(final DirectBuffer file, final int length, final DirectBuffer segmentHeader)
    {
        if (length < HEADER_LENGTH)
        {
            return "file is " + length + " bytes, shorter than the " + HEADER_LENGTH + "-byte header";
        }
        if (file.getLong(MAGIC_OFFSET, BYTE_ORDER) != MAGIC)
        {
            return "bad magic 0x" + Long.toHexString(file.getLong(MAGIC_OFFSET, BYTE_ORDER));
        }
        final int version = file.getInt(VERSION_OFFSET, BYTE_ORDER);
        if (version != VERSION)
        {
            return "unsupported seek index layout version " + version + " (this build reads version " + VERSION + ")";
        }
        final int count = file.getInt(ENTRY_COUNT_OFFSET, BYTE_ORDER);
        if (count < 0 || count > (length - HEADER_LENGTH) / ENTRY_LENGTH || fileLength(count) != length)
        {
            return "entry count " + count + " does not match the file length " + length;
        }
        final int stored = file.getInt(CRC_OFFSET, BYTE_ORDER);
        final int computed = crc(file, length);
        if (stored != computed)
        {
            return "CRC mismatch: stored=0x" + Integer.toHexString(stored) + " computed=0x" +
                Integer.toHexString(computed);
        }
        final long segmentSize = SegmentHeaderDescriptor.segmentSize(segmentHeader);
        if (file.getLong(SEGMENT_SIZE_OFFSET, BYTE_ORDER) != segmentSize ||
            file.getLong(BASE_SEQUENCE_OFFSET, BYTE_ORDER) != SegmentHeaderDescriptor.baseSequence(segmentHeader) ||
            file.getLong(JOURNAL_ID_OFFSET, BYTE_ORDER) != SegmentHeaderDescriptor.journalId(segmentHeader) ||
            file.getLong(CREATED_OFFSET, BYTE_ORDER) != SegmentHeaderDescriptor.createdEpochMillis(segmentHeader) ||
            file.getInt(SEGMENT_HEADER_CRC_OFFSET, BYTE_ORDER) != segmentHeaderCrc(segmentHeader))
        {
            return "written for another segment (size, base sequence, journal id, creation time or header CRC " +
                "differ from the segment's header)";
        }
        return null;
    }

    /**
     * The last entry whose sequence is at or below {@code sequence}, by binary search over the entries (which a
     * valid file holds in ascending order).
     *
     * @param file     the file's bytes, validated.
     * @param sequence the sequence sought.
     * @return the entry index, or -1 if no entry's sequence is at or below it.
     */
    public static int floor(final DirectBuffer file, final long sequence)
    {
        int low = 0;
        int high = entryCount(file) - 1;
        int found = -1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            if (entrySequence(file, mid) <= sequence)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }
        return found;
    }

    /**
     * The number of entries.
     *
     * @param file the file's bytes.
     * @return the entry count.
     */
    public static int entryCount(final DirectBuffer file)
    {
        return file.getInt(ENTRY_COUNT_OFFSET, BYTE_ORDER);
    }

    /**
     * An entry's frame sequence.
     *
     * @param file  the file's bytes.
     * @param index the entry index.
     * @return the sequence of the frame the entry names.
     */
    public static long entrySequence(final DirectBuffer file, final int index)
    {
        return file.getLong(entryOffset(index) + ENTRY_SEQUENCE_OFFSET, BYTE_ORDER);
    }

    /**
     * An entry's frame offset.
     *
     * @param file  the file's bytes.
     * @param index the entry index.
     * @return the offset of the frame in the segment.
     */
    public static int entryFrameOffset(final DirectBuffer file, final int index)
    {
        return file.getInt(entryOffset(index) + ENTRY_FRAME_OFFSET_OFFSET, BYTE_ORDER);
    }

    private static int segmentHeaderCrc(final DirectBuffer segmentHeader)
    {
        return segmentHeader.getInt(SegmentHeaderDescriptor.HEADER_CRC_OFFSET, SegmentHeaderDescriptor.BYTE_ORDER);
    }

    private static int crc(final DirectBuffer file, final int length)
    {
        final CRC32C crc = new CRC32C();
        final byte[] array = file.byteArray();
        if (null != array)
        {
            final int base = file.wrapAdjustment();
            crc.update(array, base, CRC_OFFSET);
            crc.update(array, base + HEADER_LENGTH, length - HEADER_LENGTH);
            return (int)crc.getValue();
        }
        final byte[] bytes = new byte[Math.min(length, 64 * 1024)];
        file.getBytes(0, bytes, 0, CRC_OFFSET);
        crc.update(bytes, 0, CRC_OFFSET);
        int offset = HEADER_LENGTH;
        while (offset < length)
        {
            final int chunk = Math.min(bytes.length, length - offset);
            file.getBytes(offset, bytes, 0, chunk);
            crc.update(bytes, 0, chunk);
            offset += chunk;
        }
        return (int)crc.getValue();
    }
}
