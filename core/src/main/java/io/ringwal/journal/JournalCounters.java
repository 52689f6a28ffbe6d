package io.ringwal.journal;

/**
 * Counters of a {@link JournalWriter}, readable from any thread. The writer's own counts (records, bytes,
 * batches, forces, rotations) are updated with plain stores by the writer thread and may be slightly stale when
 * read from another thread. The allocator's counts (allocator waits, prepared segments) are refreshed by every
 * {@link JournalWriter#counters()} call, from whichever thread makes it; they are volatile, so concurrent calls
 * never tear a value and every reader sees the latest refresh (which may be a moment older than another
 * thread's).
 */
public final class JournalCounters
{
    long records;
    long bytes;
    long batches;
    long forces;
    long forceNanos;
    long forcedBytes;
    long rotations;
    long rotationNanos;
    long pipelinedForceWaits;
    volatile long allocatorWaits;
    volatile long allocatorWaitNanos;
    volatile long segmentsDirect;
    volatile long segmentsBufferedPages;
    volatile long segmentsBuffered;
    volatile long segmentsRecycled;
    volatile long allocationFailures;

    JournalCounters()
    {
    }

    /**
     * Records appended since open.
     *
     * @return the count.
     */
    public long records()
    {
        return records;
    }

    /**
     * Payload bytes appended since open.
     *
     * @return the count.
     */
    public long bytes()
    {
        return bytes;
    }

    /**
     * Batches ended ({@link JournalWriter#endOfBatch()} calls).
     *
     * @return the count.
     */
    public long batches()
    {
        return batches;
    }

    /**
     * Forces made (at batch ends, rotations and close).
     *
     * @return the count.
     */
    public long forces()
    {
        return forces;
    }

    /**
     * Total time spent forcing.
     *
     * @return nanoseconds.
     */
    public long forceNanos()
    {
        return forceNanos;
    }

    /**
     * Total length of the ranges forced (page-aligned start), in bytes.
     *
     * @return the count.
     */
    public long forcedBytes()
    {
        return forcedBytes;
    }

    /**
     * Segment rotations.
     *
     * @return the count.
     */
    public long rotations()
    {
        return rotations;
    }

    /**
     * Total time spent starting new segments: waiting for the allocator (also counted in
     * {@link #allocatorWaitNanos()}), writing and forcing the header, the rename and the directory force; not the
     * finished segment's force, which counts as a force.
     *
     * @return nanoseconds.
     */
    public long rotationNanos()
    {
        return rotationNanos;
    }

    /**
     * Times the writer had to wait for the allocator to prepare a segment.
     *
     * @return the count.
     */
    public long allocatorWaits()
    {
        return allocatorWaits;
    }

    /**
     * Total time the writer waited for the allocator.
     *
     * @return nanoseconds.
     */
    public long allocatorWaitNanos()
    {
        return allocatorWaitNanos;
    }

    /**
     * Segments the allocator prepared with direct zero-fill (under {@code ADAPTIVE}: while forces were large).
     *
     * @return the count, including a prepared segment not taken yet.
     */
    public long segmentsDirect()
    {
        return segmentsDirect;
    }

    /**
     * Segments the allocator prepared by recycling a retired segment instead of allocating a new file.
     *
     * @return the count, including prepared segments not taken yet.
     */
    public long segmentsRecycled()
    {
        return segmentsRecycled;
    }

    /**
     * Segments the allocator prepared with page-sized zero-fill (under {@code ADAPTIVE}: while forces were small).
     *
     * @return the count, including a prepared segment not taken yet.
     */
    public long segmentsBufferedPages()
    {
        return segmentsBufferedPages;
    }

    /**
     * Segments the allocator prepared with buffered 1 MiB zero-fill ({@code BUFFERED}, what {@code ADAPTIVE} means
     * with staged writes: {@link JournalConfig#effectivePreallocationMode()}).
     *
     * @return the count, including a prepared segment not taken yet.
     */
    public long segmentsBuffered()
    {
        return segmentsBuffered;
    }

    /**
     * With pipelined forcing: how many times the writer waited for the force in flight because it had written as
     * much again meanwhile (the bound that keeps it at most one force ahead). Always 0 without pipelining.
     *
     * @return the count.
     */
    public long pipelinedForceWaits()
    {
        return pipelinedForceWaits;
    }

    /**
     * Failure episodes of the allocator: times preparing the next segment failed (a full disk, say) after it had
     * last succeeded. Each one was also logged at WARNING and told to the {@link io.ringwal.segment.AllocationListener};
     * retries that fail again do not count. The writer still had room when it rose.
     *
     * @return the count.
     */
    public long allocationFailures()
    {
        return allocationFailures;
    }

    @Override
    public String toString()
    {
        return "records=" + records + " bytes=" + bytes + " batches=" + batches + " forces=" + forces +
            " forceMs=" + forceNanos / 1_000_000 + " rotations=" + rotations + " allocatorWaits=" + allocatorWaits +
            " segmentsDirect=" + segmentsDirect + " segmentsBufferedPages=" + segmentsBufferedPages +
            " segmentsBuffered=" + segmentsBuffered +
            " segmentsRecycled=" + segmentsRecycled + " allocationFailures=" + allocationFailures +
            " pipelinedForceWaits=" + pipelinedForceWaits;
    }
}
