package io.ringwal.kafka;

/**
 * Counters of a {@link KafkaShipper}: written by the shipping thread, readable from any thread.
 *
 * <p>Throughput is the change of {@link #recordsShipped()} or {@link #bytesShipped()} over time. Lag is what
 * the journal holds beyond what Kafka committed: {@link #lagRecords()} and {@link #lagBytes()}, as of the last
 * measurement of the journal's head (see {@link ShipperConfig#lagIntervalNanos()}).
 */
public final class ShipperCounters
{
    volatile long startSequence = -1;
    volatile long nextSequence = -1;
    volatile long readSequence = -1;
    volatile long headSequence = -1;
    volatile long bytesShipped;
    volatile long headBytes;
    volatile long transactionsCommitted;
    volatile long transactionsAborted;
    volatile long failures;
    volatile long positionWrites;
    volatile long commitNanos;
    volatile String lastFailure;

    ShipperCounters()
    {
    }

    /**
     * Where this run started: the first sequence it shipped or would ship, -1 before it connected.
     *
     * @return the sequence or -1.
     */
    public long startSequence()
    {
        return startSequence;
    }

    /**
     * Every sequence below this one is committed in Kafka; -1 before the shipper connected.
     *
     * @return the next sequence to commit, or -1.
     */
    public long nextSequence()
    {
        return nextSequence;
    }

    /**
     * Records this run committed in Kafka.
     *
     * @return the count.
     */
    public long recordsShipped()
    {
        final long start = startSequence;
        return start < 0 ? 0 : nextSequence - start;
    }

    /**
     * Payload bytes this run committed in Kafka.
     *
     * @return the count.
     */
    public long bytesShipped()
    {
        return bytesShipped;
    }

    /**
     * Records in the journal not yet committed in Kafka (read but uncommitted, plus beyond what was read, as of
     * the last measurement of the journal's head).
     *
     * @return the count.
     */
    public long lagRecords()
    {
        final long next = nextSequence;
        if (next < 0)
        {
            return 0;
        }
        return Math.max(0, Math.max(headSequence, readSequence) - next);
    }

    /**
     * Payload bytes in the journal not yet committed in Kafka, as of the last measurement of the journal's
     * head; 0 when the head is not measured.
     *
     * @return the count.
     */
    public long lagBytes()
    {
        return Math.max(0, headBytes - bytesShipped);
    }

    /**
     * Transactions committed.
     *
     * @return the count.
     */
    public long transactionsCommitted()
    {
        return transactionsCommitted;
    }

    /**
     * Transactions given up (aborted by the shipper or by the next producer with the same transactional id).
     *
     * @return the count.
     */
    public long transactionsAborted()
    {
        return transactionsAborted;
    }

    /**
     * Failures the shipper recovered from by reconnecting (broker unreachable, restarting, timeouts).
     *
     * @return the count.
     */
    public long failures()
    {
        return failures;
    }

    /**
     * The message of the last failure, or null.
     *
     * @return the message or null.
     */
    public String lastFailure()
    {
        return lastFailure;
    }

    /**
     * Time spent committing transactions (the producer's flush of what was sent, then the commit round trip
     * with the transaction coordinator); the shipper reads and sends nothing meanwhile.
     *
     * @return nanoseconds.
     */
    public long commitNanos()
    {
        return commitNanos;
    }

    /**
     * Position file writes.
     *
     * @return the count.
     */
    public long positionWrites()
    {
        return positionWrites;
    }

    @Override
    public String toString()
    {
        return "ShipperCounters{nextSequence=" + nextSequence + ", recordsShipped=" + recordsShipped() +
            ", bytesShipped=" + bytesShipped + ", lagRecords=" + lagRecords() + ", lagBytes=" + lagBytes() +
            ", transactionsCommitted=" + transactionsCommitted + ", transactionsAborted=" + transactionsAborted +
            ", failures=" + failures + ", positionWrites=" + positionWrites + ", commitMillis=" +
            commitNanos / 1_000_000 + "}";
    }
}
