package io.ringwal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.ringwal.format.SegmentFileNames;

/**
 * The writer's exclusive hold on a journal directory: creates the directory if absent, refuses a directory that
 * holds other things but no journal (before leaving any file in it), and takes an OS file lock on
 * {@link SegmentFileNames#LOCK_FILE_NAME} so that a second writer, in this process or another, is refused instead
 * of interleaving frames. The lock file holds the owner's pid, for people; the lock itself is what counts.
 */
final class JournalLock implements AutoCloseable
{
    private final FileChannel channel;
    private final FileLock lock;

    private JournalLock(final FileChannel channel, final FileLock lock)
    {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Prepares and locks a journal directory.
     *
     * @param dir the absolute, normalized directory.
     * @return the held lock.
     * @throws JournalLockedException if another writer holds it.
     * @throws JournalException       if the directory cannot be used.
     */
    static JournalLock acquire(final Path dir)
    {
        prepareDirectory(dir);
        refuseForeignDirectory(dir);
        final Path lockFile = dir.resolve(SegmentFileNames.LOCK_FILE_NAME);
        FileChannel channel = null;
        try
        {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            final FileLock lock;
            try
            {
                lock = channel.tryLock();
            }
            catch (final OverlappingFileLockException ex)
            {
                throw new JournalLockedException("journal " + dir + " is already open by a writer in this process");
            }
            if (lock == null)
            {
                throw new JournalLockedException("journal " + dir + " is locked by a writer in another process " +
                    "(" + lockFile + ")");
            }
            final byte[] owner = ("pid=" + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(owner), 0);
            return new JournalLock(channel, lock);
        }
        catch (final IOException ex)
        {
            closeQuietly(channel);
            throw new JournalException("cannot lock journal " + dir + " (" + lockFile + "): " + ex, ex);
        }
        catch (final RuntimeException ex)
        {
            closeQuietly(channel);
            throw ex;
        }
    }

    private static void prepareDirectory(final Path dir)
    {
        if (Files.exists(dir) && !Files.isDirectory(dir))
        {
            throw new JournalException("journal path " + dir + " exists and is not a directory");
        }
        try
        {
            Files.createDirectories(dir);
        }
        catch (final AccessDeniedException ex)
        {
            throw new JournalException("cannot create journal directory " + dir + ": permission denied", ex);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot create journal directory " + dir + ": " + ex, ex);
        }
        if (!Files.isWritable(dir))
        {
            throw new JournalException("journal directory " + dir + " is not writable");
        }
    }

    private static void refuseForeignDirectory(final Path dir)
    {
        Path foreign = null;
        int foreignCount = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir))
        {
            for (final Path entry : entries)
            {
                final String name = entry.getFileName().toString();
                if (SegmentFileNames.isSegmentFileName(name) || SegmentFileNames.isTempFileName(name))
                {
                    return;
                }
                if (SegmentFileNames.LOCK_FILE_NAME.equals(name) ||
                    io.ringwal.format.CountersDescriptor.FILE_NAME.equals(name))
                {
                    continue; // left by an earlier writer; not a journal by itself
                }
                if (foreign == null)
                {
                    foreign = entry;
                }
                foreignCount++;
            }
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot list journal directory " + dir + ": " + ex, ex);
        }
        if (foreign != null)
        {
            throw new JournalException("directory " + dir + " is not empty (it holds " + foreign.getFileName() +
                (foreignCount > 1 ? " and " + (foreignCount - 1) + " more" : "") + ") and holds no ringwal " +
                "journal; refusing to create a journal there");
        }
    }

    private static void closeQuietly(final FileChannel channel)
    {
        try
        {
            if (channel != null)
            {
                channel.close();
            }
        }
        catch (final IOException ignore)
        {
            // nothing more can be done
        }
    }

    /**
     * Releases the lock and closes the lock file (which stays, empty of meaning, for the next writer).
     */
    @Override
    public void close()
    {
        try
        {
            lock.release();
        }
        catch (final IOException ignore)
        {
            // closing the channel releases the lock too
        }
        closeQuietly(channel);
    }
}
