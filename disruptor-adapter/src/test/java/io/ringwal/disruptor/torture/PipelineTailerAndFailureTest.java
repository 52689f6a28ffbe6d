package io.ringwal.disruptor.torture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.disruptor.JournalPipeline;
import io.ringwal.format.SegmentFileNames;
import io.ringwal.journal.ForceObserver;
import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalFailedException;
import io.ringwal.journal.JournalReader;

/**
 * Two pipeline properties from the durability proof: a tailer polling the journal while four producers publish
 * through the pipeline across many rotations sees every record exactly once, in order and byte-identical; and
 * after a failed force no later success is reported, even once the fault is gone.
 */
class PipelineTailerAndFailureTest
{
    private static final int PRODUCERS = 4;

    @TempDir
    Path dir;

    @Test
    void shouldTailEveryRecordOnceInOrderAcrossRotations() throws Exception
    {
        tail(50_000);
    }

    @Test
    @Tag("slow")
    void shouldTailEveryRecordOnceInOrderAcrossRotationsLong() throws Exception
    {
        tail(1_000_000);
    }

    private void tail(final int perProducer) throws Exception
    {
        final JournalConfig config = JournalConfig.builder().segmentSize(64 * 1024).maxRecordSize(4096)
            .forcePolicy(ForcePolicy.never()).build();
        final long total = (long)perProducer * PRODUCERS;
        final List<String> problems = new ArrayList<>();
        final AtomicLong tailed = new AtomicLong();
        final long rotations;
        try (JournalPipeline pipeline = JournalPipeline.builder(dir).journalConfig(config).ringSize(1024)
            .maxRecordSize(TortureRecords.MAX_LENGTH).build().start())
        {
            final Thread tailer = new Thread(() ->
            {
                final long[] counters = new long[PRODUCERS];
                try (JournalReader reader = JournalReader.open(dir, 0))
                {
                    while (tailed.get() < total && problems.size() < 10)
                    {
                        final int polled = reader.poll((sequence, buffer, offset, length) ->
                        {
                            if (sequence != tailed.get())
                            {
                                problems.add("tailer got sequence " + sequence + " where " + tailed.get() +
                                    " was next");
                            }
                            final String bad = TortureRecords.check(sequence, buffer, offset, length, PRODUCERS);
                            if (bad != null)
                            {
                                problems.add(bad);
                            }
                            else
                            {
                                final int producer = TortureRecords.producer(buffer, offset);
                                final long counter = TortureRecords.counter(buffer, offset);
                                if (counter != counters[producer])
                                {
                                    problems.add("sequence " + sequence + ": producer " + producer + " counter " +
                                        counter + " where " + counters[producer] + " was next");
                                }
                                counters[producer] = counter + 1;
                            }
                            tailed.set(sequence + 1);
                        }, 256);
                        if (polled == 0)
                        {
                            Thread.onSpinWait();
                        }
                    }
                }
                catch (final Throwable ex)
                {
                    problems.add("tailer threw " + ex);
                }
            }, "tailer");
            tailer.start();
            final Thread[] producers = new Thread[PRODUCERS];
            for (int p = 0; p < PRODUCERS; p++)
            {
                final int producer = p;
                producers[p] = new Thread(() ->
                {
                    final UnsafeBuffer buffer = new UnsafeBuffer(new byte[TortureRecords.MAX_LENGTH]);
                    for (long counter = 0; counter < perProducer; counter++)
                    {
                        pipeline.publish(buffer, 0, TortureRecords.encode(buffer, producer, counter));
                    }
                }, "producer-" + p);
                producers[p].start();
            }
            for (final Thread producer : producers)
            {
                producer.join();
            }
            tailer.join(TimeUnit.SECONDS.toMillis(120));
            assertThat(tailer.isAlive()).as("tailer caught up; tailed %d of %d", tailed.get(), total).isFalse();
            rotations = pipeline.counters().rotations();
        }
        assertThat(problems).isEmpty();
        assertThat(tailed.get()).isEqualTo(total);
        assertThat(rotations).as("many rotations happened while tailing").isGreaterThan(20);
        System.out.printf("tailer: %d records from %d producers tailed once and in order across %d rotations%n",
            total, PRODUCERS, rotations);
    }

    @Test
    void shouldNeverReportSuccessAfterAFailedForceEvenWhenTheFaultGoesAway() throws Exception
    {
        final AtomicBoolean failing = new AtomicBoolean();
        final AtomicInteger forcesAfterFailure = new AtomicInteger();
        final AtomicBoolean failed = new AtomicBoolean();
        final ForceObserver observer = new ForceObserver()
        {
            @Override
            public void beforeForce(final Path segment, final long offset, final long length, final long upto)
            {
                if (failed.get())
                {
                    forcesAfterFailure.incrementAndGet();
                }
                if (failing.get() && SegmentFileNames.isSegmentFileName(segment.getFileName().toString()))
                {
                    failing.set(false); // the fault is transient: the next force would succeed
                    failed.set(true);
                    throw new UncheckedIOException(new IOException("injected: EIO"));
                }
            }
        };
        final List<Long> listened = new ArrayList<>();
        final AtomicReference<String> violation = new AtomicReference<>();
        final JournalConfig config = JournalConfig.builder().segmentSize(64 * 1024)
            .forcePolicy(ForcePolicy.everyBatch()).forceObserver(observer).build();
        final JournalPipeline pipeline = JournalPipeline.builder(dir).journalConfig(config).ringSize(64)
            .durabilityListener(durable ->
            {
                listened.add(durable);
                if (failed.get())
                {
                    violation.compareAndSet(null, "listener told durable " + durable + " after the failed force");
                }
            }).build().start();
        final byte[] payload = new byte[100];
        long acknowledged = -1;
        for (int i = 0; i < 20; i++)
        {
            acknowledged = pipeline.publish(payload, 0, payload.length);
            pipeline.awaitDurable(acknowledged);
        }
        final long durableBefore = pipeline.durableSequence();
        assertThat(durableBefore).isEqualTo(acknowledged);

        failing.set(true);
        final long doomed = pipeline.publish(payload, 0, payload.length);
        assertThatThrownBy(() -> pipeline.awaitDurable(doomed)).isInstanceOf(JournalFailedException.class)
            .hasRootCauseMessage("injected: EIO");
        assertThat(failing.get()).as("the fault is gone").isFalse();

        // nothing later is acknowledged: publishing fails, waiting fails, the watermark stays
        for (int i = 0; i < 10; i++)
        {
            assertThatThrownBy(() -> pipeline.publish(payload, 0, payload.length))
                .isInstanceOf(JournalFailedException.class);
            assertThatThrownBy(() -> pipeline.awaitDurable(doomed, 10, TimeUnit.MILLISECONDS))
                .isInstanceOf(JournalFailedException.class);
            assertThat(pipeline.isDurable(doomed)).isFalse();
            assertThat(pipeline.durableSequence()).isEqualTo(durableBefore);
        }
        pipeline.close();
        assertThat(pipeline.durableSequence()).as("close does not retry the force").isEqualTo(durableBefore);
        assertThat(forcesAfterFailure.get()).as("no force was retried after the failure").isZero();
        assertThat(violation.get()).isNull();
        assertThat(listened).isNotEmpty().allSatisfy(durable -> assertThat(durable).isLessThanOrEqualTo(
            durableBefore));
    }
}
