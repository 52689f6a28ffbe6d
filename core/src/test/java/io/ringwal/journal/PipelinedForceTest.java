package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.format.SegmentFileNames;
import io.ringwal.segment.PreallocationMode;
import io.ringwal.testing.JournalFiles;
import io.ringwal.testing.QuietLogs;

/**
 * Pipelined forcing: the writer goes on appending while a force runs on the force thread, the next force covers
 * everything written meanwhile, the watermark (and the durability listener) advance only after a completed force,
 * and a failed force is final.
 */
class PipelinedForceTest
{
    private static final int SEGMENT_SIZE = 64 * 1024;

    @TempDir
    Path dir;

    private static JournalConfig.Builder config(final ForceObserver observer)
    {
        return JournalConfig.builder().segmentSize(SEGMENT_SIZE).preallocationMode(PreallocationMode.BUFFERED)
            .forcePolicy(ForcePolicy.everyBatch()).pipelinedForce(true).pipelinedForceMinRecordBytes(0)
            .pipelinedForceMinBatchBytes(0).forceObserver(observer);
    }

    @Test
    void shouldHandOverOnlyLargeBatchesOfLargeRecordsWithTheDefaultMinimums() throws Exception
    {
        final List<String> forcingThreads = new CopyOnWriteArrayList<>();
        final ForceObserver observer = new ForceObserver()
        {
            @Override
            public void beforeForce(final Path segment, final long offset, final long length, final long upto)
            {
                if (SegmentFileNames.isSegmentFileName(segment.getFileName().toString()))
                {
                    forcingThreads.add(Thread.currentThread().getName());
                }
            }
        };
        final JournalConfig config = JournalConfig.builder().segmentSize(8 * 1024 * 1024)
            .preallocationMode(PreallocationMode.BUFFERED).forcePolicy(ForcePolicy.everyBatch()).pipelinedForce(true)
            .forceObserver(observer).build();
        assertThat(config.pipelinedForceMinRecordBytes())
            .isEqualTo(JournalConfig.DEFAULT_PIPELINED_FORCE_MIN_RECORD_BYTES);
        assertThat(config.pipelinedForceMinBatchBytes())
            .isEqualTo(JournalConfig.DEFAULT_PIPELINED_FORCE_MIN_BATCH_BYTES);
        final int small = JournalConfig.DEFAULT_PIPELINED_FORCE_MIN_RECORD_BYTES / 2;
        final int large = JournalConfig.DEFAULT_PIPELINED_FORCE_MIN_RECORD_BYTES;
        // a batch of large records just over the smallest pipelined batch, and one of small records as large
        final int largePerBatch = JournalConfig.DEFAULT_PIPELINED_FORCE_MIN_BATCH_BYTES / large + 1;
        final int smallPerBatch = 2 * largePerBatch;
        final List<Integer> sizes = new ArrayList<>();
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            final String writerThread = Thread.currentThread().getName();
            forcingThreads.clear(); // the open's own forces
            // small batches of large records, and large batches of small ones: the writer forces them itself,
            // and what it forced is durable when endOfBatch returns
            for (int batch = 0; batch < 3; batch++)
            {
                appendSizedBatch(writer, sizes, large, 10);
                assertThat(writer.durableSequence()).isEqualTo(sizes.size() - 1);
                appendSizedBatch(writer, sizes, small, smallPerBatch);
                assertThat(writer.durableSequence()).isEqualTo(sizes.size() - 1);
            }
            assertThat(forcingThreads).hasSize(6).containsOnly(writerThread);
            forcingThreads.clear();
            // large batches of large records: handed to the force thread
            for (int batch = 0; batch < 3; batch++)
            {
                appendSizedBatch(writer, sizes, large, largePerBatch);
            }
            writer.force();
            assertThat(writer.durableSequence()).isEqualTo(sizes.size() - 1);
            assertThat(forcingThreads).anyMatch(name -> name.startsWith("ringwal-forcer-"));
            // a small batch again: the writer waits for the force in flight, then forces on its own thread
            forcingThreads.clear();
            appendSizedBatch(writer, sizes, small, 1);
            assertThat(writer.durableSequence()).isEqualTo(sizes.size() - 1);
            assertThat(forcingThreads).containsExactly(writerThread);
        }
        final List<byte[]> records = JournalFiles.readAll(dir);
        assertThat(records).hasSize(sizes.size());
        for (int i = 0; i < sizes.size(); i++)
        {
            assertThat(records.get(i)).isEqualTo(JournalFiles.payload(i, sizes.get(i)));
        }
    }

    private static void appendSizedBatch(final JournalWriter writer, final List<Integer> sizes, final int size,
        final int records)
    {
        for (int i = 0; i < records; i++)
        {
            writer.append(JournalFiles.payload(sizes.size(), size), 0, size);
            sizes.add(size);
        }
        writer.endOfBatch();
    }

    @Test
    void shouldRefuseNegativeMinimums()
    {
        assertThatThrownBy(() -> JournalConfig.builder().pipelinedForceMinRecordBytes(-1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pipelinedForceMinRecordBytes=-1");
        assertThatThrownBy(() -> JournalConfig.builder().pipelinedForceMinBatchBytes(-1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pipelinedForceMinBatchBytes=-1");
    }


    @Test
    void shouldKeepAppendingWhileAForceRunsAndCoverEverythingWithTheNextForce() throws Exception
    {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch inForce = new CountDownLatch(1);
        final AtomicLong forcedUpto = new AtomicLong(-1);
        final List<Long> forces = new CopyOnWriteArrayList<>();
        final ForceObserver observer = new ForceObserver()
        {
            @Override
            public void beforeForce(final Path segment, final long offset, final long length, final long upto)
            {
                if (SegmentFileNames.isSegmentFileName(segment.getFileName().toString()) && forces.isEmpty())
                {
                    inForce.countDown();
                    await(release);
                }
            }

            @Override
            public void afterForce(
                final Path segment, final long offset, final long length, final long upto, final long nanos)
            {
                if (SegmentFileNames.isSegmentFileName(segment.getFileName().toString()))
                {
                    forces.add(upto);
                    forcedUpto.accumulateAndGet(upto, Math::max);
                }
            }
        };
        final List<Long> listened = new CopyOnWriteArrayList<>();
        try (JournalWriter writer = JournalWriter.open(dir, config(observer).build()))
        {
            writer.durabilityListener(durable ->
            {
                assertThat(durable).isLessThanOrEqualTo(forcedUpto.get());
                listened.add(durable);
            });
            writer.append(JournalFiles.payload(0, 100), 0, 100);
            writer.endOfBatch();
            assertThat(inForce.await(10, TimeUnit.SECONDS)).isTrue();
            // the first force is held: the writer thread still appends and ends batches without waiting
            for (int i = 1; i < 50; i++)
            {
                writer.append(JournalFiles.payload(i, 100), 0, 100);
                writer.endOfBatch();
                assertThat(writer.durableSequence()).isEqualTo(-1);
            }
            release.countDown();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (writer.durableSequence() < 49 && System.nanoTime() < deadline)
            {
                Thread.onSpinWait();
            }
            assertThat(writer.durableSequence()).isEqualTo(49);
        }
        // one force held back, then one that covered the 49 records written meanwhile
        assertThat(forces.get(0)).isEqualTo(0);
        assertThat(forces.get(1)).isEqualTo(49);
        assertThat(listened).isSorted().doesNotHaveDuplicates().startsWith(0L, 49L);
        assertThat(JournalFiles.readAll(dir)).hasSize(50);
    }

    @Test
    void shouldNeverPublishDurableBeforeTheForceAndKeepEveryRecordAcrossRotations()
    {
        final AtomicLong forcedUpto = new AtomicLong(-1);
        final ForceObserver observer = new ForceObserver()
        {
            @Override
            public void afterForce(
                final Path segment, final long offset, final long length, final long upto, final long nanos)
            {
                forcedUpto.accumulateAndGet(upto, Math::max);
            }
        };
        try (JournalWriter writer = JournalWriter.open(dir, config(observer).build()))
        {
            for (int i = 0; i < 3_000; i++)
            {
                writer.append(JournalFiles.payload(i, 500), 0, 500);
                if (i % 7 == 6)
                {
                    writer.endOfBatch();
                }
                assertThat(writer.durableSequence()).isLessThanOrEqualTo(forcedUpto.get());
            }
            writer.force();
            assertThat(writer.durableSequence()).isEqualTo(2_999);
            assertThat(writer.counters().rotations()).isGreaterThan(10);
        }
        final List<byte[]> records = JournalFiles.readAll(dir);
        assertThat(records).hasSize(3_000);
        for (int i = 0; i < 3_000; i++)
        {
            assertThat(records.get(i)).isEqualTo(JournalFiles.payload(i, 500));
        }
    }

    @Test
    void shouldFailForGoodWhenAPipelinedForceFails() throws Exception
    {
        final AtomicLong segmentForces = new AtomicLong();
        final ForceObserver failing = new ForceObserver()
        {
            @Override
            public void beforeForce(final Path segment, final long offset, final long length, final long upto)
            {
                if (SegmentFileNames.isSegmentFileName(segment.getFileName().toString()) &&
                    segmentForces.incrementAndGet() == 3)
                {
                    throw new UncheckedIOException(new IOException("injected"));
                }
            }
        };
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        final QuietLogs quiet = QuietLogs.quiet();
        try (JournalWriter writer = JournalWriter.open(dir, config(failing).build()))
        {
            writer.failureListener(failures::add);
            assertThatThrownBy(() ->
            {
                for (int i = 0; i < 10_000; i++)
                {
                    writer.append(JournalFiles.payload(i, 100), 0, 100);
                    writer.endOfBatch();
                }
            }).isInstanceOf(JournalFailedException.class).hasRootCauseMessage("injected");
            assertThat(failures).hasSize(1);
            final long durable = writer.durableSequence();
            assertThat(durable).isLessThanOrEqualTo(writer.nextSequence() - 1);
            assertThatThrownBy(writer::force).isInstanceOf(JournalFailedException.class);
            assertThat(writer.durableSequence()).as("nothing after the failed force is durable").isEqualTo(durable);
        }
        finally
        {
            quiet.close();
        }
    }

    private static void await(final CountDownLatch latch)
    {
        try
        {
            latch.await(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldWaitForTheForceInFlightOnceItHasWrittenAsMuchAgain() throws Exception
    {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch inForce = new CountDownLatch(1);
        final java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
        final ForceObserver observer = new ForceObserver()
        {
            @Override
            public void beforeForce(final Path segment, final long offset, final long length, final long upto)
            {
                if (SegmentFileNames.isSegmentFileName(segment.getFileName().toString()) && upto >= 0 &&
                    first.compareAndSet(true, false))
                {
                    inForce.countDown();
                    await(release);
                }
            }
        };
        final java.util.concurrent.ExecutorService writerThread = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (JournalWriter writer = JournalWriter.open(dir, config(observer).segmentSize(4 * 1024 * 1024).build()))
        {
            final byte[] payload = new byte[1000];
            writerThread.submit(() -> appendBatch(writer, payload, 100)).get(); // ~100 KB: the force that blocks
            assertThat(inForce.await(5, TimeUnit.SECONDS)).isTrue();
            writerThread.submit(() -> appendBatch(writer, payload, 50)).get(); // half as much: no wait
            assertThat(writer.counters().pipelinedForceWaits()).isZero();

            final java.util.concurrent.Future<?> asMuchAgain = writerThread.submit(() ->
                appendBatch(writer, payload, 60)); // 110 KB written during the ~100 KB force in flight
            Thread.sleep(300);
            assertThat(asMuchAgain.isDone()).as("the writer waits for the force in flight").isFalse();
            release.countDown();
            asMuchAgain.get(5, TimeUnit.SECONDS);

            assertThat(writer.counters().pipelinedForceWaits()).isEqualTo(1);
            assertThat(writer.durableSequence()).as("what the wait covered is durable").isGreaterThanOrEqualTo(149);
            writerThread.submit(writer::force).get();
            assertThat(writer.durableSequence()).isEqualTo(209);
        }
        finally
        {
            release.countDown();
            writerThread.shutdownNow();
        }
    }

    private static Void appendBatch(final JournalWriter writer, final byte[] payload, final int records)
    {
        for (int i = 0; i < records; i++)
        {
            writer.append(payload, 0, payload.length);
        }
        writer.endOfBatch();
        return null;
    }
}
