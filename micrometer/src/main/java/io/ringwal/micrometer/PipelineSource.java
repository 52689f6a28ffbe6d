package io.ringwal.micrometer;

import io.ringwal.disruptor.JournalPipeline;
import io.ringwal.disruptor.PipelineCounters;
import io.ringwal.format.CounterId;

/** The counters of a {@link JournalPipeline} in this process, read directly (no file). */
final class PipelineSource implements CounterSource
{
    private final JournalPipeline pipeline;

    PipelineSource(final JournalPipeline pipeline)
    {
        this.pipeline = pipeline;
    }

    @Override
    public double value(final CounterId id)
    {
        final PipelineCounters counters = pipeline.counters();
        switch (id)
        {
            case RECORDS:
                return counters.records();
            case BYTES:
                return counters.bytes();
            case BATCHES:
                return counters.batches();
            case WRITTEN_SEQUENCE:
                return pipeline.writtenSequence();
            case DURABLE_SEQUENCE:
                return pipeline.durableSequence();
            case FORCES:
                return counters.forces();
            case FORCE_NANOS:
                return counters.forceNanos();
            case ROTATIONS:
                return counters.rotations();
            case ALLOCATOR_WAITS:
                return counters.allocatorWaits();
            case ALLOCATOR_WAIT_NANOS:
                return counters.allocatorWaitNanos();
            case RING_FILL:
                return pipeline.ringFill();
            case PUBLISH_RING_FULL:
                return counters.publishRingFull();
            case TRY_PUBLISH_RING_FULL:
                return counters.tryPublishRingFull();
            case FAILURES:
                return pipeline.failure() != null ? 1 : 0;
            case ALLOCATION_FAILURES:
                return counters.allocationFailures();
            default:
                return Double.NaN; // FORCED_BYTES, ROTATION_NANOS: the pipeline's counters do not carry them
        }
    }

    @Override
    public double up()
    {
        return pipeline.failure() == null && !pipeline.isClosed() ? 1 : 0;
    }
}
