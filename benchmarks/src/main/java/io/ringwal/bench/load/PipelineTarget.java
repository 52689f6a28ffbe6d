package io.ringwal.bench.load;

import java.nio.file.Path;

import org.agrona.DirectBuffer;

import io.ringwal.disruptor.JournalPipeline;
import io.ringwal.disruptor.PipelineCounters;

/**
 * A {@link LoadTarget} that publishes through the Disruptor {@link JournalPipeline}: any number of producer
 * threads publish into the ring, the pipeline's writer thread appends and forces in batches, and the pipeline
 * calls the {@link DurableLog} (its {@link io.ringwal.disruptor.DurabilityListener}) on each durable advance.
 */
public final class PipelineTarget implements LoadTarget
{
    private final JournalPipeline pipeline;
    private final ForceTimes forceTimes;

    /**
     * Wraps a built (not started) pipeline whose durability listener is the run's {@link DurableLog} and whose
     * journal configuration carries {@code forceTimes} as its force observer.
     *
     * @param pipeline   the pipeline.
     * @param forceTimes the force observer (for forced bytes and rotation times, which the pipeline's counters
     *                   do not carry).
     */
    public PipelineTarget(final JournalPipeline pipeline, final ForceTimes forceTimes)
    {
        this.pipeline = pipeline;
        this.forceTimes = forceTimes;
    }

    @Override
    public int maxProducers()
    {
        return Integer.MAX_VALUE;
    }

    @Override
    public boolean producerBatches()
    {
        return false;
    }

    @Override
    public void start()
    {
        pipeline.start();
    }

    @Override
    public long publish(final DirectBuffer source, final int offset, final int length)
    {
        return pipeline.publish(source, offset, length);
    }

    @Override
    public void endOfBatch()
    {
        // the writer thread ends batches
    }

    @Override
    public void finish()
    {
        pipeline.close();
        final Throwable failure = pipeline.failure();
        if (failure != null)
        {
            throw new IllegalStateException("journal pipeline failed: " + failure.getMessage(), failure);
        }
    }

    @Override
    public long nextSequence()
    {
        // before the first publish nothing is written yet, so the written watermark is the last recovered record
        return pipeline.writtenSequence() + 1;
    }

    @Override
    public long writtenSequence()
    {
        return pipeline.writtenSequence();
    }

    @Override
    public int ringSize()
    {
        return pipeline.ringSize();
    }

    @Override
    public void snapshot(final CounterSnapshot into)
    {
        final PipelineCounters c = pipeline.counters();
        into.records = c.records();
        into.bytes = c.bytes();
        into.batches = c.batches();
        into.forces = c.forces();
        into.forceNanos = c.forceNanos();
        into.forcedBytes = forceTimes.forcedBytes();
        into.rotations = c.rotations();
        into.rotationNanos = -1;
        into.allocatorWaits = c.allocatorWaits();
        into.allocatorWaitNanos = c.allocatorWaitNanos();
        into.ringFull = c.ringFull();
        into.segmentsDirect = c.segmentsDirect();
        into.segmentsBufferedPages = c.segmentsBufferedPages();
        into.segmentsBuffered = c.segmentsBuffered();
    }

    @Override
    public Path directory()
    {
        return pipeline.directory();
    }

    @Override
    public String threadsDescription()
    {
        return "1 writer, 1 segment allocator";
    }

    @Override
    public int ownThreads()
    {
        return 2;
    }

    @Override
    public void close()
    {
        pipeline.close();
    }

    /**
     * The pipeline.
     *
     * @return the pipeline.
     */
    public JournalPipeline pipeline()
    {
        return pipeline;
    }
}
