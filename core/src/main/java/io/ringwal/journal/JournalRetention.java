package io.ringwal.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.ringwal.format.SegmentFileNames;
import io.ringwal.segment.Directories;

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
    private JournalRetention()
    {
    }

    /**
     * What a retention run did.
     */
    public static final class RetentionResult
    {
        private final List<Path> deleted;
        private final long firstRemainingSequence;
        private final List<Path> keptForReaders;

        RetentionResult(final List<Path> deleted, final long firstRemainingSequence, final List<Path> keptForReaders)
        {
            this.deleted = Collections.unmodifiableList(deleted);
            this.firstRemainingSequence = firstRemainingSequence;
            this.keptForReaders = Collections.unmodifiableList(keptForReaders);
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
            return "RetentionResult{deleted=" + deleted + ", firstRemainingSequence=" + firstRemainingSequence +
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

    private static RetentionResult deleteUnderLock(
        final Path directory, final long sequence, final long activeSegmentBase, final long lowestReaderBase)
    {
        final long[] bases = JournalReader.segmentBases(directory);
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
