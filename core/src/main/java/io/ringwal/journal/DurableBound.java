package io.ringwal.journal;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The durable watermark as a reader in any process can know it, for {@link ReaderOption#DURABLE_ONLY}: the highest
 * of the durable sequence in the journal's counters file and, while no live writer publishes one, the end of a
 * cleanly closed journal (a clean close forces everything before its marker).
 *
 * <p>{@link #covers(long)} is one comparison while the sequence is below the watermark known so far, and an
 * acquire load from the mapped counters file otherwise; opening the counters file and looking for a clean end
 * touch the file system and happen at most every {@value #SLOW_CHECK_INTERVAL_MILLIS} ms. Owned by one reader
 * thread.
 */
final class DurableBound implements AutoCloseable
{
    static final long SLOW_CHECK_INTERVAL_MILLIS = 100;
    /** A running writer whose heartbeat is older than this is not trusted to advance the watermark soon. */
    static final long STALE_AFTER_MILLIS = 5_000;
    private static final RecordHandler IGNORE = (sequence, buffer, offset, length) ->
    {
    };

    private final Path directory;
    private CountersFileReader counters;
    private long limit = -1;
    private long lastSlowCheckNanos = System.nanoTime() - SLOW_CHECK_INTERVAL_MILLIS * 2_000_000L;

    DurableBound(final Path directory)
    {
        this.directory = directory;
    }

    /**
     * Whether the record with this sequence is known to be durable.
     *
     * @param sequence the sequence.
     * @return true if it is at or below the durable watermark.
     */
    boolean covers(final long sequence)
    {
        if (sequence <= limit)
        {
            return true;
        }
        final CountersFileReader counters = this.counters;
        if (counters != null)
        {
            limit = Math.max(limit, counters.durableSequence());
            if (sequence <= limit)
            {
                return true;
            }
        }
        final long now = System.nanoTime();
        if (now - lastSlowCheckNanos >= SLOW_CHECK_INTERVAL_MILLIS * 1_000_000L)
        {
            lastSlowCheckNanos = now;
            slowCheck(sequence);
        }
        return sequence <= limit;
    }

    /**
     * The watermark known so far.
     *
     * @return the sequence, -1 when none is known.
     */
    long limit()
    {
        return limit;
    }

    private void slowCheck(final long sequence)
    {
        if (counters == null || counters.isReplaced())
        {
            if (counters != null)
            {
                counters.close();
                counters = null;
            }
            final Optional<CountersFileReader> opened = CountersFileReader.openIfPresent(directory);
            counters = opened.orElse(null);
        }
        if (counters != null)
        {
            limit = Math.max(limit, counters.durableSequence());
            if (sequence <= limit || counters.status(STALE_AFTER_MILLIS) == CountersFileReader.Status.LIVE)
            {
                return;
            }
        }
        limit = Math.max(limit, cleanEnd(sequence));
    }

    /** The last sequence of a journal that ends with a clean close at or after {@code from}, or -1. */
    private long cleanEnd(final long from)
    {
        try (JournalReader lookAhead = JournalReader.open(directory, from))
        {
            while (lookAhead.poll(IGNORE, Integer.MAX_VALUE) > 0)
            {
                // to the end of what is written
            }
            return lookAhead.atCleanEnd() ? lookAhead.nextSequence() - 1 : -1;
        }
    }

    @Override
    public void close()
    {
        if (counters != null)
        {
            counters.close();
            counters = null;
        }
    }
}
