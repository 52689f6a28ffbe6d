package io.ringwal.journal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Copies a record's bytes from the caller's buffer into the frame being built. A record of up to 64 bytes is copied
 * eight bytes at a time in plain loads and stores; a longer one through {@link MutableDirectBuffer#putBytes}, which
 * is {@code Unsafe.copyMemory} and, on a CPU with AVX-512, HotSpot's AVX-512 array-copy stub.
 *
 * <p>Why not the stub for records of up to 64 bytes: on the AMD EPYC (AVX-512) build machine, with the pipeline's
 * writer copying 64-byte records out of ring slots that the producer had just filled on the other core, one
 * instruction of that stub ({@code jlong_disjoint_arraycopy_avx3}) held about half the writer thread's samples in
 * {@code perf record}, and the same run with {@code -XX:UseAVX=2} moved about twice the records per second. From
 * 128 bytes on the stub is faster than plain moves (docs/BENCHMARKS.md, "Copying short records").
 */
final class RecordCopy
{
    /** Records up to this many bytes are copied in plain eight-byte moves. */
    static final int PLAIN_COPY_MAX_LENGTH = 64;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private RecordCopy()
    {
    }

    /**
     * Copies {@code length} bytes of {@code source} from {@code sourceIndex} to {@code destination} at
     * {@code destinationIndex}; both ranges were checked by the caller.
     *
     * @param destination      the frame's buffer.
     * @param destinationIndex where the bytes go.
     * @param source           the record's buffer.
     * @param sourceIndex      where the record starts.
     * @param length           bytes to copy.
     */
    static void copy(final MutableDirectBuffer destination, final int destinationIndex, final DirectBuffer source,
        final int sourceIndex, final int length)
    {
        if (length > PLAIN_COPY_MAX_LENGTH)
        {
            destination.putBytes(destinationIndex, source, sourceIndex, length);
            return;
        }
        int i = 0;
        for (final int longs = length & ~(Long.BYTES - 1); i < longs; i += Long.BYTES)
        {
            destination.putLong(destinationIndex + i, source.getLong(sourceIndex + i));
        }
        for (; i < length; i++)
        {
            destination.putByte(destinationIndex + i, source.getByte(sourceIndex + i));
        }
    }

    /**
     * Copies {@code length} bytes of {@code source} from {@code sourceIndex} to {@code destination} at
     * {@code destinationIndex}; both ranges were checked by the caller.
     *
     * @param destination      the frame's buffer.
     * @param destinationIndex where the bytes go.
     * @param source           the record.
     * @param sourceIndex      where the record starts.
     * @param length           bytes to copy.
     */
    static void copy(final MutableDirectBuffer destination, final int destinationIndex, final byte[] source,
        final int sourceIndex, final int length)
    {
        if (length > PLAIN_COPY_MAX_LENGTH)
        {
            destination.putBytes(destinationIndex, source, sourceIndex, length);
            return;
        }
        int i = 0;
        for (final int longs = length & ~(Long.BYTES - 1); i < longs; i += Long.BYTES)
        {
            final long bytes = (long)LONGS.get(source, sourceIndex + i);
            destination.putLong(destinationIndex + i, bytes, ByteOrder.nativeOrder());
        }
        for (; i < length; i++)
        {
            destination.putByte(destinationIndex + i, source[sourceIndex + i]);
        }
    }
}
