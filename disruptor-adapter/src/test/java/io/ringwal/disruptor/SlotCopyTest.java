package io.ringwal.disruptor;

import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.ringwal.testing.CopyAssertions;

class SlotCopyTest
{
    private static final int ROOM = CopyAssertions.room(SlotCopy.PLAIN_COPY_MAX_LENGTH);

    @Test
    void shouldCopyEveryLengthFromEveryAlignmentFromADirectBufferIntoTheSlotStartAndTouchNothingElse()
    {
        final UnsafeBuffer source = new UnsafeBuffer(ByteBuffer.allocateDirect(ROOM));
        for (int i = 0; i < ROOM; i++)
        {
            source.putByte(i, (byte)(i * 31 + 7));
        }
        CopyAssertions.assertCopiesEveryLengthAndAlignment(SlotCopy.PLAIN_COPY_MAX_LENGTH, 1,
            (destination, to, from, length) ->
                SlotCopy.copy(destination, source, from, length), source::getByte);
    }

    @Test
    void shouldCopyEveryLengthFromEveryAlignmentFromAByteArrayIntoTheSlotStartAndTouchNothingElse()
    {
        final byte[] source = new byte[ROOM];
        for (int i = 0; i < ROOM; i++)
        {
            source[i] = (byte)(i * 17 + 3);
        }
        CopyAssertions.assertCopiesEveryLengthAndAlignment(SlotCopy.PLAIN_COPY_MAX_LENGTH, 1,
            (destination, to, from, length) ->
                SlotCopy.copy(destination, source, from, length), i -> source[i]);
    }
}
