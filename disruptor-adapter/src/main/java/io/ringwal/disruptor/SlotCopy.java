package io.ringwal.disruptor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Copies a published record into its ring slot. A record of up to 64 bytes is copied eight bytes at a time in plain
 * loads and stores; a longer one through {@link MutableDirectBuffer#putBytes}, which is {@code Unsafe.copyMemory}
 * and, on a CPU with AVX-512, HotSpot's AVX-512 array-copy stub. On the AMD EPYC (AVX-512) build machine that
 * stub, copying 64-byte records into slots the writer reads on the other core, held the pipeline to about half the
 * records per second it reached with {@code -XX:UseAVX=2}; from 128 bytes on the stub is the faster
 * (docs/BENCHMARKS.md, "Copying short records"). The journal writer copies out of the slot the same way.
 */
final class SlotCopy
{
    /** Records up to this many bytes are copied in plain eight-byte moves. */
    static final int PLAIN_COPY_MAX_LENGTH = 64;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private SlotCopy()
    {
    }

    /**
     * Copies {@code length} bytes of {@code source} from {@code offset} to the start of {@code slot}; the caller
     * checked the range and the slot's capacity.
     *
     * @param slot   the slot's payload buffer.
     * @param source the record.
     * @param offset where it starts.
     * @param length its length.
     */
    static void copy(final MutableDirectBuffer slot, final byte[] source, final int offset, final int length)
    {
        if (length > PLAIN_COPY_MAX_LENGTH)
        {
            slot.putBytes(0, source, offset, length);
            return;
        }
        int i = 0;
        for (final int longs = length & ~(Long.BYTES - 1); i < longs; i += Long.BYTES)
        {
            slot.putLong(i, (long)LONGS.get(source, offset + i), ByteOrder.nativeOrder());
        }
        for (; i < length; i++)
        {
            slot.putByte(i, source[offset + i]);
        }
    }

    /**
     * Copies {@code length} bytes of {@code source} from {@code offset} to the start of {@code slot}; the caller
     * checked the range and the slot's capacity.
     *
     * @param slot   the slot's payload buffer.
     * @param source the record.
     * @param offset where it starts.
     * @param length its length.
     */
    static void copy(final MutableDirectBuffer slot, final DirectBuffer source, final int offset, final int length)
    {
        if (length > PLAIN_COPY_MAX_LENGTH)
        {
            slot.putBytes(0, source, offset, length);
            return;
        }
        int i = 0;
        for (final int longs = length & ~(Long.BYTES - 1); i < longs; i += Long.BYTES)
        {
            slot.putLong(i, source.getLong(offset + i));
        }
        for (; i < length; i++)
        {
            slot.putByte(i, source.getByte(offset + i));
        }
    }
}
