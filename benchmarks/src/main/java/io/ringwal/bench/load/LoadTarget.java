package io.ringwal.bench.load;

import java.nio.file.Path;

import org.agrona.DirectBuffer;

/**
 * Where the load generator's producers put their records: the seam between the producer side and the journal.
 * {@link PipelineTarget} publishes through the Disruptor {@link io.ringwal.disruptor.JournalPipeline} (many
 * producers, one writer thread); {@link DirectWriterTarget} drives the core {@link io.ringwal.journal.JournalWriter}
 * directly on the one producer thread (the producer is the writer).
 *
 * <p>Every target reports each advance of its durable watermark to the {@link DurableLog} it was built with.
 */
public interface LoadTarget extends AutoCloseable
{
    /**
     * The most producer threads this target accepts.
     *
     * @return the maximum.
     */
    int maxProducers();

    /**
     * Whether producers must end batches themselves ({@link #endOfBatch()}); false when a writer thread batches.
     *
     * @return true if producers batch.
     */
    boolean producerBatches();

    /**
     * Starts the target (opens the journal, starts its threads).
     */
    void start();

    /**
     * Publishes one record; safe from up to {@link #maxProducers()} threads at once.
     *
     * @param source the bytes.
     * @param offset where the record starts.
     * @param length its length.
     * @return the record's journal sequence.
     */
    long publish(DirectBuffer source, int offset, int length);

    /**
     * Ends a batch, the group commit where the force policy may force. Only called when
     * {@link #producerBatches()}.
     */
    void endOfBatch();

    /**
     * After all producers stopped: makes every published record durable (drains and forces), so that the
     * {@link DurableLog} covers every record. The counters are final afterwards.
     */
    void finish();

    /**
     * The sequence the first record will get; call after {@link #start()}, before the first publish.
     *
     * @return the next sequence.
     */
    long nextSequence();

    /**
     * The highest sequence written into the journal (visible to readers), or -1. Safe from any thread.
     *
     * @return the written watermark.
     */
    long writtenSequence();

    /**
     * Number of ring slots, or 0 when there is no ring.
     *
     * @return the ring size.
     */
    int ringSize();

    /**
     * A snapshot of the journal's counters (may lag by one batch until {@link #finish()}). Safe from any thread.
     *
     * @param into the snapshot to fill.
     */
    void snapshot(CounterSnapshot into);

    /**
     * The journal directory.
     *
     * @return the directory.
     */
    Path directory();

    /**
     * Threads this target runs besides the producers, described (e.g. "1 writer, 1 segment allocator").
     *
     * @return the description.
     */
    String threadsDescription();

    /**
     * Number of threads this target runs besides the producers.
     *
     * @return the count.
     */
    int ownThreads();

    /**
     * Closes the journal (after {@link #finish()}, or to abandon a failed run).
     */
    @Override
    void close();
}
