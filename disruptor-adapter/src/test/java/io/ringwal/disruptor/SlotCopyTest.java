package io.ringwal.disruptor;

import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SlotCopyTest
{
    private static final int ROOM = 2 * SlotCopy.PLAIN_COPY_MAX_LENGTH + 64;

    @Test
    void shouldCopyEveryLengthFromEveryAlignmentFromADirectBufferIntoTheSlotStartAndTouchNothingElse()
    {
        final UnsafeBuffer source = new UnsafeBuffer(ByteBuffer.allocateDirect(ROOM));
        for (int i = 0; i < ROOM; i++)
        {
            source.putByte(i, (byte)(i * 31 + 7));
        }
        for (int length = 0; length <= SlotCopy.PLAIN_COPY_MAX_LENGTH + 9; length++)
        {
            for (int from = 0; from < 8; from++)
            {
                for (int to = 0; to < 1; to++)
                {
                    final UnsafeBuffer destination = new UnsafeBuffer(ByteBuffer.allocateDirect(ROOM));
                    destination.setMemory(0, ROOM, (byte)0x5A);
                    SlotCopy.copy(destination, source, from, length);
                    final int f = from;
                    assertCopied(destination, to, length, i -> source.getByte(f + i));
                }
            }
        }
    }

    @Test
    void shouldCopyEveryLengthFromEveryAlignmentFromAByteArrayIntoTheSlotStartAndTouchNothingElse()
    {
        final byte[] source = new byte[ROOM];
        for (int i = 0; i < ROOM; i++)
        {
            source[i] = (byte)(i * 17 + 3);
        }
        for (int length = 0; length <= SlotCopy.PLAIN_COPY_MAX_LENGTH + 9; length++)
        {
            for (int from = 0; from < 8; from++)
            {
                for (int to = 0; to < 1; to++)
                {
                    final UnsafeBuffer destination = new UnsafeBuffer(ByteBuffer.allocateDirect(ROOM));
                    destination.setMemory(0, ROOM, (byte)0x5A);
                    SlotCopy.copy(destination, source, from, length);
                    final int f = from;
                    assertCopied(destination, to, length, i -> source[f + i]);
                }
            }
        }
    }

    private interface Expected
    {
        byte at(int i);
    }

    private static void assertCopied(final UnsafeBuffer destination, final int to, final int length,
        final Expected expected)
    {
        for (int i = 0; i < ROOM; i++)
        {
            final byte want = i >= to && i < to + length ? expected.at(i - to) : (byte)0x5A;
            if (destination.getByte(i) != want)
            {
                assertThat(destination.getByte(i)).as("byte %d after copying %d bytes to %d", i, length, to)
                    .isEqualTo(want);
            }
        }
    }
}
