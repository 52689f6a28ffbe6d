package io.ringwal.disruptor;

import java.nio.ByteBuffer;

import org.agrona.AbstractMutableDirectBuffer;
import org.agrona.DirectBuffer;

/**
 * The buffer a {@link RecordTranslator} writes its record into: the payload area of one ring slot, starting at index
 * 0. Its {@link #capacity()} is what the slot holds now; a put beyond it grows the slot (keeping what was written)
 * up to the pipeline's maximum record size, and a put beyond that throws {@link IndexOutOfBoundsException}.
 * {@link #checkLimit(int)} grows it the same way, for code that writes through {@link #byteBuffer()}. Reads stay
 * within the capacity. The buffer cannot be re-wrapped.
 */
final class SlotPayloadBuffer extends AbstractMutableDirectBuffer
{
    private final RecordSlot slot;

    SlotPayloadBuffer(final RecordSlot slot)
    {
        this.slot = slot;
    }

    void rewrap(final long address, final int payloadCapacity)
    {
        this.addressOffset = address;
        this.capacity = payloadCapacity;
    }

    @Override
    protected void ensureCapacity(final int index, final int length)
    {
        if (index < 0 || length < 0)
        {
            throw new IndexOutOfBoundsException("negative value: index=" + index + " length=" + length);
        }
        final long end = (long)index + length;
        if (end > capacity)
        {
            slot.ensureCapacity((int)Math.min(end, Integer.MAX_VALUE));
        }
    }

    @Override
    public void checkLimit(final int limit)
    {
        if (limit > capacity)
        {
            slot.ensureCapacity(limit);
        }
    }

    @Override
    public boolean isExpandable()
    {
        return true;
    }

    @Override
    public ByteBuffer byteBuffer()
    {
        return slot.storage();
    }

    @Override
    public int wrapAdjustment()
    {
        return slot.payloadOffsetInStorage();
    }

    @Override
    public byte[] byteArray()
    {
        return null;
    }

    @Override
    public void wrap(final byte[] buffer)
    {
        throw cannotWrap();
    }

    @Override
    public void wrap(final byte[] buffer, final int offset, final int length)
    {
        throw cannotWrap();
    }

    @Override
    public void wrap(final ByteBuffer buffer)
    {
        throw cannotWrap();
    }

    @Override
    public void wrap(final ByteBuffer buffer, final int offset, final int length)
    {
        throw cannotWrap();
    }

    @Override
    public void wrap(final DirectBuffer buffer)
    {
        throw cannotWrap();
    }

    @Override
    public void wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        throw cannotWrap();
    }

    @Override
    public void wrap(final long address, final int length)
    {
        throw cannotWrap();
    }

    @Override
    public String toString()
    {
        return "SlotPayloadBuffer{capacity=" + capacity + '}';
    }

    private static UnsupportedOperationException cannotWrap()
    {
        return new UnsupportedOperationException("a ring slot's buffer cannot be re-wrapped");
    }
}
