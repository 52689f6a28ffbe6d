package io.ringwal.disruptor;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.ProducerType;

import io.ringwal.disruptor.torture.ChildProcess;
import io.ringwal.format.CounterId;
import io.ringwal.format.CountersDescriptor;
import io.ringwal.journal.CountersFileReader;
import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalReader;
import io.ringwal.journal.ReaderOption;

/**
 * The pipeline keeps the journal's counters file up to date at every batch end, without allocating on the writer
 * thread, and another process reads it: live counters, the durable watermark a durable-only reader honours, a
 * killed writer, a clean close.
 */
class PipelineCountersFileTest
{
    private static final int SEGMENT_SIZE = 256 * 1024;

    @TempDir
    Path dir;

    @Test
    void shouldPublishThePipelineCountersAndMarkACleanCloseWhenThePipelineCloses() throws Exception
    {
        final JournalConfig config = JournalConfig.builder().segmentSize(SEGMENT_SIZE).build();
        final UnsafeBuffer record = new UnsafeBuffer(new byte[100]);
        final PipelineCounters counters;
        final JournalPipeline pipeline = JournalPipeline.builder(dir).journalConfig(config).ringSize(256)
            .maxRecordSize(100).build().start();
        try (CountersFileReader reader = CountersFileReader.open(dir))
        {
            assertThat(reader.status(5_000)).isEqualTo(CountersFileReader.Status.LIVE);
            assertThat(reader.ringSize()).isEqualTo(256);
            long last = -1;
            for (int i = 0; i < 20_000; i++)
            {
                last = pipeline.publish(record, 0, 100);
            }
            pipeline.awaitDurable(last);
            awaitCounter(reader, CounterId.DURABLE_SEQUENCE, last);
            assertThat(reader.get(CounterId.RECORDS)).isEqualTo(20_000);
            assertThat(reader.get(CounterId.BYTES)).isEqualTo(2_000_000);
            assertThat(reader.writtenSequence()).isEqualTo(last);
            assertThat(reader.get(CounterId.ROTATIONS)).isPositive();
            assertThat(reader.get(CounterId.FORCES)).isPositive();
            assertThat(reader.get(CounterId.RING_FILL)).isBetween(0L, 256L);
            pipeline.close();
            counters = pipeline.counters();
            assertThat(reader.status(5_000)).isEqualTo(CountersFileReader.Status.CLOSED);
            // the file also counts the close marker's force, made after the pipeline's last counter update
            assertThat(reader.get(CounterId.FORCES)).isBetween(counters.forces(), counters.forces() + 1);
            assertThat(reader.get(CounterId.BATCHES)).isEqualTo(counters.batches());
            assertThat(reader.get(CounterId.PUBLISH_RING_FULL)).isEqualTo(counters.publishRingFull());
            assertThat(reader.get(CounterId.ALLOCATOR_WAITS)).isEqualTo(counters.allocatorWaits());
        }
        finally
        {
            pipeline.close();
        }
    }

    @Test
    void shouldPublishNoCountersFileWhenTurnedOff()
    {
        try (JournalPipeline pipeline = JournalPipeline.builder(dir).countersFile(false)
            .journalConfig(JournalConfig.builder().segmentSize(SEGMENT_SIZE).build()).build().start())
        {
            pipeline.publish(new byte[8], 0, 8);
        }
        assertThat(Files.exists(dir.resolve(CountersDescriptor.FILE_NAME))).isFalse();
    }

    @Test
    void shouldAllocateNothingOnTheWriterThreadWhilePublishingCountersAtEveryBatchEnd() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final AtomicReference<Thread> writerThread = new AtomicReference<>();
        final JournalConfig config = JournalConfig.builder().segmentSize(64 * 1024 * 1024)
            .forcePolicy(ForcePolicy.never()).build();
        try (JournalPipeline pipeline = JournalPipeline.builder(dir).journalConfig(config).ringSize(1024)
            .maxRecordSize(64).producerType(ProducerType.SINGLE).maxBatchSize(16)
            .waitStrategy(new YieldingWaitStrategy()).threadFactory(runnable ->
            {
                final Thread thread = new Thread(runnable, "counters-allocation-writer");
                thread.setDaemon(true);
                writerThread.set(thread);
                return thread;
            }).build().start();
            CountersFileReader reader = CountersFileReader.open(dir))
        {
            final UnsafeBuffer record = new UnsafeBuffer(new byte[48]);
            publish(pipeline, record, 200_000);
            final long writerId = writerThread.get().getId();
            final long batchesBefore = pipeline.counters().batches();
            final long before = threads.getThreadAllocatedBytes(writerId);
            publish(pipeline, record, 500_000);
            final long allocated = threads.getThreadAllocatedBytes(writerId) - before;
            final long batches = pipeline.counters().batches() - batchesBefore;
            assertThat(batches).as("batch ends in the measured window").isGreaterThan(10_000);
            assertThat(allocated).as("bytes the writer thread allocated over %d batch ends", batches)
                .isLessThanOrEqualTo(4 * 1024);
            assertThat(reader.get(CounterId.RECORDS)).isEqualTo(pipeline.counters().records());
        }
    }

    private static void publish(final JournalPipeline pipeline, final UnsafeBuffer record, final int count)
    {
        long last = -1;
        for (int i = 0; i < count; i++)
        {
            last = pipeline.publish(record, 0, 48);
        }
        // the counters reach the file at the batch end after the last record (a fresh journal: records = last + 1)
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pipeline.counters().records() < last + 1 && System.nanoTime() < deadline)
        {
            Thread.yield();
        }
        assertThat(pipeline.counters().records()).isEqualTo(last + 1);
    }

    @Test
    void shouldLetAnotherProcessReadLiveCountersAndDeliverOnlyDurableRecords() throws Exception
    {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        try (ChildProcess child = ChildProcess.start(CountersPipelineChild.class, lines::add, dir.toString(),
            "bounded:20ms:1048576", Integer.toString(SEGMENT_SIZE), "-1", "200"))
        {
            awaitLine(lines, "STARTED");
            try (CountersFileReader counters = CountersFileReader.open(dir);
                JournalReader durable = JournalReader.open(dir, 0, ReaderOption.DURABLE_ONLY))
            {
                assertThat(counters.pid()).isNotEqualTo(ProcessHandle.current().pid());
                assertThat(counters.isWriterProcessAlive()).isTrue();
                final long firstRecords = counters.get(CounterId.RECORDS);
                long delivered = 0;
                long previous = -1;
                final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                final long[] last = {-1};
                while (System.nanoTime() < end)
                {
                    final int n = durable.poll((sequence, buffer, offset, length) -> last[0] = sequence, 1000);
                    if (n > 0)
                    {
                        delivered += n;
                        // read after delivery: the watermark the writer published covers every delivered record
                        assertThat(counters.durableSequence()).isGreaterThanOrEqualTo(last[0]);
                        assertThat(last[0]).isGreaterThan(previous);
                        previous = last[0];
                    }
                    else
                    {
                        Thread.sleep(1);
                    }
                }
                assertThat(counters.status(5_000)).isEqualTo(CountersFileReader.Status.LIVE);
                assertThat(counters.get(CounterId.RECORDS)).isGreaterThan(firstRecords);
                assertThat(delivered).as("durable records delivered while the writer runs").isPositive();

                child.kill();
                assertThat(counters.status(5_000)).isEqualTo(CountersFileReader.Status.DEAD);
                final long durableAtKill = counters.durableSequence();
                while (durable.poll((sequence, buffer, offset, length) -> last[0] = sequence, 1000) > 0)
                {
                    assertThat(last[0]).isLessThanOrEqualTo(durableAtKill);
                }
                Thread.sleep(150);
                durable.poll((sequence, buffer, offset, length) -> last[0] = sequence, 1000);
                assertThat(durable.nextSequence() - 1).as("nothing beyond the dead writer's last durable sequence")
                    .isEqualTo(durableAtKill);
            }
        }
    }

    @Test
    void shouldSeeAnotherProcessCloseCleanlyAndThenDeliverEveryRecord() throws Exception
    {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        try (ChildProcess child = ChildProcess.start(CountersPipelineChild.class, lines::add, dir.toString(),
            "never", Integer.toString(SEGMENT_SIZE), "30000", "0"))
        {
            final String closed = awaitLine(lines, "CLOSED ");
            final long last = Long.parseLong(closed.substring("CLOSED ".length()));
            try (CountersFileReader counters = CountersFileReader.open(dir);
                JournalReader durable = JournalReader.open(dir, 0, ReaderOption.DURABLE_ONLY))
            {
                assertThat(counters.status(5_000)).isEqualTo(CountersFileReader.Status.CLOSED);
                assertThat(counters.durableSequence()).isEqualTo(last);
                long delivered = 0;
                int n;
                while ((n = durable.poll((sequence, buffer, offset, length) -> { }, 10_000)) > 0)
                {
                    delivered += n;
                }
                assertThat(delivered).isEqualTo(last + 1);
                assertThat(durable.atCleanEnd()).isTrue();
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (child.isAlive() && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
            assertThat(child.isAlive()).as("the child exits after CLOSED").isFalse();
        }
    }

    private static String awaitLine(final BlockingQueue<String> lines, final String prefix) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline)
        {
            final String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix))
            {
                return line;
            }
        }
        throw new AssertionError("child printed no line starting with '" + prefix + "'");
    }

    private static void awaitCounter(final CountersFileReader reader, final CounterId id, final long value)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (reader.get(id) < value && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
        assertThat(reader.get(id)).isEqualTo(value);
    }
}
