package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.format.FrameDescriptor;
import io.ringwal.format.SegmentHeaderDescriptor;
import io.ringwal.testing.JournalFiles;

/**
 * Bad arguments and misuse of the writer API: every one is rejected with a clear exception and leaves the
 * journal exactly as it was.
 */
class JournalBadInputTest
{
    private static final int SEGMENT = 64 * 1024;
    private static final int MAX_PAYLOAD = SEGMENT - SegmentHeaderDescriptor.HEADER_LENGTH -
        FrameDescriptor.HEADER_LENGTH;

    @TempDir
    Path dir;

    private static JournalConfig config()
    {
        return JournalConfig.builder().segmentSize(SEGMENT).build();
    }

    @Test
    void shouldRejectConfigWhenMaxRecordSizeExceedsWhatASegmentHolds()
    {
        assertThatThrownBy(() -> JournalConfig.builder().segmentSize(SEGMENT).maxRecordSize(MAX_PAYLOAD + 1).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("maxRecordSize=" + (MAX_PAYLOAD + 1))
            .hasMessageContaining(String.valueOf(MAX_PAYLOAD));
        assertThatThrownBy(() -> JournalConfig.builder().segmentSize(SEGMENT).maxRecordSize(-1).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("maxRecordSize=-1");
        assertThatThrownBy(() -> JournalConfig.builder().segmentSize(SEGMENT + 1).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("segmentSize=" + (SEGMENT + 1));
        assertThat(JournalConfig.builder().segmentSize(SEGMENT).build().maxRecordSize()).isEqualTo(MAX_PAYLOAD);
    }

    @Test
    void shouldRejectRecordLargerThanMaxRecordSizeAndStayUsable()
    {
        final JournalConfig config = JournalConfig.builder().segmentSize(SEGMENT).maxRecordSize(100).build();
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            writer.append(JournalFiles.payload(0, 100), 0, 100);
            final byte[] big = JournalFiles.payload(1, 101);
            assertThatThrownBy(() -> writer.append(big, 0, 101))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("record length 101 exceeds maxRecordSize=100");
            assertThatThrownBy(() -> writer.append(new UnsafeBuffer(big), 0, 101))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxRecordSize=100");
            assertThatThrownBy(() -> writer.append(ByteBuffer.wrap(big)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxRecordSize=100");
            assertThatThrownBy(() -> writer.claim(101))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxRecordSize=100");
            assertThat(writer.nextSequence()).isEqualTo(1);
            assertThat(writer.append(JournalFiles.payload(1, 7), 0, 7)).isEqualTo(1);
        }
        assertThat(JournalFiles.readAll(dir)).containsExactly(JournalFiles.payload(0, 100),
            JournalFiles.payload(1, 7));
    }

    @Test
    void shouldRejectRecordLargerThanASegmentAndAcceptOneThatFillsItExactly()
    {
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            assertThatThrownBy(() -> writer.append(new byte[MAX_PAYLOAD + 1], 0, MAX_PAYLOAD + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds maxRecordSize=" + MAX_PAYLOAD);
            assertThat(writer.append(JournalFiles.payload(0, 10), 0, 10)).isEqualTo(0);
            // does not fit after the first record: pads, rotates, fills the next segment to the last byte
            assertThat(writer.append(JournalFiles.payload(1, MAX_PAYLOAD), 0, MAX_PAYLOAD)).isEqualTo(1);
            assertThat(writer.activeSegmentBase()).isEqualTo(1);
            // the full segment has no room for even a header: the next record starts a new one
            assertThat(writer.append(JournalFiles.payload(2, 1), 0, 1)).isEqualTo(2);
            assertThat(writer.activeSegmentBase()).isEqualTo(2);
        }
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            assertThat(writer.recoveryReport().lastSequence()).isEqualTo(2);
            assertThat(writer.recoveryReport().tornTailCut()).isFalse();
        }
        assertThat(JournalFiles.readAll(dir)).containsExactly(JournalFiles.payload(0, 10),
            JournalFiles.payload(1, MAX_PAYLOAD), JournalFiles.payload(2, 1));
    }

    @Test
    void shouldRejectBadRangesAndNullsWithoutWritingAnything()
    {
        final byte[] source = JournalFiles.payload(0, 16);
        final UnsafeBuffer direct = new UnsafeBuffer(source);
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            assertThatThrownBy(() -> writer.append(source, 0, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length=-1 must not be negative");
            assertThatThrownBy(() -> writer.append(source, -1, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset=-1");
            assertThatThrownBy(() -> writer.append(source, 10, 7))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset=10 length=7 is outside the source of capacity 16");
            assertThatThrownBy(() -> writer.append(source, Integer.MAX_VALUE, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset=" + Integer.MAX_VALUE);
            assertThatThrownBy(() -> writer.append(direct, 0, -5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length=-5");
            assertThatThrownBy(() -> writer.append(direct, -3, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset=-3");
            assertThatThrownBy(() -> writer.append(direct, 8, 9))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity 16");
            assertThatThrownBy(() -> writer.claim(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length=-1");
            assertThatThrownBy(() -> writer.append((byte[])null, 0, 1))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("source");
            assertThatThrownBy(() -> writer.append((UnsafeBuffer)null, 0, 1))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("source");
            assertThatThrownBy(() -> writer.append((ByteBuffer)null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("source");
            assertThat(writer.nextSequence()).isZero();
            assertThat(writer.writtenSequence()).isEqualTo(-1);

            // a ByteBuffer's remaining bytes are the record, and its position does not move
            final ByteBuffer slice = ByteBuffer.wrap(source, 4, 8);
            assertThat(writer.append(slice)).isEqualTo(0);
            assertThat(slice.position()).isEqualTo(4);
            assertThat(writer.append(source, 16, 0)).isEqualTo(1);
        }
        final List<byte[]> records = JournalFiles.readAll(dir);
        assertThat(records).hasSize(2);
        assertThat(records.get(0)).isEqualTo(java.util.Arrays.copyOfRange(source, 4, 12));
        assertThat(records.get(1)).isEmpty();
    }

    @Test
    void shouldThrowJournalClosedExceptionOnEveryCallAfterClose()
    {
        final JournalWriter writer = JournalWriter.open(dir, config());
        writer.append(JournalFiles.payload(0, 5), 0, 5);
        writer.close();
        writer.close(); // idempotent
        assertThat(writer.isClosed()).isTrue();
        assertThatThrownBy(() -> writer.append(new byte[1], 0, 1))
            .isInstanceOf(JournalClosedException.class).hasMessageContaining("is closed").hasMessageContaining(
                dir.toAbsolutePath().normalize().toString());
        assertThatThrownBy(() -> writer.append(new UnsafeBuffer(new byte[1]), 0, 1))
            .isInstanceOf(JournalClosedException.class);
        assertThatThrownBy(() -> writer.append(ByteBuffer.allocate(1))).isInstanceOf(JournalClosedException.class);
        assertThatThrownBy(() -> writer.claim(1)).isInstanceOf(JournalClosedException.class);
        assertThatThrownBy(writer::endOfBatch).isInstanceOf(JournalClosedException.class);
        assertThatThrownBy(writer::force).isInstanceOf(JournalClosedException.class);
        assertThatThrownBy(writer::forceIfDue).isInstanceOf(JournalClosedException.class);
        assertThatThrownBy(() -> writer.deleteSegmentsBelow(0)).isInstanceOf(JournalClosedException.class);
        assertThat(writer.durableSequence()).isEqualTo(0);
        assertThat(JournalFiles.readAll(dir)).hasSize(1);
    }

    @Test
    void shouldRejectCommitTwiceAndAbortAfterCommitOrAbort()
    {
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            final WriteClaim claim = writer.claim(4);
            claim.buffer().putBytes(0, JournalFiles.payload(0, 4));
            assertThat(claim.sequence()).isEqualTo(0);
            assertThat(claim.commit()).isEqualTo(0);
            assertThatThrownBy(claim::commit)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already committed or aborted");
            assertThatThrownBy(claim::abort)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already committed or aborted");

            final WriteClaim second = writer.claim(3);
            second.abort();
            assertThatThrownBy(second::commit).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(second::abort).isInstanceOf(IllegalStateException.class);
            assertThat(writer.nextSequence()).isEqualTo(1);
        }
        assertThat(JournalFiles.readAll(dir)).containsExactly(JournalFiles.payload(0, 4));
    }

    @Test
    void shouldRejectAppendAndClaimWhileAClaimIsOpenNamingItsSequence()
    {
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            writer.append(JournalFiles.payload(0, 3), 0, 3);
            writer.append(JournalFiles.payload(1, 3), 0, 3);
            final WriteClaim claim = writer.claim(8);
            assertThatThrownBy(() -> writer.append(new byte[2], 0, 2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("claim for sequence 2 is still open");
            assertThatThrownBy(() -> writer.claim(2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sequence 2");
            assertThat(claim.isOpen()).isTrue();
            claim.buffer().putBytes(0, JournalFiles.payload(2, 8));
            assertThat(claim.commit()).isEqualTo(2);
        }
        assertThat(JournalFiles.readAll(dir)).containsExactly(JournalFiles.payload(0, 3), JournalFiles.payload(1, 3),
            JournalFiles.payload(2, 8));
    }

    @Test
    void shouldAbortAnOpenClaimOnCloseSoThatReopenSeesNoneOfIt()
    {
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            writer.append(JournalFiles.payload(0, 50), 0, 50);
            writer.endOfBatch();
            final WriteClaim claim = writer.claim(3000);
            claim.buffer().putBytes(0, JournalFiles.payload(99, 3000));
        }
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            final RecoveryReport report = writer.recoveryReport();
            assertThat(report.lastSequence()).isEqualTo(0);
            assertThat(report.tornTailCut()).as("abandoned claim bytes must be zeroed, not left as a tail: %s",
                report).isFalse();
            assertThat(writer.nextSequence()).isEqualTo(1);
        }
        assertThat(JournalFiles.readAll(dir)).containsExactly(JournalFiles.payload(0, 50));
        assertTailIsZero(JournalFiles.segments(dir).get(0), FrameDescriptor.alignedLength(
            FrameDescriptor.frameLength(50)) + SegmentHeaderDescriptor.HEADER_LENGTH);
    }

    @Test
    void shouldLeaveNoGarbageWhenALargerClaimIsAbortedAndASmallerRecordFollows()
    {
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            writer.append(JournalFiles.payload(0, 20), 0, 20);
            final WriteClaim claim = writer.claim(5000);
            claim.buffer().setMemory(0, 5000, (byte)0x5A);
            claim.abort();
            assertThat(writer.append(JournalFiles.payload(1, 9), 0, 9)).isEqualTo(1);
            writer.force();
            // what a reader sees right now, and what recovery sees after close
            assertThat(JournalFiles.readAll(dir)).containsExactly(JournalFiles.payload(0, 20),
                JournalFiles.payload(1, 9));
        }
        final int end = SegmentHeaderDescriptor.HEADER_LENGTH +
            FrameDescriptor.alignedLength(FrameDescriptor.frameLength(20)) +
            FrameDescriptor.alignedLength(FrameDescriptor.frameLength(9));
        assertTailIsZero(JournalFiles.segments(dir).get(0), end);
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            assertThat(writer.recoveryReport().tornTailCut()).as("%s", writer.recoveryReport()).isFalse();
            assertThat(writer.recoveryReport().lastSequence()).isEqualTo(1);
            assertThat(writer.append(JournalFiles.payload(2, 1), 0, 1)).isEqualTo(2);
        }
        assertThat(JournalFiles.readAll(dir)).containsExactly(JournalFiles.payload(0, 20),
            JournalFiles.payload(1, 9), JournalFiles.payload(2, 1));
    }

    @Test
    void shouldLeaveNoGarbageWhenAnAbortedClaimCausedARotation()
    {
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            writer.append(JournalFiles.payload(0, 40_000), 0, 40_000);
            final WriteClaim claim = writer.claim(40_000); // does not fit: rotates first
            claim.buffer().setMemory(0, 40_000, (byte)0x7F);
            claim.abort();
            assertThat(writer.append(JournalFiles.payload(1, 10), 0, 10)).isEqualTo(1);
            assertThat(writer.activeSegmentBase()).isEqualTo(1);
        }
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            assertThat(writer.recoveryReport().tornTailCut()).as("%s", writer.recoveryReport()).isFalse();
            assertThat(writer.recoveryReport().segments()).isEqualTo(2);
        }
        assertThat(JournalFiles.readAll(dir)).containsExactly(JournalFiles.payload(0, 40_000),
            JournalFiles.payload(1, 10));
        assertTailIsZero(JournalFiles.segments(dir).get(1), SegmentHeaderDescriptor.HEADER_LENGTH +
            FrameDescriptor.alignedLength(FrameDescriptor.frameLength(10)));
    }

    @Test
    void shouldStayUsableAcrossRotationsAfterManyRejectedCalls()
    {
        final JournalConfig config = JournalConfig.builder().segmentSize(SEGMENT)
            .allocationTimeout(5, TimeUnit.SECONDS).build();
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            for (int i = 0; i < 200; i++)
            {
                final int sequence = i;
                assertThatThrownBy(() -> writer.append(new byte[1], 2, 1)).isInstanceOf(
                    IllegalArgumentException.class);
                assertThat(writer.append(JournalFiles.payload(sequence, 700), 0, 700)).isEqualTo(sequence);
            }
        }
        assertThat(JournalFiles.readAll(dir)).hasSize(200);
    }

    private static void assertTailIsZero(final Path segment, final int from)
    {
        final byte[] bytes = JournalFiles.read(segment);
        final ByteBuffer frames = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int end = from;
        // the open and close markers each open/close cycle leaves after the last frame are not garbage
        while (end + FrameDescriptor.HEADER_LENGTH <= bytes.length &&
            frames.getInt(end) == FrameDescriptor.HEADER_LENGTH &&
            FrameDescriptor.isMarker(frames.getShort(end + FrameDescriptor.TYPE_OFFSET)))
        {
            end += FrameDescriptor.HEADER_LENGTH;
        }
        for (int i = end; i < bytes.length; i++)
        {
            if (bytes[i] != 0)
            {
                throw new AssertionError(segment + " has a non-zero byte at " + i + " after the last frame (ends at " +
                    from + ")");
            }
        }
    }
}
