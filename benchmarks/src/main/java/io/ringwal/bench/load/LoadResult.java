package io.ringwal.bench.load;

import org.HdrHistogram.Histogram;

/**
 * What a load run measured. Plain fields, filled by {@link LoadGenerator} and read by {@link LoadReport}.
 */
public final class LoadResult
{
    /** Records published. */
    public long records;
    /** Payload bytes published. */
    public long bytes;
    /** Records published by each producer. */
    public long[] publishedPerProducer;
    /** Sequence of the first record of the run. */
    public long firstSequence;
    /** From the start of the producers until the last one stopped, ns (the final drain and force excluded). */
    public long elapsedNanos;
    /** From the last producer stopping until everything was durable (drain, final force, close), ns. */
    public long finishNanos;
    /** Journal counters over the run (including the final force). */
    public CounterSnapshot counters;
    /** Durations of the data forces, ns. */
    public Histogram forceTimes;
    /** Header and directory forces at rotations. */
    public long rotationForces;
    /** Time spent in header and directory forces at rotations, ns. */
    public long rotationForceNanos;
    /** Publish-call latency, ns, merged over producers. */
    public Histogram publishLatency;
    /** Publish-to-durable latency, ns, merged over producers. */
    public Histogram durableLatency;
    /** Records whose durable latency was not recorded (too many pending at once in one producer). */
    public long durableUnrecorded;
    /** Times a producer found the durable log overrun (latencies completed against a later advance). */
    public long durableLogOverruns;
    /** GC collections during the run. */
    public long gcCount;
    /** GC time during the run, ms (as the collectors report it). */
    public long gcTimeMillis;
    /** CPU time of the whole process during the run, ns, or -1. */
    public long processCpuNanos;
    /** Processors the JVM sees. */
    public int availableProcessors;
    /** Producer threads. */
    public int producers;
    /** Threads the target runs besides the producers (writer, allocator). */
    public int targetThreads;
    /** Which threads ran, described. */
    public String threads;
    /** The requested rate, 0 for unbounded. */
    public long rate;

    /**
     * Records per second over the run.
     *
     * @return the rate.
     */
    public double recordsPerSecond()
    {
        return elapsedNanos > 0 ? records * 1e9 / elapsedNanos : 0;
    }

    /**
     * Payload megabytes (10^6 bytes) per second over the run.
     *
     * @return the rate.
     */
    public double megabytesPerSecond()
    {
        return elapsedNanos > 0 ? bytes * 1e3 / elapsedNanos : 0;
    }
}
