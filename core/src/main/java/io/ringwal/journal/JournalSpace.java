package io.ringwal.journal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

import io.ringwal.format.SegmentFileNames;
import io.ringwal.format.SegmentHeaderDescriptor;
import io.ringwal.segment.internal.Directories;
import io.ringwal.segment.PreallocationMode;
import io.ringwal.segment.internal.SegmentPreallocator;

/**
 * Reserves a journal's disk space ahead of time: creates free segment files ({@code retired-*.seg.free}, the files
 * retention leaves for recycling), zero-filled and forced, so that the writer takes its next segments from them
 * instead of allocating and zero-filling new ones while it runs. What a journal that is set up once and then runs
 * for ever wants: the zero-fill happens at install time, not in the first minutes of service, and the space is
 * held from the start.
 *
 * <p>A reserved file is an ordinary free file: the writer's allocator reuses free files before it allocates
 * (unless {@link JournalConfig#recycleSegments()} is off), files of another size than the journal's segment size
 * are deleted when it meets them, and retention turns retired segments into free files only while fewer than
 * {@link JournalConfig#preparedSegments()} + 1 exist, so a reservation is used up as the journal grows and is not
 * refilled beyond that. Free files do not count towards a {@link RetentionPolicy#maxBytes(long) size limit}.
 *
 * <p>{@link #reserve(Path, int, int)} zero-fills each file with direct I/O ({@link PreallocationMode#DIRECT},
 * buffered writes where the file system refuses it), which leaves nothing in the page cache: when the writer takes
 * the file, its allocator decides how its pages come into the cache (see {@link PreallocationMode}).
 * {@link #reserve(Path, JournalConfig, int)} fills them as that configuration's writer wants. Each file
 * is forced, then renamed into place, and the directory forced: a crash leaves either a whole free file or a
 * temporary file that the next open removes.
 */
public final class JournalSpace
{
    /** The most free files one call reserves. */
    public static final int MAX_SEGMENTS = 100_000;

    private JournalSpace()
    {
    }

    /**
     * Makes sure {@code directory} holds at least {@code segments} free files of {@code segmentSize} bytes, creating
     * the missing ones. Takes the journal's lock for the duration, so it refuses a journal that a writer has open.
     * The directory is created if absent.
     *
     * @param directory   the journal directory.
     * @param segmentSize the journal's segment size ({@link JournalConfig#segmentSize()}): free files of another
     *                    size are useless to it.
     * @param segments    how many free files the directory should hold, from 0 to {@value #MAX_SEGMENTS}.
     * @return how many files were created (0 if enough were there).
     * @throws IllegalArgumentException if {@code segmentSize} is not a valid segment size or {@code segments} is out
     *                                  of range.
     * @throws JournalLockedException   if a writer has the journal open.
     * @throws JournalException         if a file cannot be created (the disk is full, for example); the message
     *                                  names the directory and how many files were created before.
     */
    public static int reserve(final Path directory, final int segmentSize, final int segments)
    {
        return reserve(directory, segmentSize, segments, PreallocationMode.DIRECT);
    }

    /**
     * Makes sure {@code directory} holds at least {@code segments} free files for a journal of {@code config},
     * zero-filled the way its writer wants them: with buffered 1 MiB writes for staged writes (which leaves them in
     * the page cache as large folios, clean once forced: {@link JournalConfig#effectivePreallocationMode()}), with
     * direct I/O otherwise (as {@link #reserve(Path, int, int)}). Otherwise the same as that method.
     *
     * @param directory the journal directory.
     * @param config    the configuration the journal will be opened with: its segment size and write mode.
     * @param segments  how many free files the directory should hold, from 0 to {@value #MAX_SEGMENTS}.
     * @return how many files were created (0 if enough were there).
     * @throws IllegalArgumentException if {@code segments} is out of range.
     * @throws JournalLockedException   if a writer has the journal open.
     * @throws JournalException         if a file cannot be created; the message names the directory and how many
     *                                  files were created before.
     */
    public static int reserve(final Path directory, final JournalConfig config, final int segments)
    {
        Objects.requireNonNull(config, "config");
        final PreallocationMode fill = config.effectivePreallocationMode() == PreallocationMode.BUFFERED ?
            PreallocationMode.BUFFERED : PreallocationMode.DIRECT;
        return reserve(directory, config.segmentSize(), segments, fill);
    }

    private static int reserve(final Path directory, final int segmentSize, final int segments,
        final PreallocationMode fill)
    {
        Objects.requireNonNull(directory, "directory");
        if (!SegmentHeaderDescriptor.isValidSegmentSize(segmentSize))
        {
            throw new IllegalArgumentException("segmentSize=" + segmentSize + " must be a power of two from " +
                SegmentHeaderDescriptor.MIN_SEGMENT_SIZE + " (64 KiB) to " + SegmentHeaderDescriptor.MAX_SEGMENT_SIZE +
                " (1 GiB)");
        }
        if (segments < 0 || segments > MAX_SEGMENTS)
        {
            throw new IllegalArgumentException("segments=" + segments + " must be from 0 to " + MAX_SEGMENTS);
        }
        final Path dir = directory.toAbsolutePath().normalize();
        final JournalLock lock = JournalLock.acquire(dir);
        try
        {
            int present = countFreeFiles(dir, segmentSize);
            int created = 0;
            long name = Long.MAX_VALUE;
            while (present < segments)
            {
                final Path target = dir.resolve(SegmentFileNames.freeFileName(name));
                name--;
                if (Files.exists(target))
                {
                    continue;
                }
                final Path temp = dir.resolve("reserving-" + name + SegmentFileNames.TEMP_SUFFIX);
                try
                {
                    Files.deleteIfExists(temp);
                    SegmentPreallocator.preallocate(temp, segmentSize, fill);
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                    Directories.force(dir);
                }
                catch (final IOException ex)
                {
                    deleteQuietly(temp);
                    throw new JournalException("cannot reserve a " + segmentSize + "-byte segment in " + dir +
                        " (" + created + " of " + (segments - present + created) + " created, " + present +
                        " free files now): " + ex, ex);
                }
                created++;
                present++;
            }
            return created;
        }
        finally
        {
            lock.close();
        }
    }

    /**
     * Counts the free files of a journal directory that a journal of {@code segmentSize} can reuse.
     *
     * @param directory   the journal directory.
     * @param segmentSize the segment size.
     * @return how many free files of that size it holds (0 if the directory does not exist).
     * @throws JournalException if the directory cannot be read.
     */
    public static int freeSegments(final Path directory, final int segmentSize)
    {
        final Path dir = directory.toAbsolutePath().normalize();
        return Files.isDirectory(dir) ? countFreeFiles(dir, segmentSize) : 0;
    }

    private static int countFreeFiles(final Path dir, final int segmentSize)
    {
        int count = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + SegmentFileNames.FREE_SUFFIX))
        {
            for (final Path entry : entries)
            {
                if (SegmentFileNames.isFreeFileName(entry.getFileName().toString()) &&
                    Files.size(entry) == segmentSize)
                {
                    count++;
                }
            }
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot list the free segment files of " + dir + ": " + ex, ex);
        }
        return count;
    }

    private static void deleteQuietly(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ignored)
        {
            // the next open removes temporary files
        }
    }
}
