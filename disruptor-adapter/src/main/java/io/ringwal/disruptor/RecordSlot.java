package io.ringwal.disruptor;

import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;

import io.ringwal.format.FrameChecksum;
import io.ringwal.format.FrameDescriptor;

/**
 * One ring slot: a preallocated region of {@code FrameDescriptor.HEADER_LENGTH + maxRecordSize} bytes of
 * off-heap memory, carved out of one direct buffer shared by the whole ring, plus the record length. The
 * {@link #payload} view starts where a frame's payload starts, so a record written there can be framed in place.
 *
 * <p>A slot belongs to the producer between claim and publish, and to the writer thread after publish; the ring
 * buffer's sequence publication orders the hand-over.
 */
final class RecordSlot
{
    /** The whole frame area: header then payload. */
    final UnsafeBuffer frame;
    /** The payload area, capacity {@code maxRecordSize}. */
    final UnsafeBuffer payload;
    /** A view of the frame area for the CRC, private to whoever owns the slot. */
    private final ByteBuffer frameView;
    private final FrameChecksum checksum = new FrameChecksum();
    /** The record length set by the producer. */
    int length;
    /**
     * Set by the producer when its translator failed: the writer consumes the sequence with a skipped-sequence
     * frame instead of a record, and clears the flag.
     */
    boolean skipped;

    RecordSlot(final ByteBuffer memory, final int offset, final int maxRecordSize)
    {
        final int frameCapacity = FrameDescriptor.HEADER_LENGTH + maxRecordSize;
        this.frame = new UnsafeBuffer(memory, offset, frameCapacity);
        this.payload = new UnsafeBuffer(memory, offset + FrameDescriptor.HEADER_LENGTH, maxRecordSize);
        this.frameView = memory.slice(offset, frameCapacity);
    }

    /**
     * Builds the frame header of the record in this slot (producer-side framing): sequence, type, zero flags and
     * reserved word, CRC32C and, last, the length. The writer copies the finished frame.
     *
     * @param sequence the journal sequence the record will get.
     */
    void buildFrame(final long sequence)
    {
        final UnsafeBuffer frame = this.frame;
        final int frameLength = FrameDescriptor.frameLength(length);
        frame.putLong(FrameDescriptor.SEQUENCE_OFFSET, sequence, FrameDescriptor.BYTE_ORDER);
        frame.putShort(FrameDescriptor.TYPE_OFFSET, FrameDescriptor.TYPE_DATA, FrameDescriptor.BYTE_ORDER);
        frame.putShort(FrameDescriptor.FLAGS_OFFSET, (short)0, FrameDescriptor.BYTE_ORDER);
        frame.putInt(FrameDescriptor.RESERVED_OFFSET, 0, FrameDescriptor.BYTE_ORDER);
        frame.putInt(FrameDescriptor.CRC_OFFSET,
            checksum.compute(frameView, 0, frameLength, FrameDescriptor.TYPE_DATA), FrameDescriptor.BYTE_ORDER);
        frame.putInt(FrameDescriptor.LENGTH_OFFSET, frameLength, FrameDescriptor.BYTE_ORDER);
    }

    /**
     * Allocates the slots of a ring in one direct buffer, each on its own cache lines.
     *
     * @param ringSize      number of slots.
     * @param maxRecordSize largest payload.
     * @return the slots, in ring index order.
     */
    static RecordSlot[] allocate(final int ringSize, final int maxRecordSize)
    {
        final int stride = align(FrameDescriptor.HEADER_LENGTH + maxRecordSize, 64);
        final long total = (long)stride * ringSize;
        if (total > Integer.MAX_VALUE - 64)
        {
            throw new IllegalArgumentException("ringSize=" + ringSize + " x slot of " + stride +
                " bytes (maxRecordSize=" + maxRecordSize + ") needs " + total +
                " bytes of slot memory, more than one direct buffer can hold (2 GiB): lower one of them");
        }
        final ByteBuffer memory = ByteBuffer.allocateDirect((int)total + 64).alignedSlice(64);
        final RecordSlot[] slots = new RecordSlot[ringSize];
        for (int i = 0; i < ringSize; i++)
        {
            slots[i] = new RecordSlot(memory, i * stride, maxRecordSize);
        }
        return slots;
    }

    private static int align(final int value, final int alignment)
    {
        return (value + alignment - 1) & -alignment;
    }
}
