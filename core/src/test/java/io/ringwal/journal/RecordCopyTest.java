package io.ringwal.journal;

import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.ringwal.testing.CopyAssertions;

class RecordCopyTest
{
    private static final int ROOM = CopyAssertions.room(RecordCopy.PLAIN_COPY_MAX_LENGTH);

    @Test
    void shouldCopyEveryLengthAtEveryAlignmentFromADirectBufferAndTouchNothingElse()
    {
        final UnsafeBuffer source = new UnsafeBuffer(ByteBuffer.allocateDirect(ROOM));
        for (int i = 0; i < ROOM; i++)
        {
            source.putByte(i, (byte)(i * 31 + 7));
        }
        CopyAssertions.assertCopiesEveryLengthAndAlignment(RecordCopy.PLAIN_COPY_MAX_LENGTH, 8,
            (destination, to, from, length) ->
                RecordCopy.copy(destination, to, source, from, length), source::getByte);
    }

    @Test
    void shouldCopyEveryLengthAtEveryAlignmentFromAByteArrayAndTouchNothingElse()
    {
        final byte[] source = new byte[ROOM];
        for (int i = 0; i < ROOM; i++)
        {
            source[i] = (byte)(i * 17 + 3);
        }
        CopyAssertions.assertCopiesEveryLengthAndAlignment(RecordCopy.PLAIN_COPY_MAX_LENGTH, 8,
            (destination, to, from, length) ->
                RecordCopy.copy(destination, to, source, from, length), i -> source[i]);
    }
}
