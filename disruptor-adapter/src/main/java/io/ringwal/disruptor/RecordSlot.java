package io.ringwal.disruptor;

import java.nio.ByteBuffer;

import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import io.ringwal.format.FrameChecksum;
import io.ringwal.format.FrameDescriptor;

/**
 * One ring slot: off-heap memory for a frame header and a record, plus the record length. A slot starts with room
 * for a record of the ring's slot size, carved out of one direct buffer shared by the whole ring; a longer record
 * (up to the pipeline's maximum) grows the slot into a larger region carved from the ring's {@link RingMemory},
 * which the slot keeps, so each slot holds about the largest record it has carried and a ring of small records
 * costs small slots. The
 * {@link #payload} view starts where a frame's payload starts, so a record written there can be framed in place.
 *
 * <p>A slot belongs to the producer between claim and publish, and to the writer thread after publish; the ring
 * buffer's sequence publication orders the hand-over, including a growth (the producer rewraps the views before it
 * publishes; the writer reads them after).
 */
final class RecordSlot
{
    /** The whole frame area: header then payload. */
    final UnsafeBuffer frame = new UnsafeBuffer(0, 0);
    /** The payload area, of the slot's current {@link #capacity()}. */
    final UnsafeBuffer payload = new UnsafeBuffer(0, 0);
    /** The payload area as translators see it: it grows the slot when written beyond its capacity. */
    final SlotPayloadBuffer translatorBuffer;
    private final RingMemory memory;
    private final int maxRecordSize;
    private final FrameChecksum checksum = new FrameChecksum();
    /** The direct buffer the frame area lives in, at {@link #storageOffset}. */
    private ByteBuffer storage;
    private int storageOffset;
    /** A view of the frame area for the CRC, private to whoever owns the slot. */
    private ByteBuffer frameView;
    private int capacity;
    /** The record length set by the producer. */
    int length;
    /**
     * Set by the producer when its translator failed: the writer consumes the sequence with a skipped-sequence
     * frame instead of a record, and clears the flag.
     */
    boolean skipped;

    private RecordSlot(
        final RingMemory memory, final ByteBuffer shared, final int offset, final int slotSize, final int maxRecordSize)
    {
        this.memory = memory;
        this.maxRecordSize = maxRecordSize;
        this.translatorBuffer = new SlotPayloadBuffer(this);
        wrap(shared, offset, slotSize);
    }

    /**
     * The payload bytes the slot holds without growing.
     *
     * @return bytes, from the ring's slot size to the pipeline's maximum record size.
     */
    int capacity()
    {
        return capacity;
    }

    /**
     * The direct buffer the slot's frame area lives in now (it changes when the slot grows).
     *
     * @return the buffer.
     */
    ByteBuffer storage()
    {
        return storage;
    }

    /**
     * Offset of the payload within {@link #storage()}.
     *
     * @return the offset.
     */
    int payloadOffsetInStorage()
    {
        return storageOffset + FrameDescriptor.HEADER_LENGTH;
    }

    /**
     * Makes room for a payload of {@code required} bytes, growing the slot if it holds less; the bytes already in
     * the slot (header and payload) are kept. Allocates only when the slot grows.
     *
     * @param required the payload bytes needed.
     * @throws IndexOutOfBoundsException if {@code required} exceeds the pipeline's maximum record size.
     */
    void ensureCapacity(final int required)
    {
        if (required > capacity)
        {
            grow(required);
        }
    }

    private void grow(final int required)
    {
        if (required > maxRecordSize)
        {
            throw new IndexOutOfBoundsException("record of at least " + required + " bytes exceeds the journal " +
                "pipeline's maxRecordSize=" + maxRecordSize);
        }
        final int newCapacity = (int)Math.min(maxRecordSize,
            Math.max(2L * capacity, BitUtil.findNextPositivePowerOfTwo(required)));
        final RingMemory.Region region = memory.carve(
            BitUtil.align(FrameDescriptor.HEADER_LENGTH + newCapacity, BitUtil.CACHE_LINE_LENGTH));
        new UnsafeBuffer(region.memory, region.offset, FrameDescriptor.HEADER_LENGTH + capacity)
            .putBytes(0, frame, 0, FrameDescriptor.HEADER_LENGTH + capacity);
        wrap(region.memory, region.offset, newCapacity);
    }

    private void wrap(final ByteBuffer buffer, final int offset, final int payloadCapacity)
    {
        final int frameCapacity = FrameDescriptor.HEADER_LENGTH + payloadCapacity;
        storage = buffer;
        storageOffset = offset;
        capacity = payloadCapacity;
        frame.wrap(buffer, offset, frameCapacity);
        payload.wrap(buffer, offset + FrameDescriptor.HEADER_LENGTH, payloadCapacity);
        frameView = buffer.slice(offset, frameCapacity);
        translatorBuffer.rewrap(payload.addressOffset(), payloadCapacity);
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
     * Allocates the slots of a ring in one direct buffer, each on its own cache lines, with room for a record of
     * {@code slotSize} bytes; a slot grows, up to {@code maxRecordSize}, when a longer record comes.
     *
     * @param ringSize      number of slots.
     * @param slotSize      payload bytes each slot holds before it grows.
     * @param maxRecordSize largest payload.
     * @param memory        the ring's memory account.
     * @return the slots, in ring index order.
     */
    static RecordSlot[] allocate(final int ringSize, final int slotSize, final int maxRecordSize, final RingMemory memory)
    {
        final int stride = BitUtil.align(FrameDescriptor.HEADER_LENGTH + slotSize, BitUtil.CACHE_LINE_LENGTH);
        final int total = stride * ringSize; // at most JournalPipelineBuilder.MAX_RING_MEMORY, checked by build()
        final ByteBuffer shared = BufferUtil.allocateDirectAligned(total, BitUtil.CACHE_LINE_LENGTH);
        memory.ringAllocated(total);
        final RecordSlot[] slots = new RecordSlot[ringSize];
        for (int i = 0; i < ringSize; i++)
        {
            slots[i] = new RecordSlot(memory, shared, i * stride, slotSize, maxRecordSize);
        }
        return slots;
    }
}
