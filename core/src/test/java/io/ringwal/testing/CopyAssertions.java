package io.ringwal.testing;

import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks a byte-copy routine at every length up to past a limit, from and to every offset within a long. */
public final class CopyAssertions
{
    /** A copy under test: {@code length} bytes of its source from {@code from} to {@code destination} at {@code to}. */
    public interface Copy
    {
        /**
         * @param destination the buffer copied into.
         * @param to          where the bytes go.
         * @param from        where they come from in the source.
         * @param length      how many.
         */
        void copy(UnsafeBuffer destination, int to, int from, int length);
    }

    /** The source's byte at an index. */
    public interface SourceByte
    {
        /**
         * @param index the index.
         * @return the byte there.
         */
        byte at(int index);
    }

    private CopyAssertions()
    {
    }

    /** @return room for a source or destination of copies checked up to {@code maxLength}. */
    public static int room(final int maxLength)
    {
        return 2 * maxLength + 64;
    }

    /**
     * Copies every length from 0 to {@code maxLength + 9}, from every source offset 0–7 to every destination offset
     * below {@code destinationOffsets}, into a buffer of {@link #room} bytes filled with 0x5A, and checks that the
     * copied bytes are the source's and every other byte is untouched.
     *
     * @param maxLength          the routine's plain-copy limit.
     * @param destinationOffsets destination offsets to try, from 0.
     * @param copy               the routine.
     * @param source             the source's bytes.
     */
    public static void assertCopiesEveryLengthAndAlignment(
        final int maxLength, final int destinationOffsets, final Copy copy, final SourceByte source)
    {
        final int room = room(maxLength);
        for (int length = 0; length <= maxLength + 9; length++)
        {
            for (int from = 0; from < 8; from++)
            {
                for (int to = 0; to < destinationOffsets; to++)
                {
                    final UnsafeBuffer destination = new UnsafeBuffer(ByteBuffer.allocateDirect(room));
                    destination.setMemory(0, room, (byte)0x5A);
                    copy.copy(destination, to, from, length);
                    for (int i = 0; i < room; i++)
                    {
                        final byte want = i >= to && i < to + length ? source.at(from + i - to) : (byte)0x5A;
                        if (destination.getByte(i) != want)
                        {
                            assertThat(destination.getByte(i))
                                .as("byte %d after copying %d bytes from %d to %d", i, length, from, to)
                                .isEqualTo(want);
                        }
                    }
                }
            }
        }
    }
}
