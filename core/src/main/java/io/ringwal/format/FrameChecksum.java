package io.ringwal.format;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Computes the CRC32C of a frame as {@link FrameDescriptor} defines it: the four little-endian length bytes,
 * then the frame from the sequence field to the end of the covered range. One instance per thread; it reuses
 * its state and allocates nothing.
 *
 * <p>The bytes are read through a {@link ByteBuffer} view of the segment (a direct buffer), so
 * {@link CRC32C#update(ByteBuffer)} runs the JDK's intrinsic over the mapped memory with no copy.
 */
public final class FrameChecksum
{
    private final CRC32C crc = new CRC32C();

    /**
     * Creates a checksum calculator.
     */
    public FrameChecksum()
    {
    }

    /**
     * Computes a frame's CRC.
     *
     * @param view        a view over the segment whose position and limit this call may change (never shared
     *                    between threads).
     * @param frameOffset offset of the frame within {@code view}.
     * @param frameLength the frame length the frame has (or is about to be given).
     * @param frameType   the frame type.
     * @return the CRC32C as an int.
     */
    public int compute(final ByteBuffer view, final int frameOffset, final int frameLength, final short frameType)
    {
        final CRC32C crc = this.crc;
        crc.reset();
        crc.update(frameLength & 0xFF);
        crc.update((frameLength >>> 8) & 0xFF);
        crc.update((frameLength >>> 16) & 0xFF);
        crc.update((frameLength >>> 24) & 0xFF);
        final int end = frameOffset + FrameDescriptor.crcEnd(frameType, frameLength);
        view.limit(end).position(frameOffset + FrameDescriptor.SEQUENCE_OFFSET);
        crc.update(view);
        return (int)crc.getValue();
    }
}
