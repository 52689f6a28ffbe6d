package io.ringwal.bench.load;

import java.nio.file.Path;

import org.agrona.DirectBuffer;

/**
 * Where the load generator's producer puts its records: the seam between the producer side and the journal.
 * Today the only implementation drives the core {@link io.ringwal.journal.JournalWriter} directly on the producer
 * thread ({@link DirectWriterTarget}); a Disruptor-pipeline target (many producers publishing into a ring, one
 * writer thread) plugs in here without touching the generator, the latency recording or the report.
 *
 * <p>All methods are called from the one producer thread.
 */
public interface LoadTarget extends AutoCloseable
{
    /**
     * Appends one record.
     *
     * @param source the bytes.
     * @param offset where the record starts.
     * @param length its length.
     * @return the record's sequence.
     */
    long append(DirectBuffer source, int offset, int length);

    /**
     * Ends a batch: the group commit, where the force policy may force.
     */
    void endOfBatch();

    /**
     * Forces everything appended so far, whatever the policy (used once, at the end of a run).
     */
    void forceAll();

    /**
     * The highest sequence known durable, or -1.
     *
     * @return the durable watermark.
     */
    long durableSequence();

    /**
     * The sequence the next record will get.
     *
     * @return the next sequence.
     */
    long nextSequence();

    /**
     * A snapshot of the journal's counters, taken on the producer thread.
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
     * Number of threads this target runs besides the producer (the writer, the allocator, ...).
     *
     * @return a short description, e.g. "allocator: 1".
     */
    String threadsDescription();

    /**
     * Closes the journal.
     */
    @Override
    void close();
}
