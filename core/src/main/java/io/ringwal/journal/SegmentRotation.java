package io.ringwal.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicLong;

import io.ringwal.format.FrameDescriptor;
import io.ringwal.format.SegmentFileNames;
import io.ringwal.format.SegmentHeaderDescriptor;
import io.ringwal.segment.AdaptivePreallocation;
import io.ringwal.segment.Directories;
import io.ringwal.segment.MappedSegment;
import io.ringwal.segment.SegmentAllocator;

/**
 * The file side of a {@link JournalWriter}'s rotation: turns a segment the allocator prepared into the journal's
 * next segment (header written and forced, renamed to its base sequence, directory forced), or discards it.
 */
final class SegmentRotation
{
    private static final System.Logger LOG = System.getLogger(JournalWriter.class.getName());

    private SegmentRotation()
    {
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
     * Writes and forces the header of {@code next}, renames it to the file name of {@code baseSequence} and
     * forces the directory, reporting each force to {@code observer}.
     *
     * @throws IOException if the target exists or a file operation fails.
     */
    static void name(
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
    static void discardUnused(final MappedSegment next)
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
