package io.ringwal.bench.load;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One producer thread of a load run. It publishes its share of the records into a {@link LoadTarget} and
 * records two latencies per record in its own HdrHistograms (merged with the other producers' at the end):
 * <ul>
 *     <li><b>publish</b>: from the record's start to the return of the publish call;</li>
 *     <li><b>publish&rarr;durable</b>: from the record's start to the durable advance that covered it, as
 *     timestamped in the {@link DurableLog}.</li>
 * </ul>
 * Without a rate, a record's start is when its publish is called. With a rate, it is the record's
 * <em>intended</em> send time, so time spent stuck behind a full ring or a slow force counts against every
 * record that should have been sent meanwhile (no coordinated omission).
 *
 * <p>Nothing is allocated per record: the payload buffer is reused, the stamp is a {@code putLong}, the
 * pending records live in two preallocated {@code long[]} rings (sequence, start) in publish order, and
 * completion walks them against the {@link DurableLog} (so the writer thread does no per-record work for the
 * measurement). If more than {@link #PENDING_CAPACITY} records of one producer wait for durability at once
 * (possible only under a policy that rarely forces), the oldest is dropped from the measurement and counted.
 *
 * <p>Each payload starts with an 8-byte little-endian stamp: the producer's index in the top 16 bits and its
 * own record counter (0, 1, 2, ...) below, which the read-back check uses to prove per-producer order.
 */
public final class Producer implements Runnable
{
    /** Records of one producer whose durability can be waited for at once with their start time kept. */
    public static final int PENDING_CAPACITY = 1 << 19;

    /** Bits of the stamp that hold the per-producer counter. */
    public static final int COUNTER_BITS = 48;

    /** Length of the stamp at the start of every payload. */
    public static final int STAMP_LENGTH = Long.BYTES;

    private static final long COUNTER_MASK = (1L << COUNTER_BITS) - 1;
    private static final long SPIN_THRESHOLD_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long PARK_MARGIN_NANOS = TimeUnit.MICROSECONDS.toNanos(60);
    private static final VarHandle RECORDS;
    private static final VarHandle BYTES;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            RECORDS = lookup.findVarHandle(Producer.class, "published", long.class);
            BYTES = lookup.findVarHandle(Producer.class, "publishedBytes", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final int index;
    private final LoadTarget target;
    private final RecordSizes sizes;
    private final long quota;
    private final long rate;
    private final int producers;
    private final int batchSize;
    private final DurableLog durableLog;
    private final Histogram publishLatency = new Histogram(LoadGenerator.HIGHEST_TRACKABLE_NANOS, 3);
    private final Histogram durableLatency = new Histogram(LoadGenerator.HIGHEST_TRACKABLE_NANOS, 3);
    private final long[] pendingSequence = new long[PENDING_CAPACITY];
    private final long[] pendingStart = new long[PENDING_CAPACITY];
    private final UnsafeBuffer payload;

    private long startNanos;
    private long deadlineNanos;
    private long pendingHead;
    private long pendingTail;
    private long logCursor;
    private long durableUnrecorded;
    private long durableLate;
    private long firstSequence = -1;
    private long lastSequence = -1;
    private Throwable failure;
    @SuppressWarnings("unused") // through RECORDS
    private volatile long published;
    @SuppressWarnings("unused") // through BYTES
    private volatile long publishedBytes;

    /**
     * Creates a producer.
     *
     * @param index      this producer's index, from 0, below 65,536 (it goes into the stamp).
     * @param producers  how many producers run (the rate is shared).
     * @param target     where records go.
     * @param sizes      this producer's own record sizes (the generator is not thread-safe).
     * @param quota      records to publish ({@link Long#MAX_VALUE} for no limit).
     * @param rate       records per second for all producers together, 0 for as fast as possible.
     * @param batchSize  records per batch when the target needs the producer to end batches.
     * @param durableLog the run's durable advances.
     */
    public Producer(
        final int index,
        final int producers,
        final LoadTarget target,
        final RecordSizes sizes,
        final long quota,
        final long rate,
        final int batchSize,
        final DurableLog durableLog)
    {
        if (sizes.min() < STAMP_LENGTH)
        {
            throw new IllegalArgumentException("record size " + sizes + " is below " + STAMP_LENGTH +
                " bytes: every record carries an 8-byte producer stamp");
        }
        this.index = index;
        this.producers = producers;
        this.target = target;
        this.sizes = sizes;
        this.quota = quota;
        this.rate = rate;
        this.batchSize = batchSize;
        this.durableLog = durableLog;
        this.payload = new UnsafeBuffer(ByteBuffer.allocateDirect(sizes.max()));
        for (int i = 0; i < payload.capacity(); i++)
        {
            payload.putByte(i, (byte)('a' + (i + index) % 26));
        }
    }

    /**
     * Sets when the run starts and when it must stop; call before the thread starts.
     *
     * @param startNanos    the run's start ({@link System#nanoTime()}).
     * @param deadlineNanos when to stop, or {@link Long#MAX_VALUE}.
     */
    public void schedule(final long startNanos, final long deadlineNanos)
    {
        this.startNanos = startNanos;
        this.deadlineNanos = deadlineNanos;
    }

    /**
     * The stamp of a producer's record.
     *
     * @param producer the producer index.
     * @param counter  the producer's record counter.
     * @return the stamp.
     */
    public static long stamp(final int producer, final long counter)
    {
        return ((long)producer << COUNTER_BITS) | (counter & COUNTER_MASK);
    }

    /**
     * The producer index in a stamp.
     *
     * @param stamp the stamp.
     * @return the index.
     */
    public static int producerOf(final long stamp)
    {
        return (int)(stamp >>> COUNTER_BITS);
    }

    /**
     * The counter in a stamp.
     *
     * @param stamp the stamp.
     * @return the counter.
     */
    public static long counterOf(final long stamp)
    {
        return stamp & COUNTER_MASK;
    }

    @Override
    public void run()
    {
        try
        {
            produce();
        }
        catch (final RuntimeException | Error ex)
        {
            failure = ex;
        }
    }

    private void produce()
    {
        final LoadTarget target = this.target;
        final UnsafeBuffer payload = this.payload;
        final boolean batches = target.producerBatches();
        final double intervalNanos = rate > 0 ? 1e9 * producers / rate : 0;
        final long phaseNanos = rate > 0 ? (long)(1e9 * index / rate) : 0;
        final long deadline = deadlineNanos;
        long records = 0;
        long bytes = 0;
        int inBatch = 0;

        while (records < quota)
        {
            long intended = 0;
            if (rate > 0)
            {
                intended = startNanos + phaseNanos + (long)(records * intervalNanos);
                if (intended >= deadline)
                {
                    break;
                }
                if (System.nanoTime() < intended)
                {
                    if (inBatch > 0)
                    {
                        target.endOfBatch();
                        inBatch = 0;
                    }
                    completeDurable();
                    waitUntil(intended);
                }
            }

            final int size = sizes.next();
            payload.putLong(0, stamp(index, records), ByteOrder.LITTLE_ENDIAN);
            final long before = System.nanoTime();
            if (rate == 0)
            {
                intended = before;
            }
            final long sequence = target.publish(payload, 0, size);
            final long after = System.nanoTime();
            publishLatency.recordValue(Math.min(after - intended, LoadGenerator.HIGHEST_TRACKABLE_NANOS));
            addPending(sequence, intended);
            records++;
            bytes += size;
            RECORDS.setRelease(this, records);
            BYTES.setRelease(this, bytes);

            if (batches && ++inBatch == batchSize)
            {
                target.endOfBatch();
                inBatch = 0;
            }
            completeDurable();
            if (rate == 0 && after >= deadline)
            {
                break;
            }
        }
        if (inBatch > 0)
        {
            target.endOfBatch();
        }
    }

    private void addPending(final long sequence, final long startNanos)
    {
        if (firstSequence < 0)
        {
            firstSequence = sequence;
        }
        lastSequence = sequence;
        if (pendingTail - pendingHead == PENDING_CAPACITY)
        {
            pendingHead++;
            durableUnrecorded++;
        }
        final int slot = (int)(pendingTail & (PENDING_CAPACITY - 1));
        pendingSequence[slot] = sequence;
        pendingStart[slot] = startNanos;
        pendingTail++;
    }

    /**
     * Completes the pending records that the {@link DurableLog} shows durable, recording their latency. Called by
     * the producer thread while it runs, and once more by the coordinator after the target finished.
     */
    void completeDurable()
    {
        if (pendingHead == pendingTail)
        {
            return;
        }
        final DurableLog log = durableLog;
        final long available = log.count();
        if (logCursor == available)
        {
            return;
        }
        final int capacity = log.capacity();
        long head = pendingHead;
        final long tail = pendingTail;
        long cursor = logCursor;
        while (head < tail && cursor < available)
        {
            boolean late = false;
            if (available - cursor > capacity)
            {
                cursor = available - capacity;
                late = true;
            }
            final long durable = log.sequence(cursor);
            final long nanos = log.nanos(cursor);
            VarHandle.acquireFence();
            if (log.count() - cursor > capacity)
            {
                // the entry was overwritten while being read: move on and mark what completes next as late
                cursor++;
                durableLate++;
                continue;
            }
            final int slot = (int)(head & (PENDING_CAPACITY - 1));
            if (pendingSequence[slot] <= durable)
            {
                if (late)
                {
                    durableLate++;
                }
                final long latency = Math.max(0, nanos - pendingStart[slot]);
                durableLatency.recordValue(Math.min(latency, LoadGenerator.HIGHEST_TRACKABLE_NANOS));
                head++;
            }
            else
            {
                cursor++;
            }
        }
        pendingHead = head;
        logCursor = cursor;
    }

    private static void waitUntil(final long deadlineNanos)
    {
        while (true)
        {
            final long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0)
            {
                return;
            }
            if (remaining > SPIN_THRESHOLD_NANOS)
            {
                LockSupport.parkNanos(remaining - PARK_MARGIN_NANOS);
            }
            else
            {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * Records published so far (safe from any thread).
     *
     * @return the count.
     */
    public long published()
    {
        return (long)RECORDS.getAcquire(this);
    }

    /**
     * Payload bytes published so far (safe from any thread).
     *
     * @return the count.
     */
    public long publishedBytes()
    {
        return (long)BYTES.getAcquire(this);
    }

    /**
     * This producer's index.
     *
     * @return the index.
     */
    public int index()
    {
        return index;
    }

    /**
     * Publish-call latencies, ns (read after the thread ended).
     *
     * @return the histogram.
     */
    public Histogram publishLatency()
    {
        return publishLatency;
    }

    /**
     * Publish-to-durable latencies, ns (read after the final {@link #completeDurable()}).
     *
     * @return the histogram.
     */
    public Histogram durableLatency()
    {
        return durableLatency;
    }

    /**
     * Records never completed or dropped from the durability measurement.
     *
     * @return the count.
     */
    public long durableUnrecorded()
    {
        return durableUnrecorded + (pendingTail - pendingHead);
    }

    /**
     * Records completed against a later durable advance than their own (the log was overrun), so their latency
     * is overstated.
     *
     * @return the count.
     */
    public long durableLate()
    {
        return durableLate;
    }

    /**
     * Sequence of this producer's first record, or -1.
     *
     * @return the sequence.
     */
    public long firstSequence()
    {
        return firstSequence;
    }

    /**
     * Sequence of this producer's last record, or -1.
     *
     * @return the sequence.
     */
    public long lastSequence()
    {
        return lastSequence;
    }

    /**
     * What stopped the thread, or null.
     *
     * @return the failure.
     */
    public Throwable failure()
    {
        return failure;
    }
}
