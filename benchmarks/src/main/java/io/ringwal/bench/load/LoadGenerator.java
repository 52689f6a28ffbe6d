package io.ringwal.bench.load;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The producer loop of {@code ringwal load}: one thread appends records to a {@link LoadTarget}, ends a batch
 * every {@code batchSize} records, and records two latencies per record in HdrHistograms (recording allocates
 * nothing):
 * <ul>
 *     <li><b>append</b>: from the record's start to the return of the append call;</li>
 *     <li><b>append→durable</b>: from the record's start to the moment the producer sees the durable watermark
 *     cover it (after the end-of-batch force, or a rotation's force, or the final force).</li>
 * </ul>
 * Without a rate, a record's start is when its append is called. With a rate, a record's start is its
 * <em>intended</em> send time ({@code start + i / rate}), so time the producer spent stuck behind a slow force
 * counts against every record that should have been sent meanwhile (no coordinated omission). With a rate, a
 * batch also ends early whenever the producer is ahead of schedule and about to wait, as a ring-buffer consumer
 * ends a batch when the ring is empty.
 *
 * <p>The payload's first 8 bytes (when it has 8) hold the record's sequence, little-endian, so that the
 * verification pass can check that every record came back as written.
 */
public final class LoadGenerator
{
    /** Largest latency the histograms track: 1 hour. Larger values are clamped. */
    public static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.HOURS.toNanos(1);

    /** How many records may wait for durability with their start time kept. */
    public static final int PENDING_CAPACITY = 1 << 20;

    private static final long SPIN_THRESHOLD_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long PARK_MARGIN_NANOS = TimeUnit.MICROSECONDS.toNanos(60);

    private final LoadTarget target;
    private final RecordSizes sizes;
    private final long maxRecords;
    private final long durationNanos;
    private final int batchSize;
    private final long rate;
    private final LoadProgress progress;
    private final Histogram appendLatency = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
    private final Histogram durableLatency = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
    private final long[] pendingStart = new long[PENDING_CAPACITY];
    private final UnsafeBuffer payload;
    private final CounterSnapshot live = new CounterSnapshot();
    private long pendingFrom;
    private long durableUnrecorded;
    private long records;
    private long bytes;

    /**
     * Creates a generator.
     *
     * @param target        where records go.
     * @param sizes         the record sizes.
     * @param maxRecords    stop after this many records ({@link Long#MAX_VALUE} for no limit).
     * @param durationNanos stop after this long ({@link Long#MAX_VALUE} for no limit).
     * @param batchSize     records per batch, at least 1.
     * @param rate          records per second, 0 for as fast as possible.
     * @param progress      where progress is published for the reporter thread.
     */
    public LoadGenerator(
        final LoadTarget target,
        final RecordSizes sizes,
        final long maxRecords,
        final long durationNanos,
        final int batchSize,
        final long rate,
        final LoadProgress progress)
    {
        if (batchSize < 1)
        {
            throw new IllegalArgumentException("batch=" + batchSize + " must be at least 1");
        }
        if (rate < 0)
        {
            throw new IllegalArgumentException("rate=" + rate + " must not be negative");
        }
        this.target = target;
        this.sizes = sizes;
        this.maxRecords = maxRecords;
        this.durationNanos = durationNanos;
        this.batchSize = batchSize;
        this.rate = rate;
        this.progress = progress;
        this.payload = new UnsafeBuffer(ByteBuffer.allocateDirect(Math.max(8, sizes.max())));
        for (int i = 0; i < payload.capacity(); i++)
        {
            payload.putByte(i, (byte)('a' + i % 26));
        }
    }

    /**
     * Runs the load to completion: appends, ends the last batch, forces everything and records the durable
     * latency of the tail. The target is left open.
     *
     * @return what happened.
     */
    public LoadResult run()
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final long gcCountStart = gcCount();
        final long gcTimeStart = gcTimeMillis();
        final long processCpuStart = processCpuNanos();
        final long threadCpuStart = threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
        final CounterSnapshot countersStart = new CounterSnapshot();
        target.snapshot(countersStart);

        final long firstSequence = target.nextSequence();
        pendingFrom = firstSequence;
        final long startNanos = System.nanoTime();
        final long deadline = durationNanos == Long.MAX_VALUE ? Long.MAX_VALUE : startNanos + durationNanos;
        final double intervalNanos = rate > 0 ? 1e9 / rate : 0;
        final UnsafeBuffer payload = this.payload;
        final LoadTarget target = this.target;
        int inBatch = 0;

        while (records < maxRecords)
        {
            long intended = 0;
            if (rate > 0)
            {
                intended = startNanos + (long)(records * intervalNanos);
                final long now = System.nanoTime();
                if (now < intended)
                {
                    if (inBatch > 0)
                    {
                        endBatch();
                        inBatch = 0;
                    }
                    if (now >= deadline)
                    {
                        break;
                    }
                    waitUntil(intended);
                }
            }

            final int size = sizes.next();
            if (size >= Long.BYTES)
            {
                payload.putLong(0, target.nextSequence(), ByteOrder.LITTLE_ENDIAN);
            }
            final long before = System.nanoTime();
            if (rate == 0)
            {
                intended = before;
            }
            final long sequence = target.append(payload, 0, size);
            final long after = System.nanoTime();
            appendLatency.recordValue(Math.min(after - intended, HIGHEST_TRACKABLE_NANOS));
            addPending(sequence, intended);
            records++;
            bytes += size;

            if (++inBatch == batchSize)
            {
                endBatch();
                inBatch = 0;
                if (after >= deadline)
                {
                    break;
                }
            }
            else if (target.durableSequence() >= pendingFrom)
            {
                drainDurable(after);
            }
            else if (rate > 0 && after >= deadline)
            {
                break;
            }
        }
        if (inBatch > 0)
        {
            endBatch();
        }
        final long endNanos = System.nanoTime();
        target.forceAll();
        drainDurable(System.nanoTime());

        final CounterSnapshot countersEnd = new CounterSnapshot();
        target.snapshot(countersEnd);
        progress.publishRelease(records, bytes, countersEnd.forces);

        final LoadResult result = new LoadResult();
        result.records = records;
        result.bytes = bytes;
        result.firstSequence = firstSequence;
        result.elapsedNanos = endNanos - startNanos;
        result.counters = new CounterSnapshot().difference(countersEnd, countersStart);
        result.appendLatency = appendLatency;
        result.durableLatency = durableLatency;
        result.durableUnrecorded = durableUnrecorded;
        result.gcCount = gcCount() - gcCountStart;
        result.gcTimeMillis = gcTimeMillis() - gcTimeStart;
        final long processCpuEnd = processCpuNanos();
        result.processCpuNanos = processCpuStart < 0 || processCpuEnd < 0 ? -1 : processCpuEnd - processCpuStart;
        result.producerCpuNanos = threadCpuStart < 0 ? -1 : threads.getCurrentThreadCpuTime() - threadCpuStart;
        result.availableProcessors = Runtime.getRuntime().availableProcessors();
        result.threads = target.threadsDescription();
        result.rate = rate;
        return result;
    }

    private void endBatch()
    {
        target.endOfBatch();
        drainDurable(System.nanoTime());
        target.snapshot(live);
        progress.publishRelease(records, bytes, live.forces);
    }

    private void addPending(final long sequence, final long startNanos)
    {
        if (sequence - pendingFrom >= PENDING_CAPACITY)
        {
            pendingFrom++;
            durableUnrecorded++;
        }
        pendingStart[(int)(sequence & (PENDING_CAPACITY - 1))] = startNanos;
    }

    private void drainDurable(final long now)
    {
        final long durable = target.durableSequence();
        final long[] pendingStart = this.pendingStart;
        long sequence = pendingFrom;
        while (sequence <= durable)
        {
            final long start = pendingStart[(int)(sequence & (PENDING_CAPACITY - 1))];
            durableLatency.recordValue(Math.min(Math.max(0, now - start), HIGHEST_TRACKABLE_NANOS));
            sequence++;
        }
        pendingFrom = sequence;
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

    private static long gcCount()
    {
        long total = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            total += Math.max(0, gc.getCollectionCount());
        }
        return total;
    }

    private static long gcTimeMillis()
    {
        long total = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    private static long processCpuNanos()
    {
        final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean)
        {
            return ((com.sun.management.OperatingSystemMXBean)os).getProcessCpuTime();
        }
        return -1;
    }
}
