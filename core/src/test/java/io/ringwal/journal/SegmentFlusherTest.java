package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The background write-back of the active segment (never and bounded policies) writes pages back ahead of the
 * rotation, but it never moves the durable watermark: only the writer's own forces do.
 */
class SegmentFlusherTest
{
    private static final int SEGMENT_SIZE = 16 * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void shouldWriteBackAheadOfRotationWithoutMovingTheDurableWatermark() throws Exception
    {
        final JournalConfig config = JournalConfig.builder().segmentSize(SEGMENT_SIZE)
            .forcePolicy(ForcePolicy.never()).build();
        final byte[] payload = new byte[4096];
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            final SegmentFlusher flusher = writer.flusher();
            assertThat(flusher).as("never policy writes back in the background").isNotNull();
            for (int i = 0; i < 2048; i++)
            {
                writer.append(payload, 0, payload.length);
            }
            writer.endOfBatch();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (flusher.flushes() == 0 && System.nanoTime() < deadline)
            {
                Thread.sleep(5);
            }
            assertThat(flusher.flushes()).as("background write-backs").isPositive();
            assertThat(flusher.failure()).isNull();
            assertThat(writer.durableSequence()).as("write-back is not a durability promise").isEqualTo(-1);
            assertThat(writer.counters().forces()).isZero();
        }
    }

    @Test
    void shouldNotWriteBackInTheBackgroundWhenTurnedOffButStillForceAtRotation()
    {
        final JournalConfig config = JournalConfig.builder().segmentSize(1024 * 1024)
            .forcePolicy(ForcePolicy.never()).backgroundWriteBack(false).build();
        final byte[] payload = new byte[4096];
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            assertThat(writer.flusher()).isNull();
            assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .noneMatch(name -> name.startsWith("ringwal-flusher-" + dir.getFileName()));
            for (int i = 0; i < 300; i++)
            {
                writer.append(payload, 0, payload.length);
                writer.endOfBatch();
            }
            assertThat(writer.counters().rotations()).isPositive();
            assertThat(writer.counters().forces()).as("the rotation forces the finished segment").isPositive();
            assertThat(writer.durableSequence()).as("the rotation's force covers the old segment").isPositive();
        }
    }

    @Test
    void shouldNotWriteBackInTheBackgroundUnderEveryBatch()
    {
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.builder().segmentSize(SEGMENT_SIZE)
            .forcePolicy(ForcePolicy.everyBatch()).build()))
        {
            assertThat(writer.flusher()).isNull();
        }
    }
}
