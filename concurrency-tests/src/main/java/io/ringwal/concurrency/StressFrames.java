package io.ringwal.concurrency;

import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;

import io.ringwal.format.FrameChecksum;
import io.ringwal.format.FrameDescriptor;

/**
 * Complete, valid data frames for the stress tests' setups: the stale frames a recycled segment holds past its end,
 * which a reader must never take for current data.
 */
public final class StressFrames
{
    private StressFrames()
    {
    }

    /**
     * Writes a whole data frame (header with zero flags and reserved word, a payload of {@code fill, fill + 1, ...},
     * its CRC32C, its length) at {@code offset}.
     *
     * @param buffer        where the frame goes.
     * @param view          a view of the same memory for the CRC.
     * @param checksum      the caller's checksum instance.
     * @param offset        the frame's offset in {@code buffer}.
     * @param sequence      the frame's sequence.
     * @param payloadLength the payload length.
     * @param fill          the first payload byte.
     */
    public static void writeDataFrame(final UnsafeBuffer buffer, final ByteBuffer view, final FrameChecksum checksum,
        final int offset, final long sequence, final int payloadLength, final byte fill)
    {
        final int frameLength = FrameDescriptor.frameLength(payloadLength);
        buffer.putLong(offset + FrameDescriptor.SEQUENCE_OFFSET, sequence, FrameDescriptor.BYTE_ORDER);
        // type, then zero flags and reserved word, in one store
        buffer.putLong(offset + FrameDescriptor.TYPE_OFFSET, FrameDescriptor.TYPE_DATA, FrameDescriptor.BYTE_ORDER);
        for (int i = 0; i < payloadLength; i++)
        {
            buffer.putByte(FrameDescriptor.payloadOffset(offset) + i, (byte)(fill + i));
        }
        buffer.putInt(offset + FrameDescriptor.LENGTH_OFFSET, frameLength, FrameDescriptor.BYTE_ORDER);
        buffer.putInt(offset + FrameDescriptor.CRC_OFFSET,
            checksum.compute(view, offset, frameLength, FrameDescriptor.TYPE_DATA), FrameDescriptor.BYTE_ORDER);
    }
}
