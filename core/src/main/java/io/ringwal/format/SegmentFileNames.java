package io.ringwal.format;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * Suffix of a segment's seek index file, {@code <20 digits>.seg.idx} beside the segment
     * ({@link SeekIndexDescriptor}). Not part of the journal: it only speeds up seeks, and may be deleted.
     */
    public static final String INDEX_SUFFIX = ".seg.idx";

    /** Suffix of a seek index file being written ({@code <20 digits>.seg.idx.tmp}); deleted on open. */
    public static final String INDEX_TEMP_SUFFIX = ".seg.idx.tmp";

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
     * The seek index file of a segment: the segment's path with {@link #INDEX_SUFFIX} in place of
     * {@link #SEGMENT_SUFFIX}.
     *
     * @param segmentFile a segment file path.
     * @return the path of its index file, in the same directory.
     * @throws IllegalArgumentException if the name is not a segment file name.
     */
    public static Path indexFileOf(final Path segmentFile)
    {
        final String name = segmentFile.getFileName().toString();
        if (!isSegmentFileName(name))
        {
            throw new IllegalArgumentException("not a segment file name: " + segmentFile);
        }
        return segmentFile.resolveSibling(name.substring(0, DIGITS) + INDEX_SUFFIX);
    }

    /**
     * Whether a file name is that of a seek index file, or of one being written: 20 digits followed by
     * {@link #INDEX_SUFFIX} or {@link #INDEX_TEMP_SUFFIX}.
     *
     * @param fileName the file name.
     * @return true for an index file name.
     */
    public static boolean isIndexFileName(final String fileName)
    {
        final int suffix = fileName.length() - DIGITS;
        if (suffix != INDEX_SUFFIX.length() && suffix != INDEX_TEMP_SUFFIX.length())
        {
            return false;
        }
        if (!fileName.endsWith(INDEX_SUFFIX) && !fileName.endsWith(INDEX_TEMP_SUFFIX))
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
     * The segment file an index file name belongs to, in the same directory.
     *
     * @param indexFile an index file (or index temporary file) path.
     * @return the segment file path.
     * @throws IllegalArgumentException if the name is not an index file name.
     */
    public static Path segmentFileOf(final Path indexFile)
    {
        final String name = indexFile.getFileName().toString();
        if (!isIndexFileName(name))
        {
            throw new IllegalArgumentException("not a seek index file name: " + indexFile);
        }
        return indexFile.resolveSibling(name.substring(0, DIGITS) + SEGMENT_SUFFIX);
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

    /**
     * The segment files of a directory, in sequence order (their names sort that way); every other file, a
     * segment being prepared or a retired one included, is left out.
     *
     * @param directory the journal directory.
     * @return the segment files, possibly none.
     * @throws IOException if the directory cannot be listed (a missing one shows as
     *                     {@link java.nio.file.NoSuchFileException}).
     */
    public static List<Path> listSegments(final Path directory) throws IOException
    {
        final List<Path> segments = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory))
        {
            for (final Path entry : entries)
            {
                if (isSegmentFileName(entry.getFileName().toString()))
                {
                    segments.add(entry);
                }
            }
        }
        segments.sort(null);
        return segments;
    }

    /**
     * The base sequences of the segment files of a directory ({@link #listSegments(Path)}), ascending.
     *
     * @param directory the journal directory.
     * @return the base sequences, possibly none.
     * @throws IOException              if the directory cannot be listed.
     * @throws IllegalArgumentException naming the file if a segment file name does not fit a long.
     */
    public static long[] listSegmentBases(final Path directory) throws IOException
    {
        final List<Path> segments = listSegments(directory);
        final long[] bases = new long[segments.size()];
        for (int i = 0; i < bases.length; i++)
        {
            bases[i] = baseSequence(segments.get(i));
        }
        return bases;
    }
}
