package io.ringwal.disruptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.lmax.disruptor.dsl.ProducerType;

import io.ringwal.format.SegmentFileNames;
import io.ringwal.journal.ForceObserver;
import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalFailedException;

/**
 * Durability never runs ahead of a real force; failures are final; back-pressure is counted; publishing
 * allocates nothing.
 */
class JournalPipelineDurabilityTest
{
    @TempDir
    Path dir;

    /** Records the highest sequence a completed force covered. */
    static final class RecordingObserver implements ForceObserver
    {
        final AtomicLong forcedUpto = new AtomicLong(-1);
        final AtomicInteger forces = new AtomicInteger();

        @Override
        public void afterForce(
            final Path segment, final long offset, final long length, final long upto, final long nanos)
        {
            forces.incrementAndGet();
            forcedUpto.accumulateAndGet(upto, Math::max);
        }
    }

    static Stream<ForcePolicy> policies()
    {
        return Stream.of(ForcePolicy.everyBatch(), ForcePolicy.bounded(2, TimeUnit.MILLISECONDS, 64 * 1024),
            ForcePolicy.never());
    }

    @ParameterizedTest
    @MethodSource("policies")
    void shouldNeverAcknowledgeDurabilityAheadOfARealForce(final ForcePolicy policy) throws Exception
    {
        neverAheadOfARealForce(policy, false);
    }

    @ParameterizedTest
    @MethodSource("policies")
    void shouldNeverAcknowledgeDurabilityAheadOfARealForceWhenForcesArePipelined(final ForcePolicy policy)
        throws Exception
    {
        neverAheadOfARealForce(policy, true);
    }

    private void neverAheadOfARealForce(final ForcePolicy policy, final boolean pipelined) throws Exception
    {
        final RecordingObserver observer = new RecordingObserver();
        // pipelined: every force goes to the force thread, whatever the records' size
        final JournalConfig config = JournalConfig.builder().segmentSize(64 * 1024).forcePolicy(policy)
            .pipelinedForceMinRecordBytes(0).pipelinedForceMinBatchBytes(0).forceObserver(observer).build();
        final AtomicReference<String> violation = new AtomicReference<>();
        final List<Long> listened = new ArrayList<>();
        final JournalPipeline pipeline = JournalPipeline.builder(dir).journalConfig(config).ringSize(256)
            .pipelinedForce(pipelined)
            .durabilityListener(durable ->
            {
                listened.add(durable);
                if (durable > observer.forcedUpto.get())
                {
                    violation.compareAndSet(null, "listener told " + durable + " before a force covered it");
                }
            }).build().start();
        final AtomicBoolean done = new AtomicBoolean();
        final Thread checker = new Thread(() ->
        {
            while (!done.get())
            {
                final long durable = pipeline.durableSequence();
                final long forced = observer.forcedUpto.get();
                if (durable > forced)
                {
                    violation.compareAndSet(null, "durableSequence " + durable + " > forced " + forced);
                }
            }
        });
        checker.start();
        final byte[] payload = new byte[500];
        long last = -1;
        for (int i = 0; i < 2_000; i++)
        {
            last = pipeline.publish(payload, 0, 1 + i % payload.length);
            if (i % 100 == 99 && policy.kind() != ForcePolicy.Kind.NEVER)
            {
                assertThat(pipeline.awaitDurable(last, 10, TimeUnit.SECONDS)).isTrue();
                assertThat(observer.forcedUpto.get()).isGreaterThanOrEqualTo(last);
            }
        }
        if (policy.kind() == ForcePolicy.Kind.NEVER)
        {
            // Under never, durable means forced too: only rotations (and close) force, so the durable watermark
            // sits at the end of the last rotated segment while later records are only written.
            assertThat(pipeline.awaitDurable(last, 50, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(pipeline.counters().rotations()).isPositive();
            assertThat(pipeline.durableSequence()).isPositive().isLessThan(last)
                .isEqualTo(observer.forcedUpto.get());
        }
        pipeline.close();
        done.set(true);
        checker.join();
        assertThat(violation.get()).isNull();
        assertThat(pipeline.durableSequence()).isEqualTo(last).isEqualTo(observer.forcedUpto.get());
        assertThat(listened).isSorted().doesNotHaveDuplicates().endsWith(last);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void shouldFailForGoodWhenForceFailsAndReleaseEveryoneWhileCloseStillReturns(final boolean pipelined)
        throws Exception
    {
        final AtomicInteger forces = new AtomicInteger();
        final ForceObserver failing = new ForceObserver()
        {
            @Override
            public void beforeForce(final Path segment, final long offset, final long length, final long upto)
            {
                // count only forces of written ranges, not a new segment's header or the directory
                if (SegmentFileNames.isSegmentFileName(segment.getFileName().toString()) &&
                    forces.incrementAndGet() == 3)
                {
                    JournalPipelineTest.sleep(200);
                    throw new UncheckedIOException(new IOException("injected: No space left on device"));
                }
            }
        };
        final JournalConfig config = JournalConfig.builder().segmentSize(64 * 1024)
            .forcePolicy(ForcePolicy.everyBatch()).pipelinedForceMinRecordBytes(0).pipelinedForceMinBatchBytes(0)
            .forceObserver(failing).build();
        final JournalPipeline pipeline = JournalPipeline.builder(dir).journalConfig(config).ringSize(8)
            .pipelinedForce(pipelined).build().start();
        final byte[] payload = new byte[64];
        pipeline.awaitDurable(pipeline.publish(payload, 0, 64));
        pipeline.awaitDurable(pipeline.publish(payload, 0, 64));
        final long doomed = pipeline.publish(payload, 0, 64);

        // Fill the ring behind the failing force: a producer blocked on the full ring must be released.
        final AtomicReference<Throwable> blockedOutcome = new AtomicReference<>();
        final Thread blocked = new Thread(() ->
        {
            try
            {
                for (int i = 0; i < 100; i++)
                {
                    pipeline.publish(payload, 0, 64);
                }
            }
            catch (final Throwable ex)
            {
                blockedOutcome.set(ex);
            }
        });
        blocked.start();

        assertThatThrownBy(() -> pipeline.awaitDurable(doomed)).isInstanceOf(JournalFailedException.class)
            .hasRootCauseInstanceOf(IOException.class).hasRootCauseMessage("injected: No space left on device");
        blocked.join(10_000);
        assertThat(blocked.isAlive()).isFalse();
        if (!pipelined)
        {
            // the writer waits for the failing force, so the ring fills and the producer blocks until it fails
            assertThat(blockedOutcome.get()).isInstanceOf(JournalFailedException.class);
        }
        else if (blockedOutcome.get() != null)
        {
            // the writer went on appending during the failing force: the producer may have finished first
            assertThat(blockedOutcome.get()).isInstanceOf(JournalFailedException.class);
        }
        assertThatThrownBy(() -> pipeline.publish(payload, 0, 64)).isInstanceOf(JournalFailedException.class)
            .hasRootCauseMessage("injected: No space left on device");
        assertThatThrownBy(() -> pipeline.tryPublish(payload, 0, 1)).isInstanceOf(JournalFailedException.class);
        assertThat(pipeline.failure()).isNotNull();
        assertThat(pipeline.durableSequence()).isEqualTo(1);
        pipeline.close();
        pipeline.close();
        assertThat(pipeline.isClosed()).isTrue();
        assertThatThrownBy(() -> pipeline.awaitDurable(doomed, 1, TimeUnit.SECONDS))
            .isInstanceOf(JournalFailedException.class);

        // The journal holds the records acknowledged before the failure; it reopens.
        try (JournalPipeline reopened = JournalPipeline.builder(dir).journalConfig(JournalConfig.builder()
            .segmentSize(64 * 1024).build()).ringSize(8).build().start())
        {
            assertThat(reopened.publish(payload, 0, 1)).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void shouldCountBackPressureWhenSlowDiskFillsTheRing() throws Exception
    {
        final ForceObserver slowDisk = new ForceObserver()
        {
            @Override
            public void beforeForce(final Path segment, final long offset, final long length, final long upto)
            {
                JournalPipelineTest.sleep(5);
            }
        };
        final JournalConfig config = JournalConfig.builder().segmentSize(64 * 1024)
            .forcePolicy(ForcePolicy.everyBatch()).forceObserver(slowDisk).build();
        // forces on the writer thread: the slow force holds the writer, so the ring fills (with pipelined forcing
        // the writer goes on appending during a slow force and the ring only fills when the disk falls behind)
        try (JournalPipeline pipeline = JournalPipeline.builder(dir).journalConfig(config).ringSize(8)
            .pipelinedForce(false).build()
            .start())
        {
            final byte[] payload = new byte[32];
            int ringFull = 0;
            long expected = 0;
            while (ringFull < 3)
            {
                final long sequence = pipeline.tryPublish(payload, 0, 32);
                if (sequence == JournalPipeline.RING_FULL)
                {
                    ringFull++;
                }
                else
                {
                    assertThat(sequence).isEqualTo(expected++);
                }
            }
            for (int i = 0; i < 50; i++)
            {
                assertThat(pipeline.publish(payload, 0, 32)).isEqualTo(expected++);
            }
            pipeline.awaitDurable(expected - 1);
            assertThat(pipeline.counters().tryPublishRingFull()).isEqualTo(3);
            assertThat(pipeline.counters().publishRingFull()).isPositive();
            assertThat(pipeline.counters().ringFull()).isGreaterThan(3);
            assertThat(pipeline.counters().records()).isEqualTo(expected);
            assertThat(pipeline.counters().forces()).isPositive();
            assertThat(pipeline.counters().forceNanos()).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(5));
            assertThat(pipeline.counters().batches()).isPositive().isLessThanOrEqualTo(expected);
        }
    }

    @Test
    void shouldAllocateNothingWhilePublishingAMillionRecords() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final JournalConfig config = JournalConfig.builder().segmentSize(64 * 1024 * 1024)
            .forcePolicy(ForcePolicy.never()).build();
        try (JournalPipeline pipeline = JournalPipeline.builder(dir).journalConfig(config).ringSize(4096)
            .maxRecordSize(128).producerType(ProducerType.SINGLE).build().start())
        {
            final byte[] bytes = new byte[64];
            final UnsafeBuffer direct = new UnsafeBuffer(new byte[64]);
            final RecordTranslator<UnsafeBuffer> translator = (buffer, arg) ->
            {
                buffer.putBytes(0, arg, 0, 48);
                return 48;
            };
            for (int i = 0; i < 100_000; i++)
            {
                publishOne(pipeline, i, bytes, direct, translator);
            }
            final long before = threads.getThreadAllocatedBytes(threadId);
            long last = -1;
            for (int i = 0; i < 1_000_000; i++)
            {
                last = publishOne(pipeline, i, bytes, direct, translator);
            }
            final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
            System.out.println("publishing 1,000,000 records allocated " + allocated + " bytes on the publisher");
            assertThat(allocated).as("bytes allocated publishing 1,000,000 records").isLessThan(4096);
            assertThat(last).isEqualTo(1_099_999);
        }
    }

    private static long publishOne(
        final JournalPipeline pipeline,
        final int i,
        final byte[] bytes,
        final UnsafeBuffer direct,
        final RecordTranslator<UnsafeBuffer> translator)
    {
        switch (i & 3)
        {
            case 0:
                return pipeline.publish(bytes, 0, 64);
            case 1:
                return pipeline.publish(direct, 0, 60);
            case 2:
                return pipeline.publish(translator, direct);
            default:
                final long sequence = pipeline.tryPublish(bytes, 0, 16);
                return sequence >= 0 ? sequence : pipeline.publish(bytes, 0, 16);
        }
    }
}
