package io.ringwal.disruptor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Counters of a {@link JournalPipeline}, readable from any thread.
 *
 * <p>The writer thread keeps its counts in plain fields and publishes them here once per batch with release
 * stores (a plain store on x86), so they may lag the writer by up to one batch. The producer-side counts
 * (ring-full events) are updated with an atomic add, only on the slow path where the ring is full.
 */
public final class PipelineCounters
{
    private static final VarHandle RECORDS;
    private static final VarHandle BYTES;
    private static final VarHandle BATCHES;
    private static final VarHandle FORCES;
    private static final VarHandle FORCE_NANOS;
    private static final VarHandle ROTATIONS;
    private static final VarHandle ALLOCATOR_WAITS;
    private static final VarHandle ALLOCATOR_WAIT_NANOS;
    private static final VarHandle SEGMENTS_DIRECT;
    private static final VarHandle SEGMENTS_BUFFERED_PAGES;
    private static final VarHandle SEGMENTS_BUFFERED;
    private static final VarHandle ALLOCATION_FAILURES;
    private static final VarHandle PUBLISH_RING_FULL;
    private static final VarHandle TRY_PUBLISH_RING_FULL;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            RECORDS = lookup.findVarHandle(PipelineCounters.class, "records", long.class);
            BYTES = lookup.findVarHandle(PipelineCounters.class, "bytes", long.class);
            BATCHES = lookup.findVarHandle(PipelineCounters.class, "batches", long.class);
            FORCES = lookup.findVarHandle(PipelineCounters.class, "forces", long.class);
            FORCE_NANOS = lookup.findVarHandle(PipelineCounters.class, "forceNanos", long.class);
            ROTATIONS = lookup.findVarHandle(PipelineCounters.class, "rotations", long.class);
            ALLOCATOR_WAITS = lookup.findVarHandle(PipelineCounters.class, "allocatorWaits", long.class);
            ALLOCATOR_WAIT_NANOS = lookup.findVarHandle(PipelineCounters.class, "allocatorWaitNanos", long.class);
            SEGMENTS_DIRECT = lookup.findVarHandle(PipelineCounters.class, "segmentsDirect", long.class);
            SEGMENTS_BUFFERED_PAGES = lookup.findVarHandle(PipelineCounters.class, "segmentsBufferedPages",
                long.class);
            SEGMENTS_BUFFERED = lookup.findVarHandle(PipelineCounters.class, "segmentsBuffered", long.class);
            ALLOCATION_FAILURES = lookup.findVarHandle(PipelineCounters.class, "allocationFailures", long.class);
            PUBLISH_RING_FULL = lookup.findVarHandle(PipelineCounters.class, "publishRingFull", long.class);
            TRY_PUBLISH_RING_FULL = lookup.findVarHandle(PipelineCounters.class, "tryPublishRingFull", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    @SuppressWarnings("unused") // accessed through RECORDS
    private long records;
    @SuppressWarnings("unused") // accessed through BYTES
    private long bytes;
    @SuppressWarnings("unused") // accessed through BATCHES
    private long batches;
    @SuppressWarnings("unused") // accessed through FORCES
    private long forces;
    @SuppressWarnings("unused") // accessed through FORCE_NANOS
    private long forceNanos;
    @SuppressWarnings("unused") // accessed through ROTATIONS
    private long rotations;
    @SuppressWarnings("unused") // accessed through ALLOCATOR_WAITS
    private long allocatorWaits;
    @SuppressWarnings("unused") // accessed through ALLOCATOR_WAIT_NANOS
    private long allocatorWaitNanos;
    @SuppressWarnings("unused") // accessed through SEGMENTS_DIRECT
    private long segmentsDirect;
    @SuppressWarnings("unused") // accessed through SEGMENTS_BUFFERED_PAGES
    private long segmentsBufferedPages;
    @SuppressWarnings("unused") // accessed through SEGMENTS_BUFFERED
    private long segmentsBuffered;
    @SuppressWarnings("unused") // accessed through ALLOCATION_FAILURES
    private long allocationFailures;
    @SuppressWarnings("unused") // accessed through PUBLISH_RING_FULL
    private long publishRingFull;
    @SuppressWarnings("unused") // accessed through TRY_PUBLISH_RING_FULL
    private long tryPublishRingFull;

    PipelineCounters()
    {
    }

    void writerBatch(final long records, final long bytes, final long batches)
    {
        RECORDS.setRelease(this, records);
        BYTES.setRelease(this, bytes);
        BATCHES.setRelease(this, batches);
    }

    void journal(
        final long forces,
        final long forceNanos,
        final long rotations,
        final long allocatorWaits,
        final long allocatorWaitNanos,
        final long segmentsDirect,
        final long segmentsBufferedPages,
        final long segmentsBuffered,
        final long allocationFailures)
    {
        FORCES.setRelease(this, forces);
        FORCE_NANOS.setRelease(this, forceNanos);
        ROTATIONS.setRelease(this, rotations);
        ALLOCATOR_WAITS.setRelease(this, allocatorWaits);
        ALLOCATOR_WAIT_NANOS.setRelease(this, allocatorWaitNanos);
        SEGMENTS_DIRECT.setRelease(this, segmentsDirect);
        SEGMENTS_BUFFERED_PAGES.setRelease(this, segmentsBufferedPages);
        SEGMENTS_BUFFERED.setRelease(this, segmentsBuffered);
        ALLOCATION_FAILURES.setRelease(this, allocationFailures);
    }

    void publishFoundRingFull()
    {
        PUBLISH_RING_FULL.getAndAdd(this, 1L);
    }

    void tryPublishFoundRingFull()
    {
        TRY_PUBLISH_RING_FULL.getAndAdd(this, 1L);
    }

    /**
     * Records the writer appended to the journal.
     *
     * @return the count.
     */
    public long records()
    {
        return (long)RECORDS.getAcquire(this);
    }

    /**
     * Payload bytes the writer appended to the journal.
     *
     * @return the count.
     */
    public long bytes()
    {
        return (long)BYTES.getAcquire(this);
    }

    /**
     * Batches the writer ended (group commits: one end-of-batch call on the journal each).
     *
     * @return the count.
     */
    public long batches()
    {
        return (long)BATCHES.getAcquire(this);
    }

    /**
     * Forces the journal made (at batch ends, when idle, at rotations and at close).
     *
     * @return the count.
     */
    public long forces()
    {
        return (long)FORCES.getAcquire(this);
    }

    /**
     * Total time spent in forces.
     *
     * @return nanoseconds.
     */
    public long forceNanos()
    {
        return (long)FORCE_NANOS.getAcquire(this);
    }

    /**
     * Segment rotations.
     *
     * @return the count.
     */
    public long rotations()
    {
        return (long)ROTATIONS.getAcquire(this);
    }

    /**
     * Times the writer had to wait for the allocator thread to prepare the next segment.
     *
     * @return the count.
     */
    public long allocatorWaits()
    {
        return (long)ALLOCATOR_WAITS.getAcquire(this);
    }

    /**
     * Total time the writer waited for the allocator.
     *
     * @return nanoseconds.
     */
    public long allocatorWaitNanos()
    {
        return (long)ALLOCATOR_WAIT_NANOS.getAcquire(this);
    }

    /**
     * Segments the journal's allocator prepared with direct zero-fill (see {@code JournalCounters#segmentsDirect}).
     *
     * @return the count.
     */
    public long segmentsDirect()
    {
        return (long)SEGMENTS_DIRECT.getAcquire(this);
    }

    /**
     * Segments the journal's allocator prepared with page-sized zero-fill (see
     * {@code JournalCounters#segmentsBufferedPages}).
     *
     * @return the count.
     */
    public long segmentsBufferedPages()
    {
        return (long)SEGMENTS_BUFFERED_PAGES.getAcquire(this);
    }

    /**
     * Segments the journal's allocator prepared with buffered 1 MiB zero-fill, what the default preallocation
     * means with staged writes (see {@code JournalCounters#segmentsBuffered}).
     *
     * @return the count.
     */
    public long segmentsBuffered()
    {
        return (long)SEGMENTS_BUFFERED.getAcquire(this);
    }

    /**
     * Times the journal's allocator could not prepare the next segment, counted once per failure episode (see
     * {@code JournalCounters#allocationFailures}); refreshed at batch ends.
     *
     * @return the count.
     */
    public long allocationFailures()
    {
        return (long)ALLOCATION_FAILURES.getAcquire(this);
    }

    /**
     * Times a blocking publish found the ring full and had to wait for the writer (back-pressure).
     *
     * @return the count.
     */
    public long publishRingFull()
    {
        return (long)PUBLISH_RING_FULL.getAcquire(this);
    }

    /**
     * Times a {@code tryPublish} found the ring full and returned {@link JournalPipeline#RING_FULL}.
     *
     * @return the count.
     */
    public long tryPublishRingFull()
    {
        return (long)TRY_PUBLISH_RING_FULL.getAcquire(this);
    }

    /**
     * The ring-full events of both kinds.
     *
     * @return the sum of {@link #publishRingFull()} and {@link #tryPublishRingFull()}.
     */
    public long ringFull()
    {
        return publishRingFull() + tryPublishRingFull();
    }

    @Override
    public String toString()
    {
        return "records=" + records() + " bytes=" + bytes() + " batches=" + batches() + " forces=" + forces() +
            " forceMs=" + forceNanos() / 1_000_000 + " rotations=" + rotations() + " allocatorWaits=" +
            allocatorWaits() + " publishRingFull=" + publishRingFull() + " tryPublishRingFull=" +
            tryPublishRingFull();
    }
}
