package io.ringwal.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.ringwal.format.SegmentFileNames;
import io.ringwal.format.SegmentHeaderDescriptor;
import io.ringwal.segment.internal.Directories;

/**
 * Deletes whole segment files whose records all lie below a sequence. Segment {@code i} lies entirely below
 * {@code sequence} when the next segment's base is {@code <= sequence}. Deletion goes oldest first and stops at
 * the first segment that must be kept, so what remains is always a contiguous suffix of the journal. Kept are:
 * <ul>
 *     <li>the last segment (the active one), and the writer's active segment and every later one;</li>
 *     <li>a segment that an open {@link JournalReader} of this process is on, and every later one.</li>
 * </ul>
 * Readers in other processes are not known: a reader there that falls behind finds its segment gone. The
 * directory is forced after a deletion so that it holds across a power loss.
 */
public final class JournalRetention
{
    private static final System.Logger LOG = System.getLogger(JournalRetention.class.getName());

    private JournalRetention()
    {
    }

    /**
     * What a retention run did.
     */
    public static final class RetentionResult
    {
        private final List<Path> deleted;
        private final List<Path> recycled;
        private final long firstRemainingSequence;
        private final List<Path> keptForReaders;

        RetentionResult(final List<Path> deleted, final long firstRemainingSequence, final List<Path> keptForReaders)
        {
            this(deleted, List.of(), firstRemainingSequence, keptForReaders);
        }

        RetentionResult(final List<Path> deleted, final List<Path> recycled, final long firstRemainingSequence,
            final List<Path> keptForReaders)
        {
            this.deleted = Collections.unmodifiableList(deleted);
            this.recycled = Collections.unmodifiableList(recycled);
            this.firstRemainingSequence = firstRemainingSequence;
            this.keptForReaders = Collections.unmodifiableList(keptForReaders);
        }

        /**
         * Segments retired by renaming them to free files for recycling (their names as segments).
         *
         * @return the recycled segments.
         */
        public List<Path> recycled()
        {
            return recycled;
        }

        /**
         * The segment files deleted, oldest first.
         *
         * @return the deleted files, possibly empty.
         */
        public List<Path> deleted()
        {
            return deleted;
        }

        /**
         * The base sequence of the first segment left: the lowest sequence still readable.
         *
         * @return the first remaining sequence.
         */
        public long firstRemainingSequence()
        {
            return firstRemainingSequence;
        }

        /**
         * The segments that lie entirely below the requested sequence and would have been deleted, but were kept
         * because a reader of this process is on them or on an earlier segment. Oldest first.
         *
         * @return the kept files, possibly empty.
         */
        public List<Path> keptForReaders()
        {
            return keptForReaders;
        }

        @Override
        public String toString()
        {
            return "RetentionResult{deleted=" + deleted + ", recycled=" + recycled +
                ", firstRemainingSequence=" + firstRemainingSequence +
                ", keptForReaders=" + keptForReaders + '}';
        }
    }

    /**
     * Deletes the segments whose records all lie below {@code sequence}, never the last segment and never one
     * that a reader of this process is on or before.
     *
     * @param directory the journal directory.
     * @param sequence  records below this sequence may go.
     * @return what was deleted and kept.
     * @throws IllegalArgumentException if {@code sequence} is negative.
     * @throws JournalException         if the directory is not a journal, or a file or the directory cannot be
     *                                  deleted or forced.
     */
    public static RetentionResult deleteSegmentsBelow(final Path directory, final long sequence)
    {
        return deleteSegmentsBelow(directory, sequence, Long.MAX_VALUE);
    }

    /**
     * Deletes the segments whose records all lie below {@code sequence}, never the last segment, never the
     * segment with base {@code activeSegmentBase} or a later one, and never one that a reader of this process is
     * on or before. For the writer, which knows its active segment.
     *
     * @param directory         the journal directory.
     * @param sequence          records below this sequence may go.
     * @param activeSegmentBase base sequence of the writer's active segment; it and later segments are kept.
     * @return what was deleted and kept.
     * @throws IllegalArgumentException if {@code sequence} is negative.
     * @throws JournalException         if the directory is not a journal, or a file or the directory cannot be
     *                                  deleted or forced.
     */
    public static RetentionResult deleteSegmentsBelow(
        final Path directory, final long sequence, final long activeSegmentBase)
    {
        if (sequence < 0)
        {
            throw new IllegalArgumentException("sequence=" + sequence + " must not be negative");
        }

        final Path key = ReaderRegistry.key(directory);
        final RetentionResult result = ReaderRegistry.withLowestSegmentBase(
            key, (lowestReaderBase) -> deleteUnderLock(directory, sequence, activeSegmentBase, lowestReaderBase));

        if (!result.deleted().isEmpty())
        {
            try
            {
                Directories.force(directory);
            }
            catch (final IOException | RuntimeException ex)
            {
                throw new JournalException("deleted " + result.deleted().size() + " segments but cannot force " +
                    directory + ": " + ex.getMessage(), ex);
            }
        }
        return result;
    }

    /**
     * Applies a retention policy, oldest segment first, and stops at the first segment that must stay, so what
     * remains is a contiguous suffix of the journal. A segment goes when the segment files take more than the
     * policy's byte limit, or when it was finished (its successor created) longer ago than the age limit. It stays
     * when it is the active segment or later, when a reader of this process is on it or before it, or when it holds
     * a sequence at or above the lowest {@link ReaderPosition} in {@code positions/} that was updated within the
     * policy's reader-position timeout (a damaged position file holds everything). A retired segment is renamed to
     * a free file ({@link SegmentFileNames#freeFileName(long)}) for recycling while fewer than {@code maxFree} free
     * files exist and {@code recycle} is set, and deleted otherwise; the directory is forced afterwards.
     *
     * @param directory         the journal directory.
     * @param policy            the policy.
     * @param activeSegmentBase the writer's active segment base (kept, with everything after it).
     * @param recycle           whether retired segments are kept for recycling.
     * @param maxFree           the most free files to keep.
     * @param nowMillis         the current time, epoch milliseconds.
     * @return what was retired.
     * @throws JournalException if a file cannot be renamed, deleted or the directory forced.
     */
    public static RetentionResult apply(
        final Path directory,
        final RetentionPolicy policy,
        final long activeSegmentBase,
        final boolean recycle,
        final int maxFree,
        final long nowMillis)
    {
        if (policy.keepsAll())
        {
            return new RetentionResult(List.of(), -1, List.of());
        }
        final long lowestPosition = lowestReaderPosition(directory, policy, nowMillis);
        final Path key = ReaderRegistry.key(directory);
        final RetentionResult result = ReaderRegistry.withLowestSegmentBase(key, (lowestReaderBase) ->
            retireUnderLock(directory, policy, activeSegmentBase, lowestReaderBase, lowestPosition, recycle, maxFree,
            nowMillis));
        forceIfChanged(directory, result);
        return result;
    }

    /**
     * Like {@link #deleteSegmentsBelow(Path, long, long)}, but renames retired segments to free files for recycling
     * while fewer than {@code maxFree} exist.
     *
     * @param directory         the journal directory.
     * @param sequence          segments whose records all lie below it may go.
     * @param activeSegmentBase the writer's active segment base.
     * @param maxFree           the most free files to keep.
     * @return what was retired.
     */
    public static RetentionResult recycleSegmentsBelow(
        final Path directory, final long sequence, final long activeSegmentBase, final int maxFree)
    {
        if (sequence < 0)
        {
            throw new IllegalArgumentException("sequence=" + sequence + " must not be negative");
        }
        final Path key = ReaderRegistry.key(directory);
        final RetentionResult result = ReaderRegistry.withLowestSegmentBase(key, (lowestReaderBase) ->
            retireUnderLock(directory, null, activeSegmentBase, lowestReaderBase,
            Math.min(sequence, lowestReaderPosition(directory, null, 0)), true, maxFree, 0));
        forceIfChanged(directory, result);
        return result;
    }

    private static void forceIfChanged(final Path directory, final RetentionResult result)
    {
        if (!result.deleted().isEmpty() || !result.recycled().isEmpty())
        {
            try
            {
                Directories.force(directory);
            }
            catch (final IOException | RuntimeException ex)
            {
                throw new JournalException("retired " + (result.deleted().size() + result.recycled().size()) +
                    " segments but cannot force " + directory + ": " + ex.getMessage(), ex);
            }
        }
    }

    /**
     * The lowest next-sequence over the reader positions that still count; {@link Long#MAX_VALUE} if none.
     */
    static long lowestReaderPosition(final Path directory, final RetentionPolicy policy, final long nowMillis)
    {
        final Path positions = directory.resolve(ReaderPosition.DIRECTORY_NAME);
        if (!Files.isDirectory(positions))
        {
            return Long.MAX_VALUE;
        }
        long lowest = Long.MAX_VALUE;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(positions, "*" + ReaderPosition.SUFFIX))
        {
            for (final Path entry : entries)
            {
                final ReaderPosition position;
                try
                {
                    position = ReaderPosition.read(entry);
                }
                catch (final RuntimeException ex)
                {
                    LOG.log(System.Logger.Level.WARNING, "reader position " + entry + " is unreadable (" +
                        ex.getMessage() + "); retention keeps every segment until it is fixed or removed");
                    return 0;
                }
                if (position == null)
                {
                    continue;
                }
                if (policy != null && nowMillis - position.writtenAtMillis() > policy.readerPositionTimeout().toMillis())
                {
                    LOG.log(System.Logger.Level.WARNING, "reader position " + entry + " was not updated for more " +
                        "than " + policy.readerPositionTimeout() + "; retention no longer keeps segments for it");
                    continue;
                }
                lowest = Math.min(lowest, position.nextSequence());
            }
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot list reader positions in " + positions + ": " + ex, ex);
        }
        return lowest;
    }

    private static RetentionResult retireUnderLock(
        final Path directory,
        final RetentionPolicy policy,
        final long activeSegmentBase,
        final long lowestReaderBase,
        final long lowestPosition,
        final boolean recycle,
        final int maxFree,
        final long nowMillis)
    {
        final long[] bases = SegmentListing.segmentBases(directory);
        final List<Path> deleted = new ArrayList<>();
        final List<Path> recycled = new ArrayList<>();
        final List<Path> keptForReaders = new ArrayList<>();
        long firstRemaining = bases[0];
        int freeFiles = recycle ? countFreeFiles(directory) : 0;
        long totalBytes = 0;
        if (policy != null)
        {
            for (final long base : bases)
            {
                totalBytes += sizeOf(directory.resolve(SegmentFileNames.segmentFileName(base)));
            }
        }

        for (int i = 0; i < bases.length - 1; i++)
        {
            final long base = bases[i];
            if (base >= activeSegmentBase)
            {
                break;
            }
            final Path file = directory.resolve(SegmentFileNames.segmentFileName(base));
            if (policy != null && !isDue(directory, policy, totalBytes, bases[i + 1], nowMillis))
            {
                break;
            }
            if (base >= lowestReaderBase || bases[i + 1] > lowestPosition)
            {
                keptForReaders.add(file);
                break;
            }
            final long size = sizeOf(file);
            try
            {
                SeekIndexFile.delete(file);
                if (recycle && freeFiles < maxFree)
                {
                    Files.move(file, directory.resolve(SegmentFileNames.freeFileName(base)),
                        StandardCopyOption.ATOMIC_MOVE);
                    recycled.add(file);
                    freeFiles++;
                }
                else if (Files.deleteIfExists(file))
                {
                    deleted.add(file);
                }
            }
            catch (final IOException ex)
            {
                throw new JournalException("cannot retire segment " + file + " (retired so far: deleted " + deleted +
                    ", recycled " + recycled + ")", ex);
            }
            totalBytes -= size;
            firstRemaining = bases[i + 1];
        }
        return new RetentionResult(deleted, recycled, firstRemaining, keptForReaders);
    }

    private static boolean isDue(final Path directory, final RetentionPolicy policy, final long totalBytes,
        final long nextBase, final long nowMillis)
    {
        if (totalBytes > policy.maxBytesLimit())
        {
            return true;
        }
        if (policy.maxAgeLimit() == null)
        {
            return false;
        }
        // a segment was finished when the next one was created: that header's creation time is its age
        final Path next = directory.resolve(SegmentFileNames.segmentFileName(nextBase));
        try (FileChannel channel = FileChannel.open(next, StandardOpenOption.READ))
        {
            final org.agrona.concurrent.UnsafeBuffer header = SegmentScanner.readHeader(channel, next);
            return header != null &&
                nowMillis - SegmentHeaderDescriptor.createdEpochMillis(header) > policy.maxAgeLimit().toMillis();
        }
        catch (final IOException ex)
        {
            return false; // a segment being retired concurrently: decide next time
        }
    }

    private static int countFreeFiles(final Path directory)
    {
        int count = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*" + SegmentFileNames.FREE_SUFFIX))
        {
            for (final Path ignored : entries)
            {
                count++;
            }
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot list " + directory + ": " + ex, ex);
        }
        return count;
    }

    private static long sizeOf(final Path file)
    {
        try
        {
            return Files.size(file);
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }

    private static RetentionResult deleteUnderLock(
        final Path directory, final long sequence, final long activeSegmentBase, final long lowestReaderBase)
    {
        final long[] bases = SegmentListing.segmentBases(directory);
        final List<Path> deleted = new ArrayList<>();
        final List<Path> keptForReaders = new ArrayList<>();
        long firstRemaining = bases[0];

        for (int i = 0; i < bases.length - 1; i++)
        {
            final long base = bases[i];
            if (bases[i + 1] > sequence || base >= activeSegmentBase)
            {
                break;
            }

            final Path file = directory.resolve(SegmentFileNames.segmentFileName(base));
            if (base >= lowestReaderBase)
            {
                keptForReaders.add(file);
                continue;
            }

            try
            {
                SeekIndexFile.delete(file);
                if (Files.deleteIfExists(file))
                {
                    deleted.add(file);
                }
            }
            catch (final IOException ex)
            {
                throw new JournalException("cannot delete segment " + file + " (deleted so far: " + deleted + ")", ex);
            }
            firstRemaining = bases[i + 1];
        }

        return new RetentionResult(deleted, firstRemaining, keptForReaders);
    }
}
