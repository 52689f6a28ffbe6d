package io.ringwal.disruptor;

import com.lmax.disruptor.RingBuffer;

import io.ringwal.format.CounterId;
import io.ringwal.journal.CountersFile;
import io.ringwal.journal.JournalWriter;

/**
 * Keeps the journal's counters file ({@link CountersFile}) up to date for a {@link JournalPipeline}: the writer's
 * counters and watermarks, the ring's fill and ring-full counts, the heartbeat, the failure and the clean close.
 * Every method runs on the writer thread; {@link #afterBatch} and {@link #idle} allocate nothing and take no lock.
 */
final class PipelineCountersPublisher
{
    private final CountersFile file;
    private final JournalWriter journal;
    private final RingBuffer<RecordSlot> ringBuffer;
    private final PipelineCounters counters;

    private PipelineCountersPublisher(
        final CountersFile file,
        final JournalWriter journal,
        final RingBuffer<RecordSlot> ringBuffer,
        final PipelineCounters counters)
    {
        this.file = file;
        this.journal = journal;
        this.ringBuffer = ringBuffer;
        this.counters = counters;
    }

    /**
     * Creates the counters file in the journal directory, or returns null when the pipeline publishes none.
     */
    static PipelineCountersPublisher create(
        final JournalPipeline pipeline,
        final JournalWriter journal,
        final RingBuffer<RecordSlot> ringBuffer)
    {
        if (!pipeline.publishesCountersFile())
        {
            return null;
        }
        final PipelineCountersPublisher publisher = new PipelineCountersPublisher(
            CountersFile.create(journal.directory(), ringBuffer.getBufferSize()), journal, ringBuffer,
            pipeline.countersForWriter());
        publisher.afterBatch(-1);
        return publisher;
    }

    /**
     * Publishes everything at a batch end.
     *
     * @param lastWrittenRingSequence the ring sequence of the last slot written, -1 before the first.
     */
    void afterBatch(final long lastWrittenRingSequence)
    {
        final CountersFile file = this.file;
        file.set(CounterId.RING_FILL, Math.max(0, ringBuffer.getCursor() - lastWrittenRingSequence));
        file.set(CounterId.PUBLISH_RING_FULL, counters.publishRingFull());
        file.set(CounterId.TRY_PUBLISH_RING_FULL, counters.tryPublishRingFull());
        file.publishJournal(journal);
    }

    /**
     * The writer woke up idle: only the heartbeat, the ring-full counts (producers may be waiting) and the
     * allocation failures (the early warning of a full disk may come while nothing is written).
     */
    void idle()
    {
        file.set(CounterId.PUBLISH_RING_FULL, counters.publishRingFull());
        file.set(CounterId.TRY_PUBLISH_RING_FULL, counters.tryPublishRingFull());
        file.set(CounterId.ALLOCATION_FAILURES, journal.counters().allocationFailures());
        file.heartbeat();
    }

    void failed(final Throwable cause)
    {
        file.failed(cause);
    }

    /**
     * The writer stopped and the journal is closed: the final values, then closed (or failed) for good.
     */
    void stopped(final long lastWrittenRingSequence, final Throwable failure)
    {
        afterBatch(lastWrittenRingSequence);
        if (failure != null)
        {
            file.failed(failure);
        }
        else
        {
            file.closed();
        }
        file.close();
    }
}
