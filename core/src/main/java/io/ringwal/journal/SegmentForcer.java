package io.ringwal.journal;

import java.io.UncheckedIOException;
import java.util.function.LongConsumer;

import io.ringwal.segment.internal.AdaptivePreallocation;
import io.ringwal.segment.internal.MappedSegment;
import io.ringwal.segment.internal.PageSize;

/**
 * The forcing side of a {@link JournalWriter}: forces ranges of the active segment (under the
 * {@link SegmentFlusher} lock when background write-back runs), hands forces to the {@link PipelinedForcer} and
 * bounds how far it may fall behind, and publishes the durable watermark to its listener.
 *
 * <p>Threading: the writer thread calls everything but {@link #forceFromForcer(int, long)}, which the force thread
 * calls while the writer neither touches the forced position nor rotates (it {@link #drain() drains} first).
 */
final class SegmentForcer
{
    private static final int PAGE_SIZE = PageSize.PAGE_SIZE;
    private static final int FLUSH_THRESHOLD_BYTES = 1024 * 1024;
    private static final long FLUSH_INTERVAL_NANOS = 1_000_000L;
    /** With pipelined forcing, the backlog below which the writer never waits for the force in flight. */
    private static final int MIN_PIPELINED_BACKLOG_BYTES = 64 * 1024;

    private final ForcePolicy forcePolicy;
    private final ForceObserver forceObserver;
    /** Chooses each segment's preallocation under ADAPTIVE from the forces reported here; null otherwise. */
    private final AdaptivePreallocation adaptive;
    private final JournalCounters counters;
    private final WriterFailure failure;
    private final SegmentFlusher flusher;
    /** Forces on its own thread while the writer appends (pipelined forcing); null when forces are synchronous. */
    private final PipelinedForcer forcer;
    /** Written after each force (by the force thread when pipelined), read by any: on a cache line of its own. */
    private final PaddedSequence durableSequence;
    private volatile LongConsumer durabilityListener;

    private MappedSegment active;
    private int forcedPosition;
    /** With pipelined forcing: the end of the force in flight (or last made), set by the force thread. */
    private volatile int forcingEnd;
    /** With pipelined forcing: how many new bytes the force in flight (or last made) covers. */
    private volatile int forcingBytes;
    private final int pipelinedForceMinRecordBytes;
    private final int pipelinedForceMinBatchBytes;

    SegmentForcer(
        final JournalConfig config,
        final String journalName,
        final AdaptivePreallocation adaptive,
        final JournalCounters counters,
        final WriterFailure failure,
        final PaddedSequence durableSequence)
    {
        this.forcePolicy = config.forcePolicy();
        this.forceObserver = config.forceObserver();
        this.adaptive = adaptive;
        this.counters = counters;
        this.failure = failure;
        this.durableSequence = durableSequence;
        this.flusher = forcePolicy.kind() == ForcePolicy.Kind.EVERY_BATCH || !config.backgroundWriteBack() ? null : new SegmentFlusher(
            "ringwal-flusher-" + journalName, Math.min(FLUSH_THRESHOLD_BYTES, config.segmentSize() / 8),
            FLUSH_INTERVAL_NANOS);
        this.pipelinedForceMinRecordBytes = config.pipelinedForceMinRecordBytes();
        this.pipelinedForceMinBatchBytes = config.pipelinedForceMinBatchBytes();
        this.forcer = config.pipelinedForce() && forcePolicy.kind() != ForcePolicy.Kind.NEVER ?
            new PipelinedForcer(this, "ringwal-forcer-" + journalName) : null;
    }

    SegmentFlusher flusher()
    {
        return flusher;
    }

    PaddedSequence durableSequence()
    {
        return durableSequence;
    }

    void durabilityListener(final LongConsumer listener)
    {
        this.durabilityListener = listener;
    }

    /** The end of what was forced in the active segment. */
    int forcedPosition()
    {
        return forcedPosition;
    }

    /** Makes {@code segment}, written and forced up to {@code endOffset}, the one to force. */
    void activate(final MappedSegment segment, final int endOffset)
    {
        if (flusher != null)
        {
            flusher.activate(segment, endOffset);
        }
        this.active = segment;
        this.forcedPosition = endOffset;
    }

    /** Stops background write-back of the active segment, before it is unmapped. */
    void retire()
    {
        if (flusher != null)
        {
            flusher.retire();
        }
    }

    /** Tells background write-back how far the active segment is written. */
    void written(final int position)
    {
        if (flusher != null)
        {
            flusher.written(position);
        }
    }

    /**
     * Whether the policy asks for a force now: anything unforced under every-batch, a passed bound under a bounded
     * policy, never under never.
     *
     * @param unforcedBytes      bytes written since the last force (or hand-over to the force thread).
     * @param firstUnforcedNanos when the first of them was written.
     * @return true if a force is due.
     */
    boolean due(final int unforcedBytes, final long firstUnforcedNanos)
    {
        switch (forcePolicy.kind())
        {
            case EVERY_BATCH:
                return true;
            case BOUNDED:
                return unforcedBytes >= forcePolicy.maxBytes() ||
                    System.nanoTime() - firstUnforcedNanos >= forcePolicy.maxDelayNanos();
            default:
                return false;
        }
    }

    /**
     * Whether the force of {@code unforcedBytes} holding {@code unforcedRecords} goes to the force thread: there is
     * one, the batch is at least {@link JournalConfig#pipelinedForceMinBatchBytes()} and its frames average at least
     * {@link JournalConfig#pipelinedForceMinRecordBytes()}.
     */
    boolean pipelines(final int unforcedBytes, final long unforcedRecords)
    {
        return forcer != null && unforcedBytes >= pipelinedForceMinBatchBytes &&
            unforcedBytes >= unforcedRecords * pipelinedForceMinRecordBytes;
    }

    /**
     * Hands the force up to {@code position}, making {@code upto} durable, to the force thread. If as much was
     * written since as the force in flight covers, waits for that one first: at most one force ahead, so that the
     * unforced backlog, and with it publish-to-durable latency, stays bounded.
     *
     * @throws JournalFailedException if the writer failed while waiting.
     */
    void submit(final int position, final long upto)
    {
        if (forcer.busy() &&
            position - forcingEnd >= Math.max(MIN_PIPELINED_BACKLOG_BYTES, forcingBytes))
        {
            forcer.drain();
            counters.pipelinedForceWaits++;
            failure.check();
        }
        forcer.request(position, upto);
    }

    /**
     * Waits for the force thread to finish what it was given, so that the writer thread may force or rotate itself.
     *
     * @return false if there is no force thread.
     */
    boolean drain()
    {
        if (forcer == null)
        {
            return false;
        }
        forcer.drain();
        return true;
    }

    /**
     * Called on the forcer thread: forces the active segment up to {@code end} and publishes {@code upto} as
     * durable. The writer thread does not touch the forced position or rotate while a request is in flight.
     *
     * @return false if the force failed (the writer is failed now).
     */
    boolean forceFromForcer(final int end, final long upto)
    {
        if (failure.get() != null)
        {
            return false;
        }
        try
        {
            final int from = forcedPosition & -PAGE_SIZE;
            forcingBytes = end - forcedPosition;
            forcingEnd = end;
            forceAndPublish(from, end - from, end, upto);
            return true;
        }
        catch (final JournalFailedException ex)
        {
            return false;
        }
    }

    /**
     * Forces the active segment from the page of the last forced byte up to {@code end}, then records
     * {@code forcedTo} as forced and publishes {@code upto} as durable.
     */
    void forceThrough(final int end, final int forcedTo, final long upto)
    {
        final int from = forcedPosition & -PAGE_SIZE;
        forceAndPublish(from, end - from, forcedTo, upto);
    }

    private void forceAndPublish(final int from, final int length, final int forcedTo, final long upto)
    {
        if (flusher == null)
        {
            forceRange(from, length, upto);
        }
        else
        {
            flusher.lock();
            try
            {
                forceRange(from, length, upto);
                if (flusher.failure() != null)
                {
                    throw failure.fail("background write-back of " + active.path() + " failed", flusher.failure());
                }
            }
            finally
            {
                flusher.unlock();
            }
        }
        forcedPosition = forcedTo;
        publishDurable(upto);
    }

    void publishDurable(final long upto)
    {
        if (upto <= durableSequence.getAcquire())
        {
            return; // a force that covered only a marker or a header: nothing new is durable
        }
        durableSequence.setRelease(upto);
        final LongConsumer listener = durabilityListener;
        if (listener != null)
        {
            listener.accept(upto);
        }
    }

    private void forceRange(final int from, final int length, final long upto)
    {
        final long start = System.nanoTime();
        try
        {
            forceObserver.beforeForce(active.path(), from, length, upto);
            active.force(from, length);
        }
        catch (final UncheckedIOException | IllegalStateException ex)
        {
            throw failure.fail("force of " + active.path() + " [" + from + ", " + (from + length) + ") failed", ex);
        }
        final long duration = System.nanoTime() - start;
        counters.forces++;
        counters.forceNanos += duration;
        counters.forcedBytes += length;
        if (adaptive != null)
        {
            adaptive.recordForce(length);
        }
        forceObserver.afterForce(active.path(), from, length, upto, duration);
    }

    /** Stops the force thread and background write-back. */
    void close()
    {
        if (forcer != null)
        {
            forcer.close();
        }
        if (flusher != null)
        {
            flusher.close();
        }
    }
}
