package io.ringwal.journal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

import org.agrona.concurrent.UnsafeBuffer;

import io.ringwal.format.FrameChecksum;
import io.ringwal.format.FrameDescriptor;
import io.ringwal.format.SegmentHeaderDescriptor;

/**
 * Reads a segment file with {@link FileChannel#read} (never through a mapping, so a disk read error is an
 * {@link IOException} and not a SIGBUS) and checks it header first, then frame by frame. Used by recovery
 * and by verify. One instance per thread; it reuses its read buffer.
 */
public final class SegmentScanner
{
    /**
     * Told about every valid frame a scan passes, in the order of the segment's chain of frames: verify checks the
     * entries of seek index files against them.
     */
    @FunctionalInterface
    public interface FrameObserver
    {
        /**
         * A scan passed a valid frame (its length, type, sequence and CRC checked).
         *
         * @param file     the segment file scanned.
         * @param offset   the frame's offset in the segment.
         * @param length   the frame's length field.
         * @param type     the frame's type.
         * @param sequence the frame's sequence.
         * @throws IOException if the observer fails to read a file it needs.
         */
        void onFrame(Path file, int offset, int length, short type, long sequence) throws IOException;
    }

    private static final int WINDOW = 1024 * 1024;

    private ByteBuffer window = ByteBuffer.allocateDirect(WINDOW).order(ByteOrder.LITTLE_ENDIAN);
    private final UnsafeBuffer windowBuffer = new UnsafeBuffer(window);
    private final FrameChecksum checksum = new FrameChecksum();
    private long windowStart;
    private int windowLength;
    private FrameObserver observer;

    /**
     * Creates a scanner.
     */
    public SegmentScanner()
    {
    }

    /**
     * Sets the observer every later scan tells about each valid frame it passes.
     *
     * @param observer the observer, or null for none (the default).
     */
    public void frameObserver(final FrameObserver observer)
    {
        this.observer = observer;
    }

    /**
     * Reads the header of a segment file.
     *
     * @param channel the open file.
     * @param file    its path, for messages.
     * @return the header bytes (a copy), or null when the file is shorter than a header.
     * @throws IOException if the read fails.
     */
    public static UnsafeBuffer readHeader(final FileChannel channel, final Path file) throws IOException
    {
        final ByteBuffer header = ByteBuffer.allocate(SegmentHeaderDescriptor.HEADER_LENGTH);
        long position = 0;
        while (header.hasRemaining())
        {
            final int read = channel.read(header, position);
            if (read < 0)
            {
                return null;
            }
            position += read;
        }
        return new UnsafeBuffer(header.array());
    }

    /**
     * Scans the frames of a segment whose header was already validated.
     *
     * @param channel         the open file.
     * @param file            its path.
     * @param baseSequence    the base sequence from the header (the first frame's expected sequence).
     * @param segmentSize     the segment size from the header.
     * @param examineTail     whether to find the last non-zero byte after the end (for cutting a torn tail).
     * @return what the scan found.
     * @throws IOException if a read fails or the file is shorter than its header says.
     */
    public SegmentScan scan(
        final FileChannel channel,
        final Path file,
        final long baseSequence,
        final int segmentSize,
        final boolean examineTail) throws IOException
    {
        return scan(channel, file, baseSequence, segmentSize, SegmentHeaderDescriptor.CURRENT_VERSION, examineTail);
    }

    /**
     * Scans a segment's frames, as {@link #scan(FileChannel, Path, long, int, boolean)}, by the rules of the
     * segment's format version: markers ({@link FrameDescriptor#TYPE_CLOSE}, {@link FrameDescriptor#TYPE_OPEN})
     * exist from version 2 on. When the segment's frames end right after a close marker, the writer closed the
     * journal cleanly there and nothing was written after it, so the tail is not examined: in a recycled segment
     * the bytes after it are stale frames of the file's earlier use, not a torn tail.
     *
     * @param channel      the open file.
     * @param file         the file's path, for messages.
     * @param baseSequence the segment's base sequence (from its header).
     * @param segmentSize  the segment size (from its header).
     * @param version      the segment's format version (from its header).
     * @param examineTail  whether to find the last non-zero byte after the frames when they end open or damaged.
     * @return what the scan found.
     * @throws IOException if reading fails.
     */
    public SegmentScan scan(
        final FileChannel channel,
        final Path file,
        final long baseSequence,
        final int segmentSize,
        final int version,
        final boolean examineTail) throws IOException
    {
        boolean lastWasClose = false;
        windowStart = 0;
        windowLength = 0;
        int offset = SegmentHeaderDescriptor.HEADER_LENGTH;
        long expected = baseSequence;
        long records = 0;
        long markers = 0;
        long skipped = 0;
        SegmentScan.End end;
        String damage = null;

        while (true)
        {
            final int remaining = segmentSize - offset;
            if (remaining < FrameDescriptor.HEADER_LENGTH)
            {
                end = SegmentScan.End.FULL;
                break;
            }
            ensure(channel, file, offset, FrameDescriptor.HEADER_LENGTH);
            final int rel = (int)(offset - windowStart);
            final int length = FrameDescriptor.frameLength(windowBuffer, rel);
            if (length == 0)
            {
                end = SegmentScan.End.EMPTY;
                break;
            }
            if (length < FrameDescriptor.HEADER_LENGTH || length > remaining)
            {
                end = SegmentScan.End.DAMAGE;
                damage = "impossible frame length " + length + " (" + remaining + " bytes left in the segment)";
                break;
            }
            final short type = FrameDescriptor.frameType(windowBuffer, rel);
            final long sequence = FrameDescriptor.sequence(windowBuffer, rel);
            if (type == FrameDescriptor.TYPE_PADDING)
            {
                if (length != remaining)
                {
                    end = SegmentScan.End.DAMAGE;
                    damage = "padding frame of length " + length + " does not reach the segment end (" +
                        remaining + " bytes left)";
                }
                else if (checksum.compute(window, rel, length, type) != FrameDescriptor.crc(windowBuffer, rel))
                {
                    end = SegmentScan.End.DAMAGE;
                    damage = "padding frame CRC mismatch";
                }
                else if (sequence != expected)
                {
                    end = SegmentScan.End.DAMAGE;
                    damage = "padding frame sequence " + sequence + ", expected " + expected;
                }
                else
                {
                    end = SegmentScan.End.PADDING;
                    if (observer != null)
                    {
                        observer.onFrame(file, offset, length, type, sequence);
                    }
                }
                break;
            }
            if (HeaderOnlyFrames.isHeaderOnly(type, version))
            {
                damage = HeaderOnlyFrames.lengthDamage(type, length);
                if (damage == null && sequence != expected)
                {
                    damage = HeaderOnlyFrames.name(type) + " sequence " + sequence + ", expected " + expected;
                }
                if (damage == null &&
                    checksum.compute(window, rel, length, type) != FrameDescriptor.crc(windowBuffer, rel))
                {
                    damage = "CRC mismatch in the " + HeaderOnlyFrames.name(type) + " of sequence " + sequence;
                }
                if (damage != null)
                {
                    end = SegmentScan.End.DAMAGE;
                    break;
                }
                if (observer != null)
                {
                    observer.onFrame(file, offset, length, type, sequence);
                }
                if (HeaderOnlyFrames.consumesSequence(type))
                {
                    skipped++;
                    expected++;
                }
                else
                {
                    markers++;
                }
                lastWasClose = type == FrameDescriptor.TYPE_CLOSE;
                offset += FrameDescriptor.HEADER_LENGTH;
                continue;
            }
            if (type != FrameDescriptor.TYPE_DATA)
            {
                end = SegmentScan.End.DAMAGE;
                damage = HeaderOnlyFrames.unknownType(type, version);
                break;
            }
            if (sequence != expected)
            {
                end = SegmentScan.End.DAMAGE;
                damage = "frame sequence " + sequence + ", expected " + expected;
                break;
            }
            ensure(channel, file, offset, length);
            final int relFrame = (int)(offset - windowStart);
            final int stored = FrameDescriptor.crc(windowBuffer, relFrame);
            final int computed = checksum.compute(window, relFrame, length, type);
            if (stored != computed)
            {
                end = SegmentScan.End.DAMAGE;
                damage = "CRC mismatch in frame of sequence " + sequence + " (stored 0x" +
                    Integer.toHexString(stored) + ", computed 0x" + Integer.toHexString(computed) + ")";
                break;
            }
            if (observer != null)
            {
                observer.onFrame(file, offset, length, type, sequence);
            }
            records++;
            expected++;
            lastWasClose = false;
            offset += FrameDescriptor.alignedLength(length);
        }
        final boolean closedCleanly = lastWasClose && end == SegmentScan.End.EMPTY;

        long lastNonZero = -1;
        if (examineTail && !closedCleanly && (end == SegmentScan.End.EMPTY || end == SegmentScan.End.DAMAGE))
        {
            lastNonZero = lastNonZeroFrom(channel, file, offset, segmentSize);
        }
        return new SegmentScan(file, baseSequence, segmentSize, version, records, markers, skipped, expected, offset,
            end, damage, lastNonZero, closedCleanly);
    }

    private long lastNonZeroFrom(final FileChannel channel, final Path file, final int from, final int segmentSize)
        throws IOException
    {
        long lastNonZero = -1;
        long position = from;
        while (position < segmentSize)
        {
            final int length = (int)Math.min(window.capacity(), segmentSize - position);
            fill(channel, file, position, length);
            int i = length;
            while (i >= Long.BYTES && windowBuffer.getLong(i - Long.BYTES) == 0)
            {
                i -= Long.BYTES;
            }
            while (i > 0)
            {
                if (windowBuffer.getByte(i - 1) != 0)
                {
                    lastNonZero = position + i - 1;
                    break;
                }
                i--;
            }
            position += length;
        }
        return lastNonZero;
    }

    private void ensure(final FileChannel channel, final Path file, final long offset, final int length)
        throws IOException
    {
        if (offset >= windowStart && offset + length <= windowStart + windowLength)
        {
            return;
        }
        if (length > window.capacity())
        {
            window = ByteBuffer.allocateDirect(length).order(ByteOrder.LITTLE_ENDIAN);
            windowBuffer.wrap(window);
        }
        final long fileSize = channel.size();
        final int toRead = (int)Math.min(window.capacity(), fileSize - offset);
        if (toRead < length)
        {
            throw new EOFException(file + " ends at " + fileSize + " inside a frame at offset " + offset);
        }
        fill(channel, file, offset, toRead);
    }

    private void fill(final FileChannel channel, final Path file, final long offset, final int length)
        throws IOException
    {
        window.clear().limit(length);
        long position = offset;
        while (window.hasRemaining())
        {
            final int read = channel.read(window, position);
            if (read < 0)
            {
                throw new EOFException(file + " ends at " + position + ", before offset " + (offset + length));
            }
            position += read;
        }
        windowStart = offset;
        windowLength = length;
    }
}
