package io.ringwal.peers;

/**
 * One workload: how many producers, how large each record is, how long to run, and whether to run flat out
 * (throughput) or at a fixed offered rate (latency).
 *
 * @param producers   number of producer threads.
 * @param recordSize  bytes per record (the payload each contender stores).
 * @param durationMs  measured run time in milliseconds.
 * @param warmupMs    warm-up before the measured window, in milliseconds (its records are stored and verified).
 * @param offeredRate records per second offered by all producers together; 0 means as fast as possible.
 * @param maxRecords  records per producer at most (0: no cap); the smoke test uses it to stay small.
 */
public record Workload(int producers, int recordSize, long durationMs, long warmupMs, long offeredRate,
    long maxRecords)
{
    /**
     * Checks the values.
     */
    public Workload
    {
        if (producers < 1 || producers > 9)
        {
            throw new IllegalArgumentException("producers=" + producers + " must be 1..9");
        }
        if (recordSize < Payloads.MIN_SIZE || recordSize > 65536)
        {
            throw new IllegalArgumentException("recordSize=" + recordSize + " must be " + Payloads.MIN_SIZE +
                "..65536");
        }
        if (durationMs <= 0 || warmupMs < 0 || offeredRate < 0 || maxRecords < 0)
        {
            throw new IllegalArgumentException("durationMs=" + durationMs + " warmupMs=" + warmupMs +
                " offeredRate=" + offeredRate + " maxRecords=" + maxRecords + " out of range");
        }
    }

    /**
     * Whether producers pace themselves at an offered rate.
     *
     * @return true for a latency workload.
     */
    public boolean isLatency()
    {
        return offeredRate > 0;
    }

    /**
     * A short label such as {@code 1p-64B-max} or {@code 1p-1024B-100000/s}.
     *
     * @return the label.
     */
    public String label()
    {
        return producers + "p-" + recordSize + "B-" + (isLatency() ? offeredRate + "/s" : "max");
    }
}
