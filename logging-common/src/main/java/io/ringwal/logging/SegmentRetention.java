package io.ringwal.logging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.ringwal.format.SegmentFileNames;
import io.ringwal.journal.JournalException;
import io.ringwal.journal.JournalRetention;

/**
 * Retention of a log journal by age and by total size, on top of {@link JournalRetention} (which deletes whole
 * segments below a sequence, oldest first, and never the active segment or one a reader of this process is on).
 * A segment's age is the time since its file was last modified (its last line); the total size counts segment
 * files only, not the segment being prepared ahead of need.
 */
public final class SegmentRetention
{
    private SegmentRetention()
    {
    }

    /**
     * Deletes the oldest segments that are older than {@code maxAgeMillis}, then the oldest ones while the
     * segments together are larger than {@code maxTotalBytes}. The last segment is always kept.
     *
     * @param directory     the journal directory.
     * @param maxAgeMillis  the age limit in milliseconds; 0 for none.
     * @param maxTotalBytes the size limit in bytes; 0 for none.
     * @param nowMillis     the current time, epoch milliseconds.
     * @return the segment files deleted, oldest first.
     * @throws JournalException if the directory cannot be listed or a segment cannot be deleted.
     */
    public static List<Path> apply(
        final Path directory, final long maxAgeMillis, final long maxTotalBytes, final long nowMillis)
    {
        if (maxAgeMillis <= 0 && maxTotalBytes <= 0)
        {
            return List.of();
        }
        final List<Path> segments = segments(directory);
        if (segments.size() < 2)
        {
            return List.of();
        }
        long total = 0;
        final long[] sizes = new long[segments.size()];
        final long[] modified = new long[segments.size()];
        for (int i = 0; i < segments.size(); i++)
        {
            try
            {
                sizes[i] = Files.size(segments.get(i));
                modified[i] = Files.getLastModifiedTime(segments.get(i)).toMillis();
            }
            catch (final IOException ex)
            {
                return List.of(); // a segment went away under us (another retention run): try again next time
            }
            total += sizes[i];
        }
        int firstKept = 0;
        while (firstKept < segments.size() - 1 &&
            ((maxAgeMillis > 0 && nowMillis - modified[firstKept] > maxAgeMillis) ||
            (maxTotalBytes > 0 && total > maxTotalBytes)))
        {
            total -= sizes[firstKept];
            firstKept++;
        }
        if (firstKept == 0)
        {
            return List.of();
        }
        final long keepFrom = SegmentFileNames.baseSequence(segments.get(firstKept));
        return JournalRetention.deleteSegmentsBelow(directory, keepFrom).deleted();
    }

    private static List<Path> segments(final Path directory)
    {
        try
        {
            return SegmentFileNames.listSegments(directory);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot list journal directory " + directory + ": " + ex.getMessage(), ex);
        }
    }
}
