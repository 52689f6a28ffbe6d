package io.ringwal.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;

import io.ringwal.format.SegmentFileNames;

/**
 * A cached listing of the segment files of a journal directory, for a reader that must know whether a later segment
 * exists (which makes a zero length in its segment damage, or an absent next segment a gap) without listing the
 * directory on every poll.
 *
 * <p>The listing is re-read only when the directory's modification time changed since it was read, or when it was
 * read less than {@link #TRUST_MILLIS} ({@link #TRUST_MILLIS_COARSE} where times have whole seconds) after that
 * modification time (a file system stores the time with a coarse clock, so a rename in the same tick as the listing
 * would leave it unchanged). Asking costs one {@code stat} of the
 * directory in the common case. Not thread-safe: one per reader.
 */
final class SegmentListing
{
    /**
     * A listing read at least this long after the directory last changed is trusted while the time stays, on a file
     * system that keeps sub-second times (the kernel's coarse clock ticks every few milliseconds).
     */
    static final long TRUST_MILLIS = 100;

    /** The same for a file system whose times have whole seconds only. */
    static final long TRUST_MILLIS_COARSE = 2500;

    private final Path directory;
    private long[] bases = new long[0];
    private FileTime listedModified;
    private long listedAtMillis;

    SegmentListing(final Path directory)
    {
        this.directory = directory;
    }

    /**
     * The smallest base sequence above {@code base} among the directory's segment files, other than
     * {@code except}.
     *
     * @param base   the base of the segment the reader is on.
     * @param except a base to ignore (the next segment the reader expects), or -1.
     * @return that base, or -1 if there is none.
     */
    long firstBaseAbove(final long base, final long except)
    {
        refreshIfChanged();
        for (final long candidate : bases)
        {
            if (candidate > base && candidate != except)
            {
                return candidate;
            }
        }
        return -1;
    }

    /**
     * Whether the directory holds at least one segment file, read afresh.
     *
     * @return true if it exists and holds a segment file.
     */
    boolean hasAnySegment()
    {
        if (!Files.isDirectory(directory))
        {
            return false;
        }
        list(null);
        return bases.length > 0;
    }

    /**
     * Waits until a journal directory holds a segment file.
     *
     * @param directory the journal directory, which need not exist yet.
     * @param timeout   how long to wait at most.
     * @throws JournalException if none appeared in time, or the thread was interrupted.
     */
    static void awaitFirstSegment(final Path directory, final Duration timeout)
    {
        final SegmentListing listing = new SegmentListing(directory);
        final long start = System.nanoTime();
        final long timeoutNanos = timeout.toNanos();
        long sleepMillis = 1;
        while (!listing.hasAnySegment())
        {
            final long waited = System.nanoTime() - start;
            if (waited >= timeoutNanos)
            {
                throw new JournalException("no segment file (*" + SegmentFileNames.SEGMENT_SUFFIX + ") appeared in " +
                    directory + " within " + timeout.toMillis() + " ms" +
                    (Files.isDirectory(directory) ? "" : " (the directory does not exist)"));
            }
            try
            {
                Thread.sleep(Math.max(1, Math.min(sleepMillis, (timeoutNanos - waited) / 1_000_000)));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new JournalException("interrupted while waiting for the first segment of " + directory, ex);
            }
            sleepMillis = Math.min(50, sleepMillis * 2);
        }
    }

    private void refreshIfChanged()
    {
        final FileTime modified;
        try
        {
            modified = Files.getLastModifiedTime(directory);
        }
        catch (final NoSuchFileException ex)
        {
            throw new JournalException("journal directory disappeared: " + directory, ex);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot stat journal directory " + directory + ": " + ex, ex);
        }
        final long trust = modified.toInstant().getNano() == 0 ? TRUST_MILLIS_COARSE : TRUST_MILLIS;
        if (null == listedModified || !modified.equals(listedModified) || listedAtMillis - modified.toMillis() < trust)
        {
            list(modified);
        }
    }

    private void list(final FileTime modified)
    {
        final long now = System.currentTimeMillis();
        final List<Path> segments;
        try
        {
            segments = SegmentFileNames.listSegments(directory);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot list journal directory " + directory + ": " + ex, ex);
        }
        final long[] found = new long[segments.size()];
        for (int i = 0; i < found.length; i++)
        {
            final Path path = segments.get(i);
            try
            {
                found[i] = SegmentFileNames.baseSequence(path);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new JournalCorruptedException(path, 0, "segment file name out of range");
            }
        }
        bases = found;
        listedModified = modified;
        listedAtMillis = now;
    }

    /**
     * The base sequences of the segment files in a journal directory, ascending, read afresh.
     *
     * @param directory the journal directory.
     * @return the base sequences, never empty.
     * @throws JournalException if the directory does not exist, cannot be listed or holds no segment file.
     */
    static long[] segmentBases(final Path directory)
    {
        if (!Files.isDirectory(directory))
        {
            throw new JournalException(Files.exists(directory) ?
                "not a journal directory: " + directory + " is not a directory" :
                "journal directory does not exist: " + directory);
        }
        final long[] bases;
        try
        {
            bases = SegmentFileNames.listSegmentBases(directory);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot list journal directory " + directory, ex);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new JournalException("bad segment file name in " + directory + ": " + ex.getMessage(), ex);
        }
        if (0 == bases.length)
        {
            throw new JournalException(
                "not a ringwal journal: no segment files (*" + SegmentFileNames.SEGMENT_SUFFIX + ") in " + directory);
        }
        return bases;
    }
}
