package io.ringwal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;

import io.ringwal.format.FrameDescriptor;
import io.ringwal.segment.internal.MappedSegment;
import io.ringwal.segment.internal.PageSize;

/**
 * The writer's staging buffer for {@link WriteMode#STAGED}: frames are built here and copied into the segment
 * file with positional writes, in two steps so that a reader never sees part of a copy. Owned by the writer
 * thread.
 *
 * <p>Staged bytes always start at a frame boundary of the segment. {@link #copyTo} writes them with the first
 * frame's length still zero (the file holds a zero length there already: the writer zeroed it when it committed
 * the frame before, or when it named the segment), then writes that length alone. A reader that finds the length
 * non-zero therefore finds every byte of the first write behind it, including the zeroed length after the last
 * staged frame.
 */
final class FrameStage
{
    /** Room kept after the last staged frame for the zeroed length of the next one. */
    static final int NEXT_LENGTH_ROOM = FrameDescriptor.ALIGNMENT;

    private final ByteBuffer memory;
    private final ByteBuffer out;
    private final UnsafeBuffer buffer;
    private final int capacity;

    /**
     * @param capacity bytes of frames the stage holds; at least the largest aligned frame plus
     *                 {@link #NEXT_LENGTH_ROOM}.
     */
    FrameStage(final int capacity)
    {
        this.capacity = capacity;
        this.memory = ByteBuffer.allocateDirect(capacity + PageSize.PAGE_SIZE).alignedSlice(PageSize.PAGE_SIZE);
        this.out = memory.duplicate();
        this.buffer = new UnsafeBuffer(memory, 0, capacity);
    }

    /**
     * The stage's capacity for the writer's largest record: whole pages, at least 1 MiB and at least twice the
     * largest aligned frame so that big records still batch, but never more than the segment.
     *
     * @param segmentSize   the segment size.
     * @param maxRecordSize the largest payload.
     * @return the capacity in bytes.
     */
    static int capacityFor(final int segmentSize, final int maxRecordSize)
    {
        final long largestFrame = FrameDescriptor.alignedLength(FrameDescriptor.frameLength(maxRecordSize)) +
            (long)NEXT_LENGTH_ROOM;
        final long wanted = Math.max(1024 * 1024, 2 * largestFrame);
        final long pages = (wanted + PageSize.PAGE_SIZE - 1) & -PageSize.PAGE_SIZE;
        return (int)Math.min(pages, segmentSize);
    }

    /** @return the stage's bytes, offset 0 being the segment offset of the first staged frame. */
    UnsafeBuffer buffer()
    {
        return buffer;
    }

    /** @return a view of the stage's bytes for the CRC. */
    ByteBuffer checksumView()
    {
        return memory;
    }

    /** @return how many bytes the stage holds. */
    int capacity()
    {
        return capacity;
    }

    /**
     * Copies {@code length} staged bytes into {@code segment} at {@code fileOffset}: everything with the first
     * frame's length zero, then that length. When the copy ends in a frame that ends its segment (a padding frame, a
     * close marker or a frame reaching the segment's end) and that frame is not the first, its length is zero in the
     * first write too and written last, so that a reader never sees a zero length followed by valid frames that end
     * the way a finished segment ends (which it takes for damage below a clean close).
     *
     * @param segment    the segment file.
     * @param fileOffset the segment offset of stage offset 0, a frame boundary whose length in the file is zero.
     * @param length     bytes to copy: the frames and, if there is one, the zeroed length after them.
     * @param terminator stage offset of a last frame that ends the segment, or -1 if the copy has none.
     * @throws IOException if a write fails.
     */
    void copyTo(final MappedSegment segment, final int fileOffset, final int length, final int terminator)
        throws IOException
    {
        final UnsafeBuffer buffer = this.buffer;
        final boolean lastApart = terminator > 0;
        final int firstLength = buffer.getInt(FrameDescriptor.LENGTH_OFFSET);
        final int lastLength = lastApart ? buffer.getInt(terminator + FrameDescriptor.LENGTH_OFFSET) : 0;
        buffer.putInt(FrameDescriptor.LENGTH_OFFSET, 0);
        if (lastApart)
        {
            buffer.putInt(terminator + FrameDescriptor.LENGTH_OFFSET, 0);
        }
        try
        {
            out.limit(length).position(0);
            segment.write(out, fileOffset);
        }
        finally
        {
            buffer.putInt(FrameDescriptor.LENGTH_OFFSET, firstLength);
            if (lastApart)
            {
                buffer.putInt(terminator + FrameDescriptor.LENGTH_OFFSET, lastLength);
            }
        }
        writeLength(segment, fileOffset, 0);
        if (lastApart)
        {
            writeLength(segment, fileOffset, terminator);
        }
    }

    /** Writes the length of the staged frame at stage offset {@code frame} into the file. */
    private void writeLength(final MappedSegment segment, final int fileOffset, final int frame) throws IOException
    {
        final int at = frame + FrameDescriptor.LENGTH_OFFSET;
        out.limit(at + Integer.BYTES).position(at);
        segment.write(out, fileOffset + at);
    }
}
