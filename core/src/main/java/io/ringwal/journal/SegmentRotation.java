package io.ringwal.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicLong;

import io.ringwal.format.FrameDescriptor;
import io.ringwal.format.SegmentFileNames;
import io.ringwal.format.SegmentHeaderDescriptor;
import io.ringwal.segment.internal.AdaptivePreallocation;
import io.ringwal.segment.internal.Directories;
import io.ringwal.segment.internal.MappedSegment;
import io.ringwal.segment.SegmentAllocationException;
import io.ringwal.segment.internal.SegmentAllocator;

/**
 * The active segment's lifecycle for a {@link JournalWriter}: at open it continues the last segment when recovery
 * found it open, or starts a new one; at each rotation it takes the segment the allocator prepared, has the
 * {@link SegmentAppender} finish the active one (padded and forced whole before the first byte goes into the next),
 * turns the taken one into the journal's next segment (header written and forced, renamed to its base sequence,
 * directory forced), installs it and hands retention its base. A taken segment that is not installed is discarded.
 *
 * <p>Called by the writer thread, once per rotation; retention reads the base it hands over on the allocator
 * thread.
 */
final class SegmentRotation
{
    private static final System.Logger LOG = System.getLogger(JournalWriter.class.getName());

    private final Path directory;
    private final JournalConfig config;
    private final SegmentAllocator allocator;
    private final WriterFailure failures;
    private final JournalCounters counters;
    private final long journalId;
    /** The active segment's base, for retention on the allocator thread (never retires it or anything after). */
    private final AtomicLong retentionBase;
    /** The active segment's base; before the first install, that of the last segment recovery found (or -1). */
    private long activeBase;

    SegmentRotation(
        final Path directory,
        final JournalConfig config,
        final SegmentAllocator allocator,
        final AtomicLong retentionBase,
        final JournalRecovery.Result recovered,
        final JournalCounters counters,
        final WriterFailure failures)
    {
        this.directory = directory;
        this.config = config;
        this.allocator = allocator;
        this.retentionBase = retentionBase;
        this.journalId = recovered.journalId;
        this.activeBase = recovered.lastSegmentBase;
        this.counters = counters;
        this.failures = failures;
    }

    /**
     * Starts the allocator thread that prepares the segments rotations take, and applies the retention policy on
     * it (never to the segment whose base {@code retentionBase} holds, nor to any after it; nothing while it is -1).
     *
     * @return the allocator.
     */
    static SegmentAllocator allocator(
        final Path dir,
        final JournalConfig config,
        final AdaptivePreallocation adaptive,
        final AtomicLong retentionBase)
    {
        final RetentionPolicy retention = config.retention();
        final int maxFree = config.preparedSegments() + 1;
        final Runnable housekeeping = retention.keepsAll() ? null : () ->
        {
            final long activeBase = retentionBase.get();
            if (activeBase >= 0)
            {
                JournalRetention.apply(dir, retention, activeBase, config.recycleSegments(), maxFree,
                    config.epochMillisClock().getAsLong());
            }
        };
        return new SegmentAllocator(dir, config.segmentSize(), config.effectivePreallocationMode(), adaptive,
            config.pretouchMode(), config.preparedSegments(), config.recycleSegments(), housekeeping,
            config.allocationListener(), "ringwal-allocator-" + dir.getFileName());
    }

    /**
     * Base sequence of the active segment.
     *
     * @return the base sequence.
     */
    long activeBase()
    {
        return activeBase;
    }

    /**
     * Installs the first active segment at open: the last segment, continued, when recovery found it open (a
     * segment of an older format version is finished at once and a new one follows), otherwise a new segment.
     *
     * @throws IOException if the segment cannot be mapped, taken or named.
     */
    void open(final JournalRecovery.Result recovered, final SegmentAppender frames) throws IOException
    {
        if (recovered.lastSegment != null && !recovered.lastSegmentClosed)
        {
            final MappedSegment segment = MappedSegment.map(recovered.lastSegment, config.pretouchMode());
            install(frames, segment, recovered.lastSegmentBase, recovered.lastSegmentEndOffset);
            if (recovered.lastSegmentVersion < SegmentHeaderDescriptor.CURRENT_VERSION)
            {
                // never append to a segment of an older format version: close it and continue in a new one
                rotate(frames);
            }
            else
            {
                frames.reopen();
            }
        }
        else
        {
            rotateInto(frames, recovered.nextSequence, allocator.take(config.allocationTimeoutNanos()));
        }
    }

    /**
     * Rotates: takes the next segment, finishes the active one and installs the next one at the next sequence.
     *
     * @throws JournalFailedException if the writer failed before or the rotation fails.
     */
    void rotate(final SegmentAppender frames)
    {
        frames.drainForcer();
        // the next segment first: without one the active segment stays open, its room usable after a reopen
        final MappedSegment next;
        try
        {
            next = allocator.take(config.allocationTimeoutNanos());
        }
        catch (final SegmentAllocationException ex)
        {
            // what was written is forced all the same, as a rotation would have (a failing force fails first)
            frames.forceWritten();
            throw failures.fail(ex.getMessage(), ex.getCause());
        }
        catch (final IOException ex)
        {
            throw rotationFailed(frames, ex);
        }
        try
        {
            frames.finishActive();
        }
        catch (final RuntimeException | Error ex)
        {
            discardUnused(next);
            throw ex;
        }
        try
        {
            rotateInto(frames, frames.nextSequence(), next);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw rotationFailed(frames, ex);
        }
    }

    private JournalFailedException rotationFailed(final SegmentAppender frames, final Exception cause)
    {
        return failures.fail("rotation to a new segment at sequence " + frames.nextSequence() + " in " + directory +
            " failed", cause);
    }

    private void rotateInto(final SegmentAppender frames, final long baseSequence, final MappedSegment next)
        throws IOException
    {
        final long start = System.nanoTime();
        boolean installed = false;
        try
        {
            // the new segment follows the active one or, at open, the closed last segment recovery found
            // (activeBase is -1, NO_PREVIOUS_SEGMENT, for a new journal)
            final long newPrevious = activeBase;
            name(directory, next, baseSequence, newPrevious, journalId, config);
            install(frames, next, baseSequence, SegmentHeaderDescriptor.HEADER_LENGTH);
            installed = true;
            counters.rotations++;
            counters.rotationNanos += System.nanoTime() - start;
        }
        catch (final UncheckedIOException ex)
        {
            throw ex.getCause();
        }
        finally
        {
            if (!installed)
            {
                discardUnused(next);
            }
        }
    }

    private void install(final SegmentAppender frames, final MappedSegment segment, final long base,
        final int endOffset)
    {
        frames.install(segment, endOffset);
        this.activeBase = base;
        retentionBase.set(base);
    }

    /**
     * Writes and forces the header of {@code next}, renames it to the file name of {@code baseSequence} and
     * forces the directory, reporting each force to {@code observer}.
     *
     * @throws IOException if the target exists or a file operation fails.
     */
    private static void name(
        final Path directory,
        final MappedSegment next,
        final long baseSequence,
        final long previousBase,
        final long journalId,
        final JournalConfig config) throws IOException
    {
        final ForceObserver forceObserver = config.forceObserver();
        SegmentHeaderDescriptor.write(next.buffer(), next.size(), baseSequence, previousBase, journalId,
            config.epochMillisClock().getAsLong(), next.isRecycled() ? SegmentHeaderDescriptor.FLAG_RECYCLED : 0);
        // a recycled file holds a stale frame here; the first frame must read "nothing yet" once it is named
        // (the header force below covers it: same page)
        next.buffer().putInt(SegmentHeaderDescriptor.HEADER_LENGTH + FrameDescriptor.LENGTH_OFFSET, 0);
        // the header and directory forces are reported too (upto: what earlier segments made durable)
        final long upto = baseSequence - 1;
        long forceStart = System.nanoTime();
        forceObserver.beforeForce(next.path(), 0, SegmentHeaderDescriptor.HEADER_LENGTH, upto);
        next.force(0, SegmentHeaderDescriptor.HEADER_LENGTH);
        forceObserver.afterForce(next.path(), 0, SegmentHeaderDescriptor.HEADER_LENGTH, upto,
            System.nanoTime() - forceStart);
        final Path target = directory.resolve(SegmentFileNames.segmentFileName(baseSequence));
        if (Files.exists(target))
        {
            throw new IOException("refusing to rotate onto existing file " + target);
        }
        Files.move(next.path(), target, StandardCopyOption.ATOMIC_MOVE);
        next.renamedTo(target);
        forceStart = System.nanoTime();
        forceObserver.beforeForce(directory, 0, 0, upto);
        Directories.force(directory);
        forceObserver.afterForce(directory, 0, 0, upto, System.nanoTime() - forceStart);
    }

    /** Unmaps a taken segment that was not installed and deletes it if it still has its temporary name. */
    private static void discardUnused(final MappedSegment next)
    {
        final Path path = next.path();
        next.close();
        if (SegmentFileNames.isTempFileName(path.getFileName().toString()))
        {
            try
            {
                Files.deleteIfExists(path);
            }
            catch (final IOException ex)
            {
                LOG.log(System.Logger.Level.WARNING, "could not delete unused segment " + path, ex);
            }
        }
    }
}
