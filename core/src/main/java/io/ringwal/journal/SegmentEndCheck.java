package io.ringwal.journal;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import org.agrona.concurrent.UnsafeBuffer;

import io.ringwal.format.FrameChecksum;
import io.ringwal.format.FrameDescriptor;
import io.ringwal.format.SegmentFileNames;

import static io.ringwal.format.FrameDescriptor.HEADER_LENGTH;

/**
 * Decides, for a reader, whether the end of the frames it has reached is "not yet" (the live tail of the last
 * segment) or damage inside what the writer has finished. A segment is finished when a later segment file exists,
 * or, for the last segment, when a chain of valid frames ending in a close marker (or a padding frame) lies after
 * the zero length. The decision is made on the first poll that meets an end of the frames in a segment (in a
 * finished segment, that end is the damage), and again every {@link #RECHECK_NANOS} while the reader waits at the
 * same place; an end met later in the same segment follows frames a live writer appended after the check and is not
 * checked again until the reader waits there. So an empty poll at the live tail costs a clock read and allocates
 * nothing.
 *
 * <p>The look past a zero length in the last segment covers at most {@link #PROBE_WINDOW} bytes beyond the bytes
 * it already looked at in that segment; bytes ahead of a live writer are not written until the writer gets there,
 * so every byte is looked at once per segment, and a zeroed range longer than the window below a close marker is
 * not seen. Not thread-safe: one per reader.
 */
final class SegmentEndCheck
{
    /** How often a reader waiting at the same position checks again. */
    static final long RECHECK_NANOS = 100_000_000L;

    /** How far past a zero length the reader looks for frames that the writer finished. */
    static final int PROBE_WINDOW = 1024 * 1024;

    private final SegmentListing listing;
    private final FrameChecksum checksum = new FrameChecksum();
    private Path checkedFile;
    private int checkedOffset = -1;
    private long checkedAtNanos;
    private JournalCorruptedException damage;
    private Path gapFile;
    private long gapCheckedAtNanos;
    private Path probedFile;
    private int probedUpTo;

    SegmentEndCheck(final Path directory)
    {
        this.listing = new SegmentListing(directory);
    }

    /**
     * Called when the reader finds a zero length at {@code offset} with at least a frame header's room left.
     *
     * @return true if the length became non-zero meanwhile (read the frame), false if this is "nothing new yet".
     * @throws JournalCorruptedException if the segment is finished and so the zero length is damage.
     */
    boolean zeroLength(
        final Path file,
        final long base,
        final UnsafeBuffer buffer,
        final ByteBuffer view,
        final int size,
        final int offset,
        final long expected,
        final boolean afterCloseMarker,
        final int version)
    {
        if (!due(file, offset))
        {
            return false;
        }
        final long later = listing.firstBaseAbove(base, -1);
        if (later >= 0)
        {
            // the writer renames a later segment into place only after it finished this one, so a length written
            // before that is visible now
            if (FrameDescriptor.frameLengthVolatile(buffer, offset) != 0)
            {
                return true;
            }
            throw damage(new JournalCorruptedException(file, offset, "segment ends at offset " + offset + " without a " +
                "padding frame (" + (size - offset) + " bytes left, next sequence " + expected + "), but a later " +
                "segment " + SegmentFileNames.segmentFileName(later) + " exists"));
        }
        if (afterCloseMarker || version < 2)
        {
            return false;
        }
        final int finishedAt = probe(file, buffer, view, size, offset, expected);
        if (finishedAt < 0)
        {
            return false;
        }
        if (FrameDescriptor.frameLengthVolatile(buffer, offset) != 0)
        {
            return true; // a live writer got there while we looked
        }
        throw damage(new JournalCorruptedException(file, offset, "frames end at offset " + offset + " with a zero length " +
            "(next sequence " + expected + "), but valid frames follow up to the end of the journal at offset " +
            finishedAt + ": damage below a clean close"));
    }

    /**
     * Called when the reader finished a segment and the next one, {@code next}, does not exist.
     *
     * @throws JournalCorruptedException if a later segment exists while {@code next} is still absent: a gap.
     */
    void nextSegmentAbsent(final Path file, final long base, final Path next, final long expected)
    {
        final JournalCorruptedException known = damage;
        if (null != known && next.equals(known.file()))
        {
            throw known;
        }
        final long now = System.nanoTime();
        if (next.equals(gapFile) && now - gapCheckedAtNanos < RECHECK_NANOS)
        {
            return;
        }
        gapFile = next;
        gapCheckedAtNanos = now;
        final long later = listing.firstBaseAbove(base, expected);
        // the writer renames segments into place in order: the missing one may have appeared meanwhile
        if (later >= 0 && !Files.exists(next))
        {
            throw damage(new JournalCorruptedException(next, 0, "segment is missing: " + file.getFileName() +
                " ends before sequence " + expected + " but a later segment " +
                SegmentFileNames.segmentFileName(later) + " exists"));
        }
    }

    private JournalCorruptedException damage(final JournalCorruptedException found)
    {
        damage = found;
        return found;
    }

    private boolean due(final Path file, final int offset)
    {
        final JournalCorruptedException known = damage;
        if (null != known && offset == checkedOffset && file.equals(checkedFile))
        {
            // damage does not heal: every later poll at the same place reports it again
            throw known;
        }
        // The first end the reader meets in a segment is checked at once: in a finished segment that is the damage.
        // A later end in the same segment comes after frames a live writer appended since the check (no check, so
        // the live tail allocates nothing); waiting at one place, check again now and then.
        final long now = System.nanoTime();
        if (file != checkedFile && !file.equals(checkedFile))
        {
            checkedFile = file;
            checkedOffset = offset;
            checkedAtNanos = now;
            return true;
        }
        if (offset != checkedOffset)
        {
            checkedOffset = offset;
            checkedAtNanos = now;
            return false;
        }
        if (now - checkedAtNanos >= RECHECK_NANOS)
        {
            checkedFile = file;
            checkedOffset = offset;
            checkedAtNanos = now;
            return true;
        }
        return false;
    }

    /**
     * Looks past a zero length for a chain of valid frames, with sequences from {@code expected} on, that ends the
     * way a finished segment ends (a close marker followed by a zero length, a padding frame, or the segment's end).
     *
     * @return the offset where that chain ends, or -1 if there is none in the window.
     */
    private int probe(
        final Path file, final UnsafeBuffer buffer, final ByteBuffer view, final int size, final int offset,
        final long expected)
    {
        if (!file.equals(probedFile))
        {
            probedFile = file;
            probedUpTo = 0;
        }
        final int from = Math.max(offset + FrameDescriptor.ALIGNMENT, probedUpTo);
        final int to = (int)Math.min((long)size - HEADER_LENGTH, (long)offset + PROBE_WINDOW);
        int position = from;
        while (position <= to)
        {
            if (buffer.getLong(position) == 0)
            {
                position += FrameDescriptor.ALIGNMENT;
                continue;
            }
            final int end = chainEnd(buffer, view, size, position, offset, expected);
            if (end >= 0)
            {
                return end;
            }
            position += FrameDescriptor.ALIGNMENT;
        }
        probedUpTo = Math.max(probedUpTo, position);
        return -1;
    }

    private int chainEnd(
        final UnsafeBuffer buffer, final ByteBuffer view, final int size, final int start, final int zeroAt,
        final long expected)
    {
        int position = start;
        long sequence = FrameDescriptor.sequence(buffer, position);
        // every frame between the zero length and here took at least a header's room and one sequence at most
        if (sequence < expected || sequence > expected + (start - zeroAt) / HEADER_LENGTH)
        {
            return -1;
        }
        while (true)
        {
            final int remaining = size - position;
            if (remaining < HEADER_LENGTH)
            {
                return position;
            }
            final int length = FrameDescriptor.frameLengthVolatile(buffer, position);
            if (0 == length)
            {
                return -1;
            }
            if (length < HEADER_LENGTH || length > remaining ||
                FrameDescriptor.sequence(buffer, position) != sequence ||
                FrameDescriptor.flags(buffer, position) != 0 || FrameDescriptor.reserved(buffer, position) != 0)
            {
                return -1;
            }
            final short type = FrameDescriptor.frameType(buffer, position);
            final boolean headerOnly = FrameDescriptor.isHeaderOnly(type);
            if (type != FrameDescriptor.TYPE_DATA && type != FrameDescriptor.TYPE_PADDING && !headerOnly ||
                headerOnly && length != HEADER_LENGTH ||
                checksum.compute(view, position, length, type) != FrameDescriptor.crc(buffer, position))
            {
                return -1;
            }
            if (type == FrameDescriptor.TYPE_PADDING)
            {
                return length == remaining ? position : -1;
            }
            if (type == FrameDescriptor.TYPE_CLOSE)
            {
                final int after = position + HEADER_LENGTH;
                if (size - after < HEADER_LENGTH || FrameDescriptor.frameLengthVolatile(buffer, after) == 0)
                {
                    return position;
                }
            }
            if (type == FrameDescriptor.TYPE_DATA || type == FrameDescriptor.TYPE_SKIPPED)
            {
                sequence++;
            }
            position += FrameDescriptor.alignedLength(length);
        }
    }
}
