package io.ringwal.log4j2;

import java.io.Serializable;
import java.nio.ByteBuffer;

import org.agrona.MutableDirectBuffer;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.layout.ByteBufferDestination;

import io.ringwal.disruptor.RecordTranslator;

/**
 * The layout's {@link ByteBufferDestination} for one claimed ring slot: {@link #translateTo} points a view of the
 * ring's slot memory at the slot and lets the layout encode the event into it; what the layout writes lands in
 * the slot the writer thread will frame and copy into the journal. One instance per logging thread (the
 * appender keeps them in a {@code ThreadLocal}), so nothing here is shared and nothing is allocated per line.
 *
 * <p>With a staging buffer ({@code encodeInSlot="false"}), {@link #stage} encodes into this thread's own buffer
 * before any slot is claimed, and {@link #COPY_STAGED} then copies the bytes into the slot: one more copy of the
 * line, but the slot is held only for the copy, not for the layout's formatting (see docs/LOGGING.md for when
 * that matters).
 *
 * <p>A line longer than the slot grows the slot ({@code checkLimit} on the slot's buffer), up to the maximum line
 * size; a line longer than that is cut there: the rest goes to a small scratch buffer that is thrown away, and the
 * line is flagged {@link #truncated()}.
 */
final class SlotDestination implements ByteBufferDestination, RecordTranslator<LogEvent>
{
    /** Copies a line {@link #stage staged} in the destination into the claimed slot. */
    static final RecordTranslator<SlotDestination> COPY_STAGED = (buffer, destination) ->
    {
        final int length = destination.staging.position();
        buffer.putBytes(0, destination.staging, 0, length);
        return length;
    };

    private static final int SCRATCH_SIZE = 1024;

    private final Layout<? extends Serializable> layout;
    private final ByteBuffer scratch = ByteBuffer.allocate(SCRATCH_SIZE);
    private final ByteBuffer staging;
    private MutableDirectBuffer slot;
    private ByteBuffer memory;
    private ByteBuffer view;
    private int start;
    private boolean truncated;

    SlotDestination(final Layout<? extends Serializable> layout, final int stagingCapacity)
    {
        this.layout = layout;
        this.staging = stagingCapacity > 0 ? ByteBuffer.allocateDirect(stagingCapacity) : null;
    }

    /**
     * Encodes the event into this thread's staging buffer (no slot is claimed).
     *
     * @param event the event.
     * @return the encoded length (cut at the staging capacity).
     */
    int stage(final LogEvent event)
    {
        view = staging;
        slot = null;
        memory = null;
        start = 0;
        staging.clear();
        truncated = false;
        layout.encode(event, this);
        return staging.position();
    }

    @Override
    public int translateTo(final MutableDirectBuffer buffer, final LogEvent event)
    {
        slot = buffer;
        pointViewAtSlot(0);
        truncated = false;
        try
        {
            layout.encode(event, this);
            return view.position() - start;
        }
        finally
        {
            slot = null;
        }
    }

    /** Points the view at the slot's memory as it is now, {@code written} bytes in. */
    private void pointViewAtSlot(final int written)
    {
        final MutableDirectBuffer buffer = slot;
        final ByteBuffer slotMemory = buffer.byteBuffer();
        if (slotMemory != memory)
        {
            memory = slotMemory;
            view = slotMemory.duplicate();
        }
        final ByteBuffer view = this.view;
        start = buffer.wrapAdjustment();
        view.clear();
        view.limit(start + buffer.capacity());
        view.position(start + written);
    }

    /**
     * Grows the claimed slot so that its view has room for {@code more} bytes beyond what was written, or as many
     * as the maximum line size leaves.
     *
     * @return whether the view now has more room than before.
     */
    private boolean growSlot(final int more)
    {
        final MutableDirectBuffer buffer = slot;
        if (buffer == null || !buffer.isExpandable())
        {
            return false;
        }
        final int written = view.position() - start;
        final int before = buffer.capacity();
        try
        {
            buffer.checkLimit((int)Math.min(Integer.MAX_VALUE, (long)written + more));
        }
        catch (final IndexOutOfBoundsException beyondMaximum)
        {
            growToMaximum(buffer);
        }
        if (buffer.capacity() <= before)
        {
            return false;
        }
        pointViewAtSlot(written);
        return true;
    }

    /**
     * Whether the last line was cut at the slot's capacity.
     *
     * @return true if cut.
     */
    boolean truncated()
    {
        return truncated;
    }

    /** Grows the slot as far as the maximum line size lets it (each step at least doubles it). */
    private static void growToMaximum(final MutableDirectBuffer buffer)
    {
        while (true)
        {
            try
            {
                buffer.checkLimit(buffer.capacity() + 1);
            }
            catch (final IndexOutOfBoundsException atMaximum)
            {
                return;
            }
        }
    }

    @Override
    public ByteBuffer getByteBuffer()
    {
        return truncated ? scratch : view;
    }

    @Override
    public ByteBuffer drain(final ByteBuffer buf)
    {
        if (buf == view && !view.hasRemaining())
        {
            if (!truncated && growSlot(1))
            {
                return view;
            }
            truncated = true;
        }
        if (buf == view || buf == scratch)
        {
            scratch.clear();
            return truncated ? scratch : view;
        }
        return buf;
    }

    @Override
    public void writeBytes(final ByteBuffer data)
    {
        if (data.remaining() > view.remaining())
        {
            growSlot(data.remaining());
        }
        final int room = view.remaining();
        if (data.remaining() > room)
        {
            truncated = true;
            final int limit = data.limit();
            data.limit(data.position() + room);
            view.put(data);
            data.limit(limit);
            data.position(limit);
        }
        else
        {
            view.put(data);
        }
    }

    @Override
    public void writeBytes(final byte[] data, final int offset, final int length)
    {
        if (length > view.remaining())
        {
            growSlot(length);
        }
        final int room = view.remaining();
        if (length > room)
        {
            truncated = true;
            view.put(data, offset, room);
        }
        else
        {
            view.put(data, offset, length);
        }
    }
}
