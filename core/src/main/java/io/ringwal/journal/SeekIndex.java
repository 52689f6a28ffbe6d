package io.ringwal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.agrona.concurrent.UnsafeBuffer;

import io.ringwal.format.FrameChecksum;
import io.ringwal.format.FrameDescriptor;
import io.ringwal.format.SeekIndexDescriptor;
import io.ringwal.format.SegmentHeaderDescriptor;

import static io.ringwal.format.FrameDescriptor.HEADER_LENGTH;

/**
 * A sparse index of frame positions per segment, shared by the readers of this process, that lets a seek start
 * walking frame headers close to its target instead of at the first frame of the segment.
 *
 * <p>Entries are only ever taken from a walk along the chain of frames from the segment's first frame (the only
 * way to know a frame boundary for sure: a record's payload may itself hold valid-looking frames): the writer's,
 * which it leaves in the segment's seek index file ({@link SeekIndexFile}) when it finishes the segment, and the
 * readers' own, one entry about every {@link #stride(int)} bytes. The first seek into a segment in a process loads
 * the segment's index file if there is a valid one, then walks from the last entry at or below its target (without
 * a file: from the first frame) and records entries on the way; a later seek, by any reader of the process, starts
 * at the last entry at or below its target. Every entry is checked against the frame it names before use (length,
 * sequence, type, CRC); one that does not match (the segment was rewritten after a crash and a repair) drops the
 * segment's index.
 *
 * <p>The walk passes over exactly the frames {@link JournalReader}'s own scan passes over while skipping, and stops
 * before the first frame it does not handle the same way (anything unusual is left to the scan, which reports it).
 * A segment is identified by its path, file key, journal id, creation time and header CRC, so a recycled or
 * recreated file never uses another file's index. At most {@link #MAX_SEGMENTS} segments are indexed at once.
 */
final class SeekIndex
{
    /** At most this many segments are indexed; past it the cache starts afresh. */
    static final int MAX_SEGMENTS = 1024;

    /** At most about this many entries per segment. */
    static final int MAX_ENTRIES = 1024;

    private static final int MIN_STRIDE = 64 * 1024;

    private static final Map<Key, Entries> INDEXES = new ConcurrentHashMap<>();

    private SeekIndex()
    {
    }

    /** Where a walk stopped: the offset of the next frame to read and the sequence it must have. */
    static final class Position
    {
        int offset;
        long sequence;
    }

    /** What identifies one segment file's content. */
    private record Key(Path file, Object fileKey, long journalId, long created, int headerCrc, long size)
    {
    }

    /** The entries of one segment: ascending offsets and their frames' sequences. */
    static final class Entries
    {
        int[] offsets = new int[16];
        long[] sequences = new long[16];
        int count;
        /**
         * Whether the segment's index file was found (valid or not): looked for at every seek until then, since the
         * writer writes it only when it finishes the segment.
         */
        boolean fileLoaded;
        /** The segment's index file, valid for its header; null if absent, invalid or found wrong. */
        UnsafeBuffer file;

        int floor(final long sequence)
        {
            int low = 0;
            int high = count - 1;
            int found = -1;
            while (low <= high)
            {
                final int mid = (low + high) >>> 1;
                if (sequences[mid] <= sequence)
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

        void add(final int offset, final long sequence)
        {
            if (count == offsets.length)
            {
                offsets = Arrays.copyOf(offsets, count * 2);
                sequences = Arrays.copyOf(sequences, count * 2);
            }
            offsets[count] = offset;
            sequences[count] = sequence;
            count++;
        }

        int lastOffset()
        {
            return count == 0 ? 0 : offsets[count - 1];
        }
    }

    /**
     * The distance between two entries for a segment size.
     *
     * @param segmentSize the segment size.
     * @return the stride in bytes.
     */
    static int stride(final int segmentSize)
    {
        return Math.max(MIN_STRIDE, segmentSize / MAX_ENTRIES);
    }

    /**
     * Walks a freshly mapped segment's frames towards {@code target} and says where the reader's scan takes over:
     * at the first frame whose sequence is {@code target} or more, or earlier, at the first frame the walk does
     * not pass over (the end of the frames, damage, a padding frame).
     *
     * @param file     the segment file.
     * @param buffer   the segment, mapped whole; its first 64 bytes are the (validated) header.
     * @param view     a byte-buffer view over the same mapping, for CRCs.
     * @param checksum a checksum calculator of the calling reader.
     * @param target   the sequence the reader wants to start at.
     * @param into     receives the position.
     */
    static void walk(
        final Path file,
        final UnsafeBuffer buffer,
        final ByteBuffer view,
        final FrameChecksum checksum,
        final long target,
        final Position into)
    {
        final int size = buffer.capacity();
        final long base = SegmentHeaderDescriptor.baseSequence(buffer);
        into.offset = SegmentHeaderDescriptor.HEADER_LENGTH;
        into.sequence = base;
        if (target <= base)
        {
            return;
        }
        final Key key = key(file, buffer);
        Entries entries = null == key ? null : INDEXES.get(key);
        if (null == entries && null != key)
        {
            if (INDEXES.size() >= MAX_SEGMENTS)
            {
                INDEXES.clear();
            }
            entries = INDEXES.computeIfAbsent(key, k -> new Entries());
        }
        if (null == entries)
        {
            walkFrames(buffer, view, checksum, size, SegmentHeaderDescriptor.version(buffer), target, into, null);
            return;
        }
        synchronized (entries)
        {
            if (!entries.fileLoaded)
            {
                final UnsafeBuffer loaded = SeekIndexFile.load(file, buffer);
                if (SeekIndexFile.ABSENT != loaded)
                {
                    entries.fileLoaded = true;
                    entries.file = loaded;
                }
            }
            int offset = -1;
            long sequence = -1;
            final int floor = entries.floor(target);
            if (floor >= 0)
            {
                offset = entries.offsets[floor];
                sequence = entries.sequences[floor];
            }
            final UnsafeBuffer indexFile = entries.file;
            final int fileFloor = null == indexFile ? -1 : SeekIndexDescriptor.floor(indexFile, target);
            boolean fromFile = false;
            if (fileFloor >= 0 && SeekIndexDescriptor.entryFrameOffset(indexFile, fileFloor) > offset &&
                SeekIndexDescriptor.entrySequence(indexFile, fileFloor) <= target)
            {
                offset = SeekIndexDescriptor.entryFrameOffset(indexFile, fileFloor);
                sequence = SeekIndexDescriptor.entrySequence(indexFile, fileFloor);
                fromFile = true;
            }
            if (offset >= 0)
            {
                if (isFrame(buffer, view, checksum, size, offset, sequence))
                {
                    into.offset = offset;
                    into.sequence = sequence;
                }
                else if (fromFile)
                {
                    entries.file = null;
                }
                else
                {
                    entries.count = 0;
                }
            }
            walkFrames(buffer, view, checksum, size, SegmentHeaderDescriptor.version(buffer), target, into, entries);
        }
    }

    /** Forgets every index (for tests). */
    static void clear()
    {
        INDEXES.clear();
    }

    /**
     * How many entries the index of a segment holds (for tests).
     *
     * @param file   the segment file.
     * @param buffer the segment, mapped.
     * @return the number of entries, 0 if it is not indexed.
     */
    static int entries(final Path file, final UnsafeBuffer buffer)
    {
        final Key key = key(file, buffer);
        final Entries entries = null == key ? null : INDEXES.get(key);
        if (null == entries)
        {
            return 0;
        }
        synchronized (entries)
        {
            return entries.count;
        }
    }

    /**
     * How many entries the index file loaded for a segment holds (for tests).
     *
     * @param file   the segment file.
     * @param buffer the segment, mapped.
     * @return the number of entries, 0 if no valid index file was loaded or it was dropped.
     */
    static int fileEntries(final Path file, final UnsafeBuffer buffer)
    {
        final Key key = key(file, buffer);
        final Entries entries = null == key ? null : INDEXES.get(key);
        if (null == entries)
        {
            return 0;
        }
        synchronized (entries)
        {
            return null == entries.file ? 0 : SeekIndexDescriptor.entryCount(entries.file);
        }
    }

    private static void walkFrames(
        final UnsafeBuffer buffer,
        final ByteBuffer view,
        final FrameChecksum checksum,
        final int size,
        final int version,
        final long target,
        final Position into,
        final Entries entries)
    {
        final int stride = stride(size);
        int offset = into.offset;
        long sequence = into.sequence;
        int lastEntry = null == entries ? Integer.MAX_VALUE : entries.lastOffset();
        while (sequence < target)
        {
            final int remaining = size - offset;
            if (remaining < HEADER_LENGTH)
            {
                break;
            }
            final int length = FrameDescriptor.frameLengthVolatile(buffer, offset);
            if (length < HEADER_LENGTH || length > remaining || FrameDescriptor.sequence(buffer, offset) != sequence)
            {
                break;
            }
            final short type = FrameDescriptor.frameType(buffer, offset);
            final int next;
            final long nextSequence;
            if (FrameDescriptor.TYPE_DATA == type)
            {
                next = offset + FrameDescriptor.alignedLength(length);
                nextSequence = sequence + 1;
            }
            else if (version >= 2 && FrameDescriptor.isHeaderOnly(type) && HEADER_LENGTH == length &&
                checksum.compute(view, offset, length, type) == FrameDescriptor.crc(buffer, offset))
            {
                next = offset + HEADER_LENGTH;
                nextSequence = FrameDescriptor.TYPE_SKIPPED == type ? sequence + 1 : sequence;
            }
            else
            {
                break;
            }
            if (null != entries && offset - lastEntry >= stride)
            {
                entries.add(offset, sequence);
                lastEntry = offset;
            }
            offset = next;
            sequence = nextSequence;
        }
        into.offset = offset;
        into.sequence = sequence;
    }

    private static boolean isFrame(
        final UnsafeBuffer buffer,
        final ByteBuffer view,
        final FrameChecksum checksum,
        final int size,
        final int offset,
        final long sequence)
    {
        if (offset < SegmentHeaderDescriptor.HEADER_LENGTH || (offset & (FrameDescriptor.ALIGNMENT - 1)) != 0 ||
            size - offset < HEADER_LENGTH)
        {
            return false;
        }
        final int length = FrameDescriptor.frameLengthVolatile(buffer, offset);
        final short type = FrameDescriptor.frameType(buffer, offset);
        return length >= HEADER_LENGTH && length <= size - offset &&
            FrameDescriptor.sequence(buffer, offset) == sequence &&
            (FrameDescriptor.TYPE_DATA == type || (FrameDescriptor.isHeaderOnly(type) && HEADER_LENGTH == length)) &&
            checksum.compute(view, offset, length, type) == FrameDescriptor.crc(buffer, offset);
    }

    private static Key key(final Path file, final UnsafeBuffer header)
    {
        Object fileKey;
        try
        {
            fileKey = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        }
        catch (final IOException ex)
        {
            return null;
        }
        return new Key(file.toAbsolutePath().normalize(), Objects.requireNonNullElse(fileKey, ""),
            SegmentHeaderDescriptor.journalId(header), SegmentHeaderDescriptor.createdEpochMillis(header),
            header.getInt(SegmentHeaderDescriptor.HEADER_CRC_OFFSET, SegmentHeaderDescriptor.BYTE_ORDER),
            header.capacity());
    }
}
