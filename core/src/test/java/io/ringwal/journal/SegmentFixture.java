package io.ringwal.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import io.ringwal.format.FrameChecksum;
import io.ringwal.format.FrameDescriptor;
import io.ringwal.format.SegmentFileNames;
import io.ringwal.format.SegmentHeaderDescriptor;

/**
 * Builds segment files byte by byte from the format descriptors, independently of the writer, for reader,
 * retention, recovery and corruption tests.
 *
 * <pre>
 * final Path file = SegmentFixture.segment(0, 64 * 1024)
 *     .data("a").data("b")
 *     .padding()
 *     .writeTo(dir);
 * </pre>
 *
 * Frames are appended at 8-byte aligned offsets after the header, with sequences counting up from the base.
 * Damage can be built in ({@link #dataWithSequence}, {@link #rawFrame}) or applied afterwards
 * ({@link #flipByte}, {@link #putIntAt}).
 */
final class SegmentFixture
{
    /** A segment size the header accepts: the smallest. */
    static final int SIZE = SegmentHeaderDescriptor.MIN_SEGMENT_SIZE;

    /** Journal id used unless {@link #journalId(long)} says otherwise. */
    static final long JOURNAL_ID = 0x5EEDL;

    private final long baseSequence;
    private final int size;
    private final ByteBuffer bytes;
    private final UnsafeBuffer buffer;
    private final FrameChecksum checksum = new FrameChecksum();
    private final List<Integer> frameOffsets = new ArrayList<>();
    private long previousBaseSequence = SegmentHeaderDescriptor.NO_PREVIOUS_SEGMENT;
    private long journalId = JOURNAL_ID;
    private long headerBaseSequence;
    private long headerSegmentSize;
    private long nextSequence;
    private int offset = SegmentHeaderDescriptor.HEADER_LENGTH;

    private SegmentFixture(final long baseSequence, final int size)
    {
        this.baseSequence = baseSequence;
        this.headerBaseSequence = baseSequence;
        this.size = size;
        this.headerSegmentSize = size;
        this.nextSequence = baseSequence;
        this.bytes = ByteBuffer.allocate(size);
        this.buffer = new UnsafeBuffer(bytes);
    }

    /**
     * Starts a segment.
     *
     * @param baseSequence the base sequence (file name and header).
     * @param size         the file size.
     * @return the builder.
     */
    static SegmentFixture segment(final long baseSequence, final int size)
    {
        return new SegmentFixture(baseSequence, size);
    }

    /**
     * Starts a segment of {@link #SIZE} bytes.
     *
     * @param baseSequence the base sequence.
     * @return the builder.
     */
    static SegmentFixture segment(final long baseSequence)
    {
        return segment(baseSequence, SIZE);
    }

    SegmentFixture previous(final long previousBase)
    {
        this.previousBaseSequence = previousBase;
        return this;
    }

    SegmentFixture journalId(final long journalId)
    {
        this.journalId = journalId;
        return this;
    }

    /** Writes a different base sequence into the header than the file name has. */
    SegmentFixture headerBaseSequence(final long headerBase)
    {
        this.headerBaseSequence = headerBase;
        return this;
    }

    /** Writes a different segment size into the header than the file has. */
    SegmentFixture headerSegmentSize(final long headerSize)
    {
        this.headerSegmentSize = headerSize;
        return this;
    }

    SegmentFixture data(final String payload)
    {
        return data(payload.getBytes(StandardCharsets.UTF_8));
    }

    SegmentFixture data(final byte[] payload)
    {
        return dataWithSequence(nextSequence, payload);
    }

    /** Appends records "&lt;prefix&gt;&lt;sequence&gt;" until {@code count} were added. */
    SegmentFixture records(final int count, final String prefix)
    {
        for (int i = 0; i < count; i++)
        {
            data(prefix + nextSequence);
        }
        return this;
    }

    /**
     * A data frame with an explicit sequence; the fixture's next sequence continues from it.
     */
    SegmentFixture dataWithSequence(final long sequence, final byte[] payload)
    {
        rawFrame(sequence, FrameDescriptor.TYPE_DATA, payload, FrameDescriptor.frameLength(payload.length));
        nextSequence = sequence + 1;
        return this;
    }

    /**
     * A data frame whose aligned end leaves exactly {@code bytesLeft} bytes in the segment (a multiple of 8 below
     * the frame header length, so the segment ends without a padding frame).
     */
    SegmentFixture dataLeaving(final int bytesLeft)
    {
        final int payloadLength = remaining() - bytesLeft - FrameDescriptor.HEADER_LENGTH;
        if (payloadLength < 0 || bytesLeft % FrameDescriptor.ALIGNMENT != 0)
        {
            throw new IllegalArgumentException("cannot leave " + bytesLeft + " of " + remaining() + " bytes");
        }
        final byte[] payload = new byte[payloadLength];
        for (int i = 0; i < payloadLength; i++)
        {
            payload[i] = (byte)(nextSequence + i);
        }
        return data(payload);
    }

    /** A padding frame from the current offset to the end of the segment, carrying the next sequence. */
    SegmentFixture padding()
    {
        rawFrame(nextSequence, FrameDescriptor.TYPE_PADDING, new byte[0], remaining());
        return this;
    }

    /**
     * Writes one complete frame with a CRC at the current offset and advances by its aligned length. The
     * length may be a lie (larger than header plus payload, as in a padding frame).
     */
    SegmentFixture rawFrame(final long sequence, final short type, final byte[] payload, final int frameLength)
    {
        final int frameOffset = offset;
        if (FrameDescriptor.HEADER_LENGTH + payload.length > remaining())
        {
            throw new IllegalStateException("a frame with a " + payload.length + "-byte payload does not fit in the " +
                remaining() + " bytes left at offset " + frameOffset);
        }
        writeFrame(buffer, bytes.duplicate(), checksum, frameOffset, sequence, type, payload, frameLength);
        frameOffsets.add(frameOffset);
        offset = Math.min(size, frameOffset + FrameDescriptor.alignedLength(frameLength));
        return this;
    }

    /** Bytes left after the frames added so far. */
    int remaining()
    {
        return size - offset;
    }

    /** The offset the next frame goes to. */
    int offset()
    {
        return offset;
    }

    /** The sequence the next data frame gets. */
    long nextSequence()
    {
        return nextSequence;
    }

    /** Offset of the {@code index}-th frame added (0-based). */
    int frameOffset(final int index)
    {
        return frameOffsets.get(index);
    }

    long baseSequence()
    {
        return baseSequence;
    }

    /** The file's bytes (header written now). */
    byte[] toBytes()
    {
        SegmentHeaderDescriptor.write(
            buffer, headerSegmentSize, headerBaseSequence, previousBaseSequence, journalId, 1_700_000_000_000L);
        return bytes.array().clone();
    }

    /** Writes the file under its segment name. */
    Path writeTo(final Path directory)
    {
        return writeTo(directory, SegmentFileNames.segmentFileName(baseSequence));
    }

    /** Writes the file under a given name (such as a temporary name). */
    Path writeTo(final Path directory, final String fileName)
    {
        final Path file = directory.resolve(fileName);
        try
        {
            Files.write(file, toBytes());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return file;
    }

    /** XORs one byte of a file with 0xFF. */
    static void flipByte(final Path file, final long position)
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.flip();
            one.put(0, (byte)(one.get(0) ^ 0xFF));
            channel.write(one, position);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Overwrites a little-endian int in a file. */
    static void putIntAt(final Path file, final long position, final int value)
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            final ByteBuffer four = ByteBuffer.allocate(Integer.BYTES).order(FrameDescriptor.BYTE_ORDER);
            four.putInt(0, value);
            channel.write(four, position);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Appends a data frame to a segment file the way the writer does: through a shared read-write mapping, the
     * body with plain stores and the length last with a release store.
     *
     * @return the offset after the frame.
     */
    static int appendLive(final Path file, final int frameOffset, final long sequence, final byte[] payload)
    {
        final int frameLength = FrameDescriptor.frameLength(payload.length);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size());
            try
            {
                writeFrame(new UnsafeBuffer(mapped), mapped.duplicate(), new FrameChecksum(), frameOffset, sequence,
                    FrameDescriptor.TYPE_DATA, payload, frameLength);
            }
            finally
            {
                IoUtil.unmap(mapped);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return frameOffset + FrameDescriptor.alignedLength(frameLength);
    }

    private static void writeFrame(
        final UnsafeBuffer buffer,
        final ByteBuffer view,
        final FrameChecksum checksum,
        final int frameOffset,
        final long sequence,
        final short type,
        final byte[] payload,
        final int frameLength)
    {
        buffer.putLong(frameOffset + FrameDescriptor.SEQUENCE_OFFSET, sequence, FrameDescriptor.BYTE_ORDER);
        buffer.putShort(frameOffset + FrameDescriptor.TYPE_OFFSET, type, FrameDescriptor.BYTE_ORDER);
        buffer.putShort(frameOffset + FrameDescriptor.FLAGS_OFFSET, (short)0, FrameDescriptor.BYTE_ORDER);
        buffer.putInt(frameOffset + FrameDescriptor.RESERVED_OFFSET, 0, FrameDescriptor.BYTE_ORDER);
        buffer.putBytes(frameOffset + FrameDescriptor.HEADER_LENGTH, payload);
        final int crc = checksum.compute(view, frameOffset, frameLength, type);
        buffer.putInt(frameOffset + FrameDescriptor.CRC_OFFSET, crc, FrameDescriptor.BYTE_ORDER);
        FrameDescriptor.frameLengthRelease(buffer, frameOffset, frameLength);
    }
}
