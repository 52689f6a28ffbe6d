package io.ringwal.kafka.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.ringwal.disruptor.JournalPipeline;
import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;

/**
 * Writes a journal through a {@link JournalPipeline} from several producer threads, each at a bounded rate,
 * with small segments so that the shipper crosses rotations. Record {@code i} of producer {@code p} holds
 * {@code p}, {@code i} and a length that varies from 12 to {@code 12 + maxExtra} bytes, filled with a pattern.
 */
public final class JournalLoad implements AutoCloseable
{
    /** Segment size of test journals: 256 KiB, so that a few thousand records rotate. */
    public static final int SEGMENT_SIZE = 256 * 1024;

    private final JournalPipeline pipeline;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong published = new AtomicLong();
    private volatile boolean stop;

    private JournalLoad(final Path dir)
    {
        pipeline = JournalPipeline.builder(dir)
            .journalConfig(JournalConfig.builder().segmentSize(SEGMENT_SIZE).forcePolicy(ForcePolicy.never()).build())
            .ringSize(1024)
            .maxRecordSize(1024)
            .build()
            .start();
    }

    /**
     * Starts producers.
     *
     * @param dir                 the journal directory.
     * @param producers           the number of producer threads.
     * @param recordsEach         records per producer ({@link Long#MAX_VALUE}: until {@link #stop()}).
     * @param recordsPerSecondEach rate per producer (0: flat out).
     * @param maxExtra            the most bytes beyond the 12-byte head (at most 1000).
     * @return the running load.
     */
    public static JournalLoad start(
        final Path dir, final int producers, final long recordsEach, final long recordsPerSecondEach,
        final int maxExtra)
    {
        final JournalLoad load = new JournalLoad(dir);
        for (int p = 0; p < producers; p++)
        {
            final int producer = p;
            final Thread thread = new Thread(() -> load.produce(producer, recordsEach, recordsPerSecondEach, maxExtra),
                "journal-load-" + p);
            thread.setDaemon(true);
            load.threads.add(thread);
            thread.start();
        }
        return load;
    }

    /**
     * The payload of record {@code i} of producer {@code p}.
     *
     * @param producer the producer.
     * @param i        the record index.
     * @param maxExtra the most extra bytes.
     * @return the payload.
     */
    public static byte[] payload(final int producer, final long i, final int maxExtra)
    {
        final int extra = maxExtra == 0 ? 0 : (int)((i * 31 + producer * 7) % (maxExtra + 1));
        final byte[] bytes = new byte[12 + extra];
        for (int b = 0; b < 4; b++)
        {
            bytes[b] = (byte)(producer >>> (8 * b));
        }
        for (int b = 0; b < 8; b++)
        {
            bytes[4 + b] = (byte)(i >>> (8 * b));
        }
        for (int b = 12; b < bytes.length; b++)
        {
            bytes[b] = (byte)(i + b + producer);
        }
        return bytes;
    }

    private void produce(final int producer, final long records, final long rate, final int maxExtra)
    {
        final long start = System.nanoTime();
        for (long i = 0; i < records && !stop; i++)
        {
            final byte[] bytes = payload(producer, i, maxExtra);
            pipeline.publish(bytes, 0, bytes.length);
            published.incrementAndGet();
            if (rate > 0)
            {
                final long due = start + i * 1_000_000_000L / rate;
                final long wait = due - System.nanoTime();
                if (wait > 0)
                {
                    LockSupport.parkNanos(wait);
                }
            }
        }
    }

    /**
     * Records published so far.
     *
     * @return the count.
     */
    public long published()
    {
        return published.get();
    }

    /**
     * Stops the producers (when they run until stopped).
     */
    public void stop()
    {
        stop = true;
    }

    /**
     * Waits for the producers to finish, then closes the pipeline.
     *
     * @return the number of records in the journal.
     * @throws InterruptedException if interrupted.
     */
    public long finish() throws InterruptedException
    {
        for (final Thread thread : threads)
        {
            thread.join(TimeUnit.MINUTES.toMillis(5));
        }
        pipeline.close();
        return published.get();
    }

    @Override
    public void close()
    {
        stop();
        pipeline.close();
    }
}
