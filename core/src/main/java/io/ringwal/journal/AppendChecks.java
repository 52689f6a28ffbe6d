package io.ringwal.journal;

import org.agrona.DirectBuffer;

import io.ringwal.format.FrameDescriptor;

/**
 * The argument checks of {@link JournalWriter}'s appends, with errors that name the offset, length and capacity at
 * fault. Nothing here allocates unless an argument is wrong.
 */
final class AppendChecks
{
    private AppendChecks()
    {
    }

    /**
     * Checks that a record of {@code length} bytes at {@code offset} lies within a source of {@code capacity}
     * and does not exceed the maximum record size.
     *
     * @throws IllegalArgumentException if it does not.
     */
    static void checkRange(final int capacity, final int offset, final int length, final int maxRecordSize)
    {
        if (length < 0)
        {
            throw new IllegalArgumentException("length=" + length + " must not be negative");
        }
        if (length > maxRecordSize)
        {
            throw new IllegalArgumentException("record length " + length + " exceeds maxRecordSize=" +
                maxRecordSize);
        }
        if (offset < 0 || (long)offset + length > capacity)
        {
            throw new IllegalArgumentException("offset=" + offset + " length=" + length +
                " is outside the source of capacity " + capacity);
        }
    }

    /**
     * Checks a caller-built frame at {@code offset}: its header and payload lie within the source, the payload
     * does not exceed the maximum record size, its type is data and its sequence is {@code nextSequence}.
     *
     * @return the frame length.
     * @throws IllegalArgumentException if any of that is wrong.
     */
    static int checkFrame(final DirectBuffer source, final int offset, final long nextSequence,
        final int maxRecordSize)
    {
        if (offset < 0 || (long)offset + FrameDescriptor.HEADER_LENGTH > source.capacity())
        {
            throw new IllegalArgumentException("frame header at offset=" + offset +
                " is outside the source of capacity " + source.capacity());
        }
        final int frameLength = FrameDescriptor.frameLength(source, offset);
        final int length = frameLength - FrameDescriptor.HEADER_LENGTH;
        if (length < 0)
        {
            throw new IllegalArgumentException("frame at offset=" + offset + " has length " + frameLength +
                ", shorter than the header (" + FrameDescriptor.HEADER_LENGTH + ")");
        }
        checkRange(source.capacity() - FrameDescriptor.HEADER_LENGTH, offset, length, maxRecordSize);
        if (FrameDescriptor.frameType(source, offset) != FrameDescriptor.TYPE_DATA)
        {
            throw new IllegalArgumentException("frame at offset=" + offset + " has type " +
                FrameDescriptor.frameType(source, offset) + ", expected " + FrameDescriptor.TYPE_DATA);
        }
        final long sequence = FrameDescriptor.sequence(source, offset);
        if (sequence != nextSequence)
        {
            throw new IllegalArgumentException("frame at offset=" + offset + " has sequence " + sequence +
                ", expected the next sequence " + nextSequence);
        }
        return frameLength;
    }
}
