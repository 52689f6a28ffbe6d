package io.ringwal.bench.load;

import io.ringwal.journal.JournalCounters;

/**
 * A plain copy of {@link JournalCounters}, so that deltas can be taken and values handed to another thread.
 */
public final class CounterSnapshot
{
    /** Records appended. */
    public long records;
    /** Payload bytes appended. */
    public long bytes;
    /** Batches ended. */
    public long batches;
    /** Forces made. */
    public long forces;
    /** Time spent forcing, ns. */
    public long forceNanos;
    /** Bytes in forced ranges. */
    public long forcedBytes;
    /** Segment rotations. */
    public long rotations;
    /** Time spent rotating, ns, or -1 when the target does not report it. */
    public long rotationNanos;
    /** Times the writer waited for the allocator. */
    public long allocatorWaits;
    /** Time waited for the allocator, ns. */
    public long allocatorWaitNanos;
    /** Times a publish found the ring full (pipeline only). */
    public long ringFull;
    /** Segments prepared with direct zero-fill. */
    public long segmentsDirect;
    /** Segments prepared with page-sized zero-fill. */
    public long segmentsBufferedPages;
    /** Segments prepared with buffered 1 MiB zero-fill. */
    public long segmentsBuffered;

    /**
     * Copies the counters.
     *
     * @param counters the source.
     * @return this.
     */
    public CounterSnapshot copyFrom(final JournalCounters counters)
    {
        records = counters.records();
        bytes = counters.bytes();
        batches = counters.batches();
        forces = counters.forces();
        forceNanos = counters.forceNanos();
        forcedBytes = counters.forcedBytes();
        rotations = counters.rotations();
        rotationNanos = counters.rotationNanos();
        allocatorWaits = counters.allocatorWaits();
        allocatorWaitNanos = counters.allocatorWaitNanos();
        ringFull = 0;
        segmentsDirect = counters.segmentsDirect();
        segmentsBufferedPages = counters.segmentsBufferedPages();
        segmentsBuffered = counters.segmentsBuffered();
        return this;
    }

    /**
     * Copies another snapshot.
     *
     * @param other the source.
     * @return this.
     */
    public CounterSnapshot copyFrom(final CounterSnapshot other)
    {
        records = other.records;
        bytes = other.bytes;
        batches = other.batches;
        forces = other.forces;
        forceNanos = other.forceNanos;
        forcedBytes = other.forcedBytes;
        rotations = other.rotations;
        rotationNanos = other.rotationNanos;
        allocatorWaits = other.allocatorWaits;
        allocatorWaitNanos = other.allocatorWaitNanos;
        ringFull = other.ringFull;
        segmentsDirect = other.segmentsDirect;
        segmentsBufferedPages = other.segmentsBufferedPages;
        segmentsBuffered = other.segmentsBuffered;
        return this;
    }

    /**
     * Sets this to {@code end - start}, field by field.
     *
     * @param end   the later snapshot.
     * @param start the earlier snapshot.
     * @return this.
     */
    public CounterSnapshot difference(final CounterSnapshot end, final CounterSnapshot start)
    {
        records = end.records - start.records;
        bytes = end.bytes - start.bytes;
        batches = end.batches - start.batches;
        forces = end.forces - start.forces;
        forceNanos = end.forceNanos - start.forceNanos;
        forcedBytes = end.forcedBytes - start.forcedBytes;
        rotations = end.rotations - start.rotations;
        rotationNanos = end.rotationNanos < 0 ? -1 : end.rotationNanos - start.rotationNanos;
        allocatorWaits = end.allocatorWaits - start.allocatorWaits;
        allocatorWaitNanos = end.allocatorWaitNanos - start.allocatorWaitNanos;
        ringFull = end.ringFull - start.ringFull;
        segmentsDirect = end.segmentsDirect - start.segmentsDirect;
        segmentsBufferedPages = end.segmentsBufferedPages - start.segmentsBufferedPages;
        segmentsBuffered = end.segmentsBuffered - start.segmentsBuffered;
        return this;
    }

    @Override
    public String toString()
    {
        return "records=" + records + " bytes=" + bytes + " batches=" + batches + " forces=" + forces +
            " forceMs=" + forceNanos / 1_000_000 + " forcedBytes=" + forcedBytes + " rotations=" + rotations +
            " rotationMs=" + rotationNanos / 1_000_000 + " allocatorWaits=" + allocatorWaits +
            " allocatorWaitMs=" + allocatorWaitNanos / 1_000_000 + " ringFull=" + ringFull + " segmentsDirect=" +
            segmentsDirect + " segmentsBufferedPages=" + segmentsBufferedPages + " segmentsBuffered=" + segmentsBuffered;
    }
}
