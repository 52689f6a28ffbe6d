package io.ringwal.segment;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.ringwal.format.SegmentFileNames;

/**
 * The allocator thread: prepares the next segment file ahead of need (creates it under a temporary name,
 * allocates real blocks, forces it, maps it and pre-touches its pages), so that the writer never waits for
 * file creation unless it has outrun the disk. Holds at most one prepared segment.
 *
 * <p>A failure (a full disk, say) is kept and handed to the writer when it next asks for a segment, so the
 * error surfaces while the active segment still has room and never as a fault on a mapped store.
 */
public final class SegmentAllocator implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(SegmentAllocator.class.getName());

    private final Path directory;
    private final int segmentSize;
    private final PreallocationMode mode;
    private final AdaptivePreallocation adaptive;
    private final PretouchMode pretouch;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    private final java.util.ArrayDeque<MappedSegment> prepared = new java.util.ArrayDeque<>();
    private final int depth;
    private final boolean recycle;
    private final Runnable housekeeping;
    private IOException failure;
    private boolean running = true;
    private long fileCounter;
    private volatile PreallocationMode modeUsed;
    private volatile long waitCount;
    private volatile long waitNanos;
    private final java.util.concurrent.atomic.AtomicLong recycled = new java.util.concurrent.atomic.AtomicLong();
    private final AtomicLongArray preparedByMode = new AtomicLongArray(PreallocationMode.values().length);

    /**
     * Starts an allocator thread for a journal directory.
     *
     * @param directory   the journal directory.
     * @param segmentSize the size of each segment file.
     * @param mode        how to allocate blocks.
     * @param pretouch    how to fault every page in before handing a segment over.
     * @param threadName  name of the allocator thread.
     */
    public SegmentAllocator(
        final Path directory,
        final int segmentSize,
        final PreallocationMode mode,
        final PretouchMode pretouch,
        final String threadName)
    {
        this(directory, segmentSize, mode, null, pretouch, threadName);
    }

    /**
     * Starts an allocator thread with one prepared segment, no recycling and no housekeeping.
     *
     * @param directory  the journal directory, where prepared files are created.
     * @param segmentSize the segment size.
     * @param mode       how to give each file real blocks.
     * @param adaptive   chooses each segment's mode under ADAPTIVE; null otherwise.
     * @param pretouch   how to fault pages in after mapping.
     * @param threadName the thread's name.
     */
    public SegmentAllocator(
        final Path directory,
        final int segmentSize,
        final PreallocationMode mode,
        final AdaptivePreallocation adaptive,
        final PretouchMode pretouch,
        final String threadName)
    {
        this(directory, segmentSize, mode, adaptive, pretouch, 1, false, null, threadName);
    }

    /**
     * Starts an allocator thread for a journal directory.
     *
     * @param directory   the journal directory.
     * @param segmentSize the size of each segment file.
     * @param mode        how to allocate blocks.
     * @param adaptive    chooses the mode of each segment when {@code mode} is
     *                    {@link PreallocationMode#ADAPTIVE} (required then, ignored otherwise).
     * @param pretouch    how to fault every page in before handing a segment over.
     * @param depth       how many segments to keep prepared.
     * @param recycle     whether to reuse retired segments ({@code retired-*.seg.free}) before allocating.
     * @param housekeeping run on the allocator thread before each segment is prepared (retention); may be null.
     * @param threadName  name of the allocator thread.
     */
    public SegmentAllocator(
        final Path directory,
        final int segmentSize,
        final PreallocationMode mode,
        final AdaptivePreallocation adaptive,
        final PretouchMode pretouch,
        final int depth,
        final boolean recycle,
        final Runnable housekeeping,
        final String threadName)
    {
        if (depth < 1)
        {
            throw new IllegalArgumentException("depth=" + depth + " must be at least 1");
        }
        this.depth = depth;
        this.recycle = recycle;
        this.housekeeping = housekeeping;
        if (mode == PreallocationMode.ADAPTIVE && adaptive == null)
        {
            throw new IllegalArgumentException("preallocation mode ADAPTIVE needs an AdaptivePreallocation");
        }
        this.directory = directory;
        this.segmentSize = segmentSize;
        this.mode = mode;
        this.adaptive = adaptive;
        this.pretouch = pretouch;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run()
    {
        while (true)
        {
            lock.lock();
            try
            {
                while (running && (prepared.size() >= depth || failure != null))
                {
                    changed.awaitUninterruptibly();
                }
                if (!running)
                {
                    return;
                }
            }
            finally
            {
                lock.unlock();
            }

            MappedSegment segment = null;
            IOException error = null;
            try
            {
                segment = prepareOne();
            }
            catch (final IOException ex)
            {
                error = ex;
            }
            catch (final RuntimeException ex)
            {
                error = new IOException("allocating a segment in " + directory + " failed: " + ex, ex);
            }

            lock.lock();
            try
            {
                if (!running)
                {
                    discard(segment);
                    return;
                }
                if (segment != null)
                {
                    prepared.addLast(segment);
                }
                failure = error;
                changed.signalAll();
            }
            finally
            {
                lock.unlock();
            }
        }
    }

    private MappedSegment prepareOne() throws IOException
    {
        final Path file = directory.resolve("prepared-" + (fileCounter++) + "-" + System.nanoTime() +
            SegmentFileNames.TEMP_SUFFIX);
        boolean retentionDurable = true;
        if (housekeeping != null)
        {
            try
            {
                housekeeping.run();
            }
            catch (final RuntimeException ex)
            {
                // its renames may not be durable (the directory force failed): reuse no free file this time
                retentionDurable = false;
                LOG.log(Level.WARNING, "retention in " + directory + " failed; it is tried again at the next " +
                    "segment: " + ex.getMessage(), ex);
            }
        }
        if (recycle && retentionDurable)
        {
            final MappedSegment reused = reuseFreeFile(file);
            if (reused != null)
            {
                return reused;
            }
        }
        final PreallocationMode asked = mode == PreallocationMode.ADAPTIVE ? adaptive.choose() : mode;
        final PreallocationMode used;
        try
        {
            used = SegmentPreallocator.preallocate(file, segmentSize, asked);
        }
        catch (final IOException ex)
        {
            throw new IOException("cannot allocate a " + segmentSize + "-byte segment at " + file + ": " + ex, ex);
        }
        if (used != asked && modeUsed != used)
        {
            LOG.log(Level.WARNING, "direct I/O refused in {0}; segments are zero-filled with buffered writes, " +
                "which makes small forces write back more than was dirtied", directory);
        }
        modeUsed = used;
        try
        {
            final MappedSegment segment = MappedSegment.map(file, PretouchMode.NONE);
            try
            {
                if (used == PreallocationMode.DIRECT)
                {
                    // direct zero-fill left nothing in the page cache: faults would bring large folios in
                    segment.primeUncachedPages();
                }
                segment.pretouch(pretouch);
            }
            catch (final IOException | RuntimeException ex)
            {
                segment.close();
                throw ex;
            }
            preparedByMode.incrementAndGet(used.ordinal());
            return segment;
        }
        catch (final IOException | RuntimeException ex)
        {
            Files.deleteIfExists(file);
            throw ex;
        }
    }

    /**
     * Takes the oldest free file (a retired segment) of the right size, renames it to {@code target} and maps it;
     * free files of another size (the configuration changed) are deleted. Null if there is none.
     */
    private MappedSegment reuseFreeFile(final Path target) throws IOException
    {
        while (true)
        {
            Path oldest = null;
            try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(directory,
                "*" + SegmentFileNames.FREE_SUFFIX))
            {
                for (final Path entry : entries)
                {
                    if (SegmentFileNames.isFreeFileName(entry.getFileName().toString()) &&
                        (oldest == null || entry.getFileName().toString().compareTo(oldest.getFileName().toString()) < 0))
                    {
                        oldest = entry;
                    }
                }
            }
            if (oldest == null)
            {
                return null;
            }
            if (Files.size(oldest) != segmentSize)
            {
                Files.deleteIfExists(oldest);
                continue;
            }
            Files.move(oldest, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            try
            {
                final MappedSegment segment = MappedSegment.map(target, PretouchMode.NONE);
                try
                {
                    // pages of the file's earlier use that were evicted would come back as large folios
                    segment.primeUncachedPages();
                    segment.pretouch(pretouch);
                }
                catch (final IOException | RuntimeException ex)
                {
                    segment.close();
                    throw ex;
                }
                segment.markRecycled();
                recycled.incrementAndGet();
                return segment;
            }
            catch (final IOException | RuntimeException ex)
            {
                Files.deleteIfExists(target);
                throw ex;
            }
        }
    }

    /**
     * How many prepared segments were recycled from retired ones rather than allocated.
     *
     * @return the count.
     */
    public long segmentsRecycled()
    {
        return recycled.get();
    }

    /**
     * Takes the prepared segment, waiting for it if it is not ready yet (a counted wait). The returned segment
     * is mapped under a temporary name; the caller writes its header and renames it. The allocator then starts
     * preparing the next one.
     *
     * @param timeoutNanos how long to wait at most.
     * @return the prepared segment.
     * @throws IOException if allocation failed (the cause says why), the wait timed out, or the allocator is
     *                     closed.
     */
    public MappedSegment take(final long timeoutNanos) throws IOException
    {
        lock.lock();
        try
        {
            if (prepared.isEmpty() && failure == null && running)
            {
                final long start = System.nanoTime();
                waitCount++;
                long remaining = timeoutNanos;
                while (prepared.isEmpty() && failure == null && running && remaining > 0)
                {
                    try
                    {
                        remaining = changed.awaitNanos(remaining);
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while waiting for the next segment in " + directory, ex);
                    }
                }
                waitNanos += System.nanoTime() - start;
            }
            if (!prepared.isEmpty())
            {
                final MappedSegment segment = prepared.pollFirst();
                changed.signalAll();
                return segment;
            }
            if (failure != null)
            {
                final IOException error = failure;
                throw new IOException(error.getMessage(), error);
            }
            if (!running)
            {
                throw new IOException("segment allocator for " + directory + " is closed");
            }
            throw new IOException("timed out after " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) +
                " ms waiting for the allocator to prepare a segment in " + directory);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * The allocation failure being held, if any: lets the owner report a full disk before it needs the next
     * segment.
     *
     * @return the failure, or null.
     */
    public IOException failure()
    {
        lock.lock();
        try
        {
            return failure;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * How many times a taker had to wait for a segment.
     *
     * @return the count.
     */
    public long waitCount()
    {
        return waitCount;
    }

    /**
     * Total time takers spent waiting, in nanoseconds.
     *
     * @return the time.
     */
    public long waitNanos()
    {
        return waitNanos;
    }

    /**
     * Number of segments prepared so far.
     *
     * @return the count.
     */
    public long segmentsPrepared()
    {
        long total = 0;
        for (int i = 0; i < preparedByMode.length(); i++)
        {
            total += preparedByMode.get(i);
        }
        return total;
    }

    /**
     * How many segments were prepared with a concrete mode (the mode actually used: never
     * {@link PreallocationMode#ADAPTIVE}, and BUFFERED where direct I/O was refused).
     *
     * @param used the mode.
     * @return segments prepared with it so far.
     */
    public long segmentsPrepared(final PreallocationMode used)
    {
        return preparedByMode.get(used.ordinal());
    }

    /**
     * The preallocation mode last used, which may differ from the one asked for (direct I/O refused) and, under
     * {@link PreallocationMode#ADAPTIVE}, is the concrete mode chosen for the last segment.
     *
     * @return the mode, or null before the first segment.
     */
    public PreallocationMode modeUsed()
    {
        return modeUsed;
    }

    /**
     * Stops the thread and deletes a prepared segment no one took. Idempotent.
     */
    @Override
    public void close()
    {
        final java.util.List<MappedSegment> leftover;
        lock.lock();
        try
        {
            running = false;
            leftover = new java.util.ArrayList<>(prepared);
            prepared.clear();
            changed.signalAll();
        }
        finally
        {
            lock.unlock();
        }
        boolean interrupted = false;
        while (thread.isAlive() && Thread.currentThread() != thread)
        {
            try
            {
                thread.join();
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
        for (final MappedSegment segment : leftover)
        {
            discard(segment);
        }
    }

    private static void discard(final MappedSegment segment)
    {
        if (segment != null)
        {
            final Path path = segment.path();
            segment.close();
            try
            {
                Files.deleteIfExists(path);
            }
            catch (final IOException ex)
            {
                LOG.log(Level.WARNING, "could not delete unused prepared segment " + path, ex);
            }
        }
    }
}
