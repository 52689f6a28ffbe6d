package io.ringwal.bench.load;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * Runs a load: starts the producer threads on a {@link LoadTarget}, waits for them, makes everything durable
 * ({@link LoadTarget#finish()}), completes the last durable latencies and merges the per-producer histograms.
 * Measures GC and process CPU over the run.
 */
public final class LoadGenerator
{
    /** Largest latency the histograms track: 1 hour. Larger values are clamped. */
    public static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.HOURS.toNanos(1);

    private final LoadTarget target;
    private final Producer[] producers;
    private final long durationNanos;
    private final ForceTimes forceTimes;

    /**
     * Creates a generator; the target must be started.
     *
     * @param target        where records go (started).
     * @param sizes         the record sizes (each producer gets its own generator, seeded by its index).
     * @param producerCount how many producer threads.
     * @param maxRecords    stop after this many records in total ({@link Long#MAX_VALUE} for no limit).
     * @param durationNanos stop after this long ({@link Long#MAX_VALUE} for no limit).
     * @param batchSize     records per batch when producers end batches themselves.
     * @param rate          records per second for all producers together, 0 for as fast as possible.
     * @param durableLog    the durable advances the target reports.
     * @param forceTimes    the force observer of the journal.
     */
    public LoadGenerator(
        final LoadTarget target,
        final RecordSizes sizes,
        final int producerCount,
        final long maxRecords,
        final long durationNanos,
        final int batchSize,
        final long rate,
        final DurableLog durableLog,
        final ForceTimes forceTimes)
    {
        if (producerCount < 1 || producerCount > target.maxProducers() || producerCount > 65_535)
        {
            throw new IllegalArgumentException("producers=" + producerCount + " must be 1.." +
                Math.min(65_535, target.maxProducers()) + " for this target");
        }
        if (batchSize < 1)
        {
            throw new IllegalArgumentException("batch=" + batchSize + " must be at least 1");
        }
        if (rate < 0)
        {
            throw new IllegalArgumentException("rate=" + rate + " must not be negative");
        }
        this.target = target;
        this.durationNanos = durationNanos;
        this.forceTimes = forceTimes;
        this.producers = new Producer[producerCount];
        for (int i = 0; i < producerCount; i++)
        {
            final long quota = maxRecords == Long.MAX_VALUE ? Long.MAX_VALUE :
                maxRecords / producerCount + (i < maxRecords % producerCount ? 1 : 0);
            producers[i] = new Producer(i, producerCount, target, sizes.copy(42 + i), quota, rate, batchSize,
                durableLog);
        }
    }

    /**
     * The producers (for progress reporting).
     *
     * @return the producers.
     */
    public Producer[] producers()
    {
        return producers;
    }

    /**
     * Runs the load to completion; the target is finished (everything durable) but not closed.
     *
     * @param rate the requested rate, copied into the result.
     * @return what happened.
     * @throws IllegalStateException if a producer or the target failed.
     */
    public LoadResult run(final long rate)
    {
        final long gcCountStart = gcCount();
        final long gcTimeStart = gcTimeMillis();
        final long processCpuStart = processCpuNanos();
        final CounterSnapshot countersStart = new CounterSnapshot();
        target.snapshot(countersStart);

        final Thread[] threads = new Thread[producers.length];
        final long startNanos = System.nanoTime();
        final long deadline = durationNanos == Long.MAX_VALUE ? Long.MAX_VALUE : startNanos + durationNanos;
        for (int i = 0; i < producers.length; i++)
        {
            producers[i].schedule(startNanos, deadline);
            threads[i] = new Thread(producers[i], "ringwal-producer-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
        for (final Thread thread : threads)
        {
            joinUninterruptibly(thread);
        }
        final long endNanos = System.nanoTime();
        Throwable failure = null;
        for (final Producer producer : producers)
        {
            if (producer.failure() != null && failure == null)
            {
                failure = producer.failure();
            }
        }
        if (failure != null)
        {
            throw new IllegalStateException("producer failed: " + failure, failure);
        }
        target.finish();
        final long finishedNanos = System.nanoTime();

        final LoadResult result = new LoadResult();
        result.publishLatency = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
        result.durableLatency = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
        result.firstSequence = Long.MAX_VALUE;
        result.publishedPerProducer = new long[producers.length];
        for (final Producer producer : producers)
        {
            producer.completeDurable();
            result.publishLatency.add(producer.publishLatency());
            result.durableLatency.add(producer.durableLatency());
            result.durableUnrecorded += producer.durableUnrecorded();
            result.durableLogOverruns += producer.durableLate();
            result.records += producer.published();
            result.bytes += producer.publishedBytes();
            result.publishedPerProducer[producer.index()] = producer.published();
            if (producer.firstSequence() >= 0)
            {
                result.firstSequence = Math.min(result.firstSequence, producer.firstSequence());
            }
        }
        if (result.firstSequence == Long.MAX_VALUE)
        {
            result.firstSequence = target.nextSequence();
        }
        final CounterSnapshot countersEnd = new CounterSnapshot();
        target.snapshot(countersEnd);
        result.counters = new CounterSnapshot().difference(countersEnd, countersStart);
        result.forceTimes = forceTimes.dataForces().copy();
        result.rotationForces = forceTimes.rotationForces();
        result.rotationForceNanos = forceTimes.rotationForceNanos();
        result.elapsedNanos = endNanos - startNanos;
        result.finishNanos = finishedNanos - endNanos;
        result.gcCount = gcCount() - gcCountStart;
        result.gcTimeMillis = gcTimeMillis() - gcTimeStart;
        final long processCpuEnd = processCpuNanos();
        result.processCpuNanos = processCpuStart < 0 || processCpuEnd < 0 ? -1 : processCpuEnd - processCpuStart;
        result.availableProcessors = Runtime.getRuntime().availableProcessors();
        result.producers = producers.length;
        result.targetThreads = target.ownThreads();
        result.threads = producers.length + " producer" + (producers.length == 1 ? "" : "s") + ", " +
            target.threadsDescription();
        result.rate = rate;
        return result;
    }

    private static void joinUninterruptibly(final Thread thread)
    {
        boolean interrupted = false;
        while (true)
        {
            try
            {
                thread.join();
                break;
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
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
