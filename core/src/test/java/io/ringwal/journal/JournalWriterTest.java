package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.format.SegmentFileNames;

class JournalWriterTest
{
    private static final int SEGMENT_SIZE = 64 * 1024;

    @TempDir
    Path dir;

    private static final class Read
    {
        final long sequence;
        final byte[] payload;

        Read(final long sequence, final byte[] payload)
        {
            this.sequence = sequence;
            this.payload = payload;
        }
    }

    private List<Read> readAll()
    {
        final List<Read> records = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir, 0))
        {
            while (reader.poll((sequence, buffer, offset, length) ->
            {
                final byte[] bytes = new byte[length];
                buffer.getBytes(offset, bytes);
                records.add(new Read(sequence, bytes));
            }, 1000) > 0)
            {
                // drain
            }
        }
        return records;
    }

    private static byte[] payload(final long sequence, final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(sequence * 31 + i);
        }
        return bytes;
    }

    @Test
    void shouldAssignContiguousSequencesFromZeroThatSurviveReopen()
    {
        final JournalConfig config = JournalConfig.builder().segmentSize(SEGMENT_SIZE).build();
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            assertThat(writer.recoveryReport().created()).isTrue();
            for (int i = 0; i < 300; i++)
            {
                assertThat(writer.append(payload(i, 1000), 0, 1000)).isEqualTo(i);
            }
            writer.endOfBatch();
            assertThat(writer.counters().rotations()).isGreaterThanOrEqualTo(4);
        }
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            assertThat(writer.recoveryReport().created()).isFalse();
            assertThat(writer.recoveryReport().lastSequence()).isEqualTo(299);
            assertThat(writer.durableSequence()).isEqualTo(299);
            assertThat(writer.append(payload(300, 10), 0, 10)).isEqualTo(300);
        }
        final List<Read> records = readAll();
        assertThat(records).hasSize(301);
        for (int i = 0; i < records.size(); i++)
        {
            assertThat(records.get(i).sequence).isEqualTo(i);
            assertThat(records.get(i).payload).isEqualTo(payload(i, i == 300 ? 10 : 1000));
        }
    }

    @Test
    void shouldAppendFromEverySourceKind()
    {
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.builder().segmentSize(SEGMENT_SIZE).build()))
        {
            final byte[] bytes = payload(0, 50);
            writer.append(bytes, 10, 20);
            writer.append(new UnsafeBuffer(bytes), 5, 30);
            final ByteBuffer direct = ByteBuffer.allocateDirect(50);
            direct.put(bytes).flip().position(7);
            writer.append(direct);
            assertThat(direct.position()).isEqualTo(7);
            writer.append(bytes, 0, 0);
        }
        final List<Read> records = readAll();
        assertThat(records).hasSize(4);
        assertThat(records.get(0).payload).isEqualTo(java.util.Arrays.copyOfRange(payload(0, 50), 10, 30));
        assertThat(records.get(1).payload).isEqualTo(java.util.Arrays.copyOfRange(payload(0, 50), 5, 35));
        assertThat(records.get(2).payload).isEqualTo(java.util.Arrays.copyOfRange(payload(0, 50), 7, 50));
        assertThat(records.get(3).payload).isEmpty();
    }

    @Test
    void shouldWriteInPlaceThroughClaimAndNotUseTheSequenceOfAnAbortedClaim()
    {
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.builder().segmentSize(SEGMENT_SIZE).build()))
        {
            final WriteClaim first = writer.claim(100);
            assertThat(first.sequence()).isEqualTo(0);
            first.buffer().putBytes(0, payload(0, 100));
            assertThat(first.commit()).isEqualTo(0);

            final WriteClaim aborted = writer.claim(4000);
            aborted.buffer().setMemory(0, 4000, (byte)0x7F);
            aborted.abort();

            final WriteClaim second = writer.claim(8);
            assertThat(second.sequence()).isEqualTo(1);
            second.buffer().putBytes(0, payload(1, 8));
            second.commit();
            writer.endOfBatch();
        }
        final List<Read> records = readAll();
        assertThat(records).extracting(r -> r.sequence).containsExactly(0L, 1L);
        assertThat(records.get(1).payload).isEqualTo(payload(1, 8));
    }

    @ParameterizedTest
    @EnumSource(WriteMode.class)
    void shouldForceEveryBatchAndNeverReportDurableBeforeTheForce(final WriteMode writeMode)
    {
        final List<long[]> forces = new ArrayList<>();
        final JournalWriter[] writerRef = new JournalWriter[1];
        final ForceObserver observer = new ForceObserver()
        {
            @Override
            public void beforeForce(final Path segment, final long offset, final long length, final long upto)
            {
                if (writerRef[0] != null && SegmentFileNames.isSegmentFileName(segment.getFileName().toString()))
                {
                    // a force that covers only a close marker makes nothing new durable (upto == durable)
                    assertThat(writerRef[0].durableSequence()).isLessThanOrEqualTo(upto);
                }
            }

            @Override
            public void afterForce(
                final Path segment, final long offset, final long length, final long upto, final long nanos)
            {
                if (!SegmentFileNames.isSegmentFileName(segment.getFileName().toString()))
                {
                    return; // a new segment's header or the directory, at rotation
                }
                forces.add(new long[]{offset, length, upto});
            }
        };
        final JournalConfig config = JournalConfig.builder().segmentSize(SEGMENT_SIZE).forceObserver(observer)
            .writeMode(writeMode).build();
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            writerRef[0] = writer;
            for (int batch = 0; batch < 5; batch++)
            {
                for (int i = 0; i < 3; i++)
                {
                    writer.append(payload(0, 100), 0, 100);
                }
                assertThat(writer.durableSequence()).isEqualTo(batch * 3 - 1);
                // staged records reach the file, and readers, at the end of the batch
                assertThat(writer.writtenSequence()).isEqualTo(writeMode == WriteMode.MAPPED ? batch * 3 + 2 :
                    batch * 3 - 1);
                writer.endOfBatch();
                assertThat(writer.writtenSequence()).isEqualTo(batch * 3 + 2);
                assertThat(writer.durableSequence()).isEqualTo(batch * 3 + 2);
            }
            assertThat(forces).hasSize(5);
            writer.endOfBatch();
            assertThat(forces).as("an empty batch forces nothing").hasSize(5);
        }
    }

    @Test
    void shouldNotForceUnderTheNeverPolicyExceptAtRotationAndClose()
    {
        final List<long[]> forces = new ArrayList<>();
        final List<Path> forcedFiles = new ArrayList<>();
        final ForceObserver observer = new ForceObserver()
        {
            @Override
            public void afterForce(
                final Path segment, final long offset, final long length, final long upto, final long nanos)
            {
                if (!SegmentFileNames.isSegmentFileName(segment.getFileName().toString()))
                {
                    return; // a new segment's header or the directory, at rotation
                }
                forces.add(new long[]{offset, length, upto});
                forcedFiles.add(segment);
            }
        };
        final JournalConfig config = JournalConfig.builder()
            .segmentSize(SEGMENT_SIZE).forcePolicy(ForcePolicy.never()).forceObserver(observer).build();
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            for (int i = 0; i < 10; i++)
            {
                writer.append(payload(i, 1000), 0, 1000);
                writer.endOfBatch();
            }
            assertThat(forces).isEmpty();
            assertThat(writer.durableSequence()).isEqualTo(-1);
            long sequence = 10;
            while (writer.counters().rotations() < 2)
            {
                writer.append(payload(sequence, 1000), 0, 1000);
                writer.endOfBatch();
                sequence++;
            }
            assertThat(forces).as("exactly one force, of the finished segment, at rotation").hasSize(1);
            assertThat(forcedFiles.get(0).getFileName().toString()).isEqualTo(SegmentFileNames.segmentFileName(0));
            final long[] rotationForce = forces.get(0);
            assertThat(rotationForce[0] + rotationForce[1]).as("forced to the segment end").isEqualTo(SEGMENT_SIZE);
            assertThat(writer.durableSequence()).isEqualTo(rotationForce[2]).isEqualTo(sequence - 2);
        }
        assertThat(forces).as("close forces the rest").hasSize(2);
    }

    @Test
    void shouldForceWholeFinishedSegmentBeforeFirstByteOfTheNextUnderEveryPolicy()
    {
        for (final ForcePolicy policy : new ForcePolicy[]{ForcePolicy.everyBatch(), ForcePolicy.never(),
            ForcePolicy.bounded(1, TimeUnit.HOURS, 1L << 40)})
        {
            final Path journal = dir.resolve(policy.kind().name());
            final List<Path> forcedFiles = new ArrayList<>();
            final List<long[]> forces = new ArrayList<>();
            final JournalWriter[] writerRef = new JournalWriter[1];
            final ForceObserver observer = new ForceObserver()
            {
                @Override
                public void afterForce(
                    final Path segment, final long offset, final long length, final long upto, final long nanos)
                {
                    forcedFiles.add(segment);
                    forces.add(new long[]{offset, length, upto, writerRef[0] == null ? -1 :
                        writerRef[0].activeSegmentBase()});
                }
            };
            final JournalConfig config = JournalConfig.builder()
                .segmentSize(SEGMENT_SIZE).forcePolicy(policy).forceObserver(observer).build();
            try (JournalWriter writer = JournalWriter.open(journal, config))
            {
                writerRef[0] = writer;
                long lastInFirstSegment = -1;
                while (writer.counters().rotations() < 2)
                {
                    final long before = writer.activeSegmentBase();
                    final long sequence = writer.append(payload(0, 3000), 0, 3000);
                    if (writer.activeSegmentBase() == before && before == 0)
                    {
                        lastInFirstSegment = sequence;
                    }
                    if (sequence % 4 == 3)
                    {
                        writer.endOfBatch();
                    }
                }
                int rotationForce = -1;
                for (int i = 0; i < forces.size(); i++)
                {
                    if (forcedFiles.get(i).getFileName().toString().equals(SegmentFileNames.segmentFileName(0)) &&
                        forces.get(i)[0] + forces.get(i)[1] == SEGMENT_SIZE)
                    {
                        rotationForce = i;
                    }
                }
                assertThat(rotationForce).as(policy + ": the first segment was forced to its end").isNotNegative();
                assertThat(forces.get(rotationForce)[2]).as(policy + ": covering its last record")
                    .isEqualTo(lastInFirstSegment);
                assertThat(forces.get(rotationForce)[3]).as(policy + ": while it was still the active segment")
                    .isZero();
            }
        }
    }

    @Test
    void shouldForceUnderBoundedPolicyOnlyOnceAByteBoundIsPassed()
    {
        final List<Long> forced = new ArrayList<>();
        final ForceObserver observer = new ForceObserver()
        {
            @Override
            public void afterForce(
                final Path segment, final long offset, final long length, final long upto, final long nanos)
            {
                if (!SegmentFileNames.isSegmentFileName(segment.getFileName().toString()))
                {
                    return; // a new segment's header or the directory, at rotation
                }
                forced.add(upto);
            }
        };
        final JournalConfig config = JournalConfig.builder().segmentSize(SEGMENT_SIZE)
            .forcePolicy(ForcePolicy.bounded(1, TimeUnit.HOURS, 4096)).forceObserver(observer).build();
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            for (int i = 0; i < 3; i++)
            {
                writer.append(payload(i, 1000), 0, 1000);
                writer.endOfBatch();
            }
            assertThat(forced).as("3 x 1024 bytes < 4096").isEmpty();
            writer.append(payload(3, 1000), 0, 1000);
            writer.endOfBatch();
            assertThat(forced).containsExactly(3L);
            assertThat(writer.durableSequence()).isEqualTo(3);
        }
    }

    @Test
    void shouldForceUnderBoundedPolicyOnceTheTimeBoundIsPassedEvenWithoutAnotherBatch() throws Exception
    {
        final JournalConfig config = JournalConfig.builder().segmentSize(SEGMENT_SIZE)
            .forcePolicy(ForcePolicy.bounded(20, TimeUnit.MILLISECONDS, 1L << 30)).build();
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            writer.append(payload(0, 10), 0, 10);
            writer.endOfBatch();
            final long appended = System.nanoTime();
            final boolean forcedEarly = writer.forceIfDue();
            if (System.nanoTime() - appended < TimeUnit.MILLISECONDS.toNanos(20))
            {
                assertThat(forcedEarly).isFalse();
                assertThat(writer.durableSequence()).isEqualTo(-1);
            }
            Thread.sleep(25);
            assertThat(writer.forceIfDue()).isTrue();
            assertThat(writer.durableSequence()).isEqualTo(0);
        }
    }

    @Test
    void shouldPublishWatermarksToOtherThreads() throws Exception
    {
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.builder().segmentSize(SEGMENT_SIZE).build()))
        {
            for (int i = 0; i < 10; i++)
            {
                writer.append(payload(i, 10), 0, 10);
            }
            writer.endOfBatch();
            final long[] seen = new long[2];
            final Thread reader = new Thread(() ->
            {
                seen[0] = writer.writtenSequence();
                seen[1] = writer.durableSequence();
            });
            reader.start();
            reader.join();
            assertThat(seen).containsExactly(9, 9);
        }
    }

    @Test
    void shouldFillSegmentsExactlyAndStartTheNextAtTheNextSequence()
    {
        final int maxPayload = JournalConfig.maxPayloadFor(SEGMENT_SIZE);
        final JournalConfig config = JournalConfig.builder().segmentSize(SEGMENT_SIZE).build();
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            assertThat(writer.append(new byte[maxPayload], 0, maxPayload)).isEqualTo(0);
            assertThat(writer.append(new byte[1], 0, 1)).isEqualTo(1);
            assertThat(writer.activeSegment().getFileName().toString())
                .isEqualTo(SegmentFileNames.segmentFileName(1));
            writer.endOfBatch();
        }
        assertThat(readAll()).extracting(r -> r.payload.length).containsExactly(maxPayload, 1);
    }

    @Test
    void shouldContinueTheSegmentChainWhenTheLastSegmentWasClosedBeforeACrash() throws Exception
    {
        final JournalConfig config = JournalConfig.builder().segmentSize(SEGMENT_SIZE).build();
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            while (writer.counters().rotations() < 2)
            {
                writer.append(payload(0, 5000), 0, 5000);
            }
            writer.endOfBatch();
            assertThat(writer.nextSequence() - 1).isEqualTo(writer.activeSegmentBase());
        }
        // the crash came after the padding frame closed segment 0 but before the next segment was renamed in
        final long secondBase;
        try (var files = java.nio.file.Files.list(dir))
        {
            final List<Path> segments = files.filter(p -> SegmentFileNames.isSegmentFileName(
                p.getFileName().toString())).sorted().collect(java.util.stream.Collectors.toList());
            assertThat(segments).hasSize(2);
            secondBase = SegmentFileNames.baseSequence(segments.get(1));
            java.nio.file.Files.delete(segments.get(1));
        }
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            assertThat(writer.recoveryReport().lastSequence()).isEqualTo(secondBase - 1);
            assertThat(writer.activeSegmentBase()).isEqualTo(secondBase);
            assertThat(writer.append(payload(0, 10), 0, 10)).isEqualTo(secondBase);
        }
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            assertThat(writer.recoveryReport().lastSequence()).isEqualTo(secondBase);
        }
        assertThat(readAll()).hasSize((int)secondBase + 1);
    }

    @Test
    void shouldMakeATailingReaderFailRatherThanWaitForeverAtAMissingMiddleSegment() throws Exception
    {
        final JournalConfig config = JournalConfig.builder().segmentSize(SEGMENT_SIZE).build();
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            while (writer.counters().rotations() < 3)
            {
                writer.append(payload(0, 5000), 0, 5000);
            }
            writer.endOfBatch();
        }
        final List<Path> segments;
        try (var files = java.nio.file.Files.list(dir))
        {
            segments = files.filter(p -> SegmentFileNames.isSegmentFileName(p.getFileName().toString()))
                .sorted().collect(java.util.stream.Collectors.toList());
        }
        java.nio.file.Files.delete(segments.get(1));
        try (JournalReader reader = JournalReader.open(dir, 0))
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            org.assertj.core.api.Assertions.assertThatThrownBy(() ->
            {
                while (System.nanoTime() < deadline)
                {
                    reader.poll((sequence, buffer, offset, length) -> { }, 100);
                    Thread.sleep(5);
                }
            }).isInstanceOf(JournalCorruptedException.class)
                .hasMessageContaining(segments.get(1).getFileName().toString())
                .hasMessageContaining("missing");
        }
    }
}
