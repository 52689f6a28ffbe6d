package io.ringwal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ConcurrentHashMap;

import io.ringwal.format.SegmentFileNames;

/**
 * The writer's exclusive hold on a journal directory: creates the directory if absent, refuses a directory that
 * holds other things but no journal (before leaving any file in it), and takes an OS file lock on
 * {@link SegmentFileNames#LOCK_FILE_NAME} so that a second writer, in this process or another, is refused instead
 * of interleaving frames. The lock file holds the owner's pid, for people; the lock itself is what counts.
 *
 * <p>A second writer in the same process is refused before it opens the lock file: the OS lock is a POSIX record
 * lock, owned by the process, and closing <em>any</em> descriptor of the file drops every such lock the process
 * holds on it. A refused open that had opened and closed the file would leave the journal open to a writer in
 * another process. So this process keeps the directories it holds (by the directory's file key, so that any
 * spelling of the path is the same directory) and touches the lock file of none of them.
 */
final class JournalLock implements AutoCloseable
{
    private static final int ATTEMPTS = 100;

    /** The directories whose lock this process holds or is taking, by file key; the value is the holder's token. */
    private static final ConcurrentHashMap<Object, Object> HELD_IN_THIS_PROCESS = new ConcurrentHashMap<>();

    private final FileChannel channel;
    private final FileLock lock;
    private final Path lockFile;
    private final boolean created;
    private final Object directoryKey;
    private final Object holdToken;
    private boolean closed;

    private JournalLock(final FileChannel channel, final FileLock lock, final Path lockFile, final boolean created,
        final Object directoryKey, final Object holdToken)
    {
        this.channel = channel;
        this.lock = lock;
        this.lockFile = lockFile;
        this.created = created;
        this.directoryKey = directoryKey;
        this.holdToken = holdToken;
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
        final Object key = directoryKey(dir);
        final Object token = new Object();
        if (HELD_IN_THIS_PROCESS.putIfAbsent(key, token) != null)
        {
            throw new JournalLockedException("journal " + dir + " is already open by a writer in this process");
        }
        try
        {
            refuseForeignDirectory(dir);
            final Path lockFile = dir.resolve(SegmentFileNames.LOCK_FILE_NAME);
            for (int attempt = 0; attempt < ATTEMPTS; attempt++)
            {
                final JournalLock held = tryAcquire(dir, lockFile, key, token);
                if (held != null)
                {
                    return held;
                }
            }
            throw new JournalException("cannot lock journal " + dir + ": " + lockFile + " was replaced " +
                ATTEMPTS + " times while this writer locked it (writers in other processes keep opening and " +
                "closing the journal)");
        }
        catch (final RuntimeException | Error ex)
        {
            HELD_IN_THIS_PROCESS.remove(key, token);
            throw ex;
        }
    }

    /** The directory's identity: its file key (device and inode), or its real path where there is none. */
    private static Object directoryKey(final Path dir)
    {
        try
        {
            final Object key = Files.readAttributes(dir, BasicFileAttributes.class).fileKey();
            return key != null ? key : dir.toRealPath();
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot read the attributes of journal directory " + dir + ": " + ex, ex);
        }
    }

    /**
     * One attempt: creates the lock file, or opens the existing one, and locks it. A lock file that this writer
     * did not create may be deleted by the writer that created it, while that writer still holds the lock, when
     * it closes; a lock then taken on the deleted file would exclude nobody. So the file's identity (device and
     * inode, from a stat of the path, which opens no second descriptor: closing one would drop this process's
     * lock) is compared before the open and after the lock, and the attempt is repeated if the path now names
     * another file or none.
     *
     * @return the lock, or null to try again.
     */
    private static JournalLock tryAcquire(final Path dir, final Path lockFile, final Object directoryKey,
        final Object holdToken)
    {
        FileChannel channel = null;
        boolean created = false;
        FileLock held = null;
        try
        {
            Object identity = null;
            try
            {
                channel = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                created = true;
            }
            catch (final FileAlreadyExistsException exists)
            {
                identity = identity(lockFile);
                if (identity == null)
                {
                    return null; // deleted meanwhile
                }
                try
                {
                    channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
                }
                catch (final NoSuchFileException deletedMeanwhile)
                {
                    return null;
                }
            }
            final FileLock lock;
            try
            {
                lock = channel.tryLock();
            }
            catch (final OverlappingFileLockException ex)
            {
                // not expected: this process takes each directory's lock file once (HELD_IN_THIS_PROCESS)
                throw new JournalLockedException("journal " + dir + " is already open by a writer in this process " +
                    "(" + lockFile + " is locked through another path to it)");
            }
            if (lock == null)
            {
                throw new JournalLockedException("journal " + dir + " is locked by a writer in another process " +
                    "(" + lockFile + ")");
            }
            held = lock;
            if (!created && !identity.equals(identity(lockFile)))
            {
                lock.release();
                closeQuietly(channel);
                return null;
            }
            final byte[] owner = ("pid=" + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(owner), 0);
            return new JournalLock(channel, lock, lockFile, created, directoryKey, holdToken);
        }
        catch (final IOException ex)
        {
            // only while holding the lock: a file this open created but another writer locked first is theirs now
            deleteIfCreated(lockFile, created && held != null);
            closeQuietly(channel);
            throw new JournalException("cannot lock journal " + dir + " (" + lockFile + "): " + ex, ex);
        }
        catch (final RuntimeException ex)
        {
            deleteIfCreated(lockFile, created && held != null);
            closeQuietly(channel);
            throw ex;
        }
    }

    private static Object identity(final Path file) throws IOException
    {
        try
        {
            final BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            final Object key = attributes.fileKey();
            return key != null ? key : attributes.creationTime();
        }
        catch (final NoSuchFileException ex)
        {
            return null;
        }
    }

    private static void deleteIfCreated(final Path lockFile, final boolean created)
    {
        if (created)
        {
            try
            {
                Files.deleteIfExists(lockFile);
            }
            catch (final IOException ignore)
            {
                // an empty lock file left behind is harmless
            }
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
                if (SegmentFileNames.isSegmentFileName(name) || SegmentFileNames.isTempFileName(name) ||
                    SegmentFileNames.isFreeFileName(name))
                {
                    return;
                }
                if (SegmentFileNames.LOCK_FILE_NAME.equals(name) || ReaderPosition.DIRECTORY_NAME.equals(name) ||
                    io.ringwal.format.CountersDescriptor.FILE_NAME.equals(name) ||
                    SegmentFileNames.isIndexFileName(name))
                {
                    continue; // left by an earlier writer, or readers registered first; not a journal by itself
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
     * Releases the lock and closes the lock file. A lock file this writer created is deleted first, while the
     * lock is still held, so that neither a refused open nor a clean close leaves a new one behind (a writer that
     * opened the file meanwhile finds, once it holds the lock, that the path no longer names that file, and tries
     * again); a lock file that was there before (left by a crashed writer) stays. Last, this process lets go of
     * the directory, so another open in it may take the lock. Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        deleteIfCreated(lockFile, created);
        try
        {
            lock.release();
        }
        catch (final IOException ignore)
        {
            // closing the channel releases the lock too
        }
        closeQuietly(channel);
        HELD_IN_THIS_PROCESS.remove(directoryKey, holdToken);
    }
}
