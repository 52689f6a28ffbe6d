package io.ringwal.bench.load;

import org.HdrHistogram.Histogram;

/**
 * What a load run measured. Plain fields, filled by {@link LoadGenerator} and read by {@link LoadReport}.
 */
public final class LoadResult
{
    /** Records appended. */
    public long records;
    /** Payload bytes appended. */
    public long bytes;
    /** Sequence of the first record of the run. */
    public long firstSequence;
    /** From the first append to the end of the last batch, ns (the final force is not included). */
    public long elapsedNanos;
    /** Journal counters over the run (including the final force). */
    public CounterSnapshot counters;
    /** Append-call latency, ns. */
    public Histogram appendLatency;
    /** Append-to-durable latency, ns. */
    public Histogram durableLatency;
    /** Records whose durable latency was not recorded because too many were pending at once. */
    public long durableUnrecorded;
    /** GC collections during the run. */
    public long gcCount;
    /** GC time during the run, ms (as the collectors report it). */
    public long gcTimeMillis;
    /** CPU time of the whole process during the run, ns, or -1. */
    public long processCpuNanos;
    /** CPU time of the producer thread during the run, ns, or -1. */
    public long producerCpuNanos;
    /** Processors the JVM sees. */
    public int availableProcessors;
    /** Which threads the target runs. */
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
