package io.ringwal.format;

import java.nio.file.Path;

/**
 * The naming rule for segment files: the base sequence, zero-padded to 20 digits so that names sort in
 * sequence order, followed by {@link #SEGMENT_SUFFIX}. Files being prepared by the allocator carry
 * {@link #TEMP_SUFFIX} and are never part of the journal.
 */
public final class SegmentFileNames
{
    /** Suffix of a segment file. */
    public static final String SEGMENT_SUFFIX = ".seg";

    /** Suffix of a segment being prepared (never part of the journal; deleted on open). */
    public static final String TEMP_SUFFIX = ".seg.tmp";

    /** Name of the lock file held by the writer. */
    public static final String LOCK_FILE_NAME = "ringwal.lock";

    /**
     * Suffix of a retired segment kept for recycling (format version 2): {@code retired-<20 digits>.seg.free},
     * the digits being the base sequence it had. Never part of the journal; readers ignore it.
     */
    public static final String FREE_SUFFIX = ".seg.free";

    private static final String FREE_PREFIX = "retired-";

    /** Number of digits in a segment file name. */
    public static final int DIGITS = 20;

    private SegmentFileNames()
    {
    }

    /**
     * The file name of the segment whose first record has the given sequence.
     *
     * @param baseSequence the base sequence, not negative.
     * @return the file name, such as {@code 00000000000000000000.seg}.
     */
    public static String segmentFileName(final long baseSequence)
    {
        if (baseSequence < 0)
        {
            throw new IllegalArgumentException("baseSequence=" + baseSequence + " must not be negative");
        }
        final String digits = Long.toString(baseSequence);
        final StringBuilder name = new StringBuilder(DIGITS + SEGMENT_SUFFIX.length());
        for (int i = digits.length(); i < DIGITS; i++)
        {
            name.append('0');
        }
        return name.append(digits).append(SEGMENT_SUFFIX).toString();
    }

    /**
     * Whether a file name is a segment file name.
     *
     * @param fileName the file name.
     * @return true if it has 20 digits and the segment suffix.
     */
    public static boolean isSegmentFileName(final String fileName)
    {
        if (fileName.length() != DIGITS + SEGMENT_SUFFIX.length() || !fileName.endsWith(SEGMENT_SUFFIX))
        {
            return false;
        }
        for (int i = 0; i < DIGITS; i++)
        {
            final char c = fileName.charAt(i);
            if (c < '0' || c > '9')
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a file name is that of a segment being prepared.
     *
     * @param fileName the file name.
     * @return true if it ends with the temporary suffix.
     */
    public static boolean isTempFileName(final String fileName)
    {
        return fileName.endsWith(TEMP_SUFFIX);
    }

    /**
     * The name a retired segment of the given base sequence gets while it waits to be recycled.
     *
     * @param baseSequence the base sequence it had as a segment.
     * @return the file name.
     */
    public static String freeFileName(final long baseSequence)
    {
        final String segment = segmentFileName(baseSequence);
        return FREE_PREFIX + segment.substring(0, DIGITS) + FREE_SUFFIX;
    }

    /**
     * Whether a file name is that of a retired segment kept for recycling.
     *
     * @param fileName the file name.
     * @return true if it ends with the free suffix.
     */
    public static boolean isFreeFileName(final String fileName)
    {
        return fileName.startsWith(FREE_PREFIX) && fileName.endsWith(FREE_SUFFIX);
    }

    /**
     * The base sequence a segment file name encodes.
     *
     * @param path a segment file path.
     * @return its base sequence.
     * @throws IllegalArgumentException if the name is not a segment file name or does not fit a long.
     */
    public static long baseSequence(final Path path)
    {
        final String fileName = path.getFileName().toString();
        if (!isSegmentFileName(fileName))
        {
            throw new IllegalArgumentException("not a segment file name: " + path);
        }
        try
        {
            return Long.parseLong(fileName.substring(0, DIGITS));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("segment file name out of range: " + path, ex);
        }
    }
}
