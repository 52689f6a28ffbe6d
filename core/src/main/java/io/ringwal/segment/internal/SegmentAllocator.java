package io.ringwal.segment.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.ringwal.format.SegmentFileNames;

import io.ringwal.segment.AllocationListener;
import io.ringwal.segment.PreallocationMode;
import io.ringwal.segment.PretouchMode;
import io.ringwal.segment.SegmentAllocationException;

/**
 * The allocator thread: prepares the next segment file ahead of need (creates it under a temporary name,
 * allocates real blocks, forces it, maps it and pre-touches its pages), so that the writer never waits for
 * file creation unless it has outrun the disk. Holds up to the depth it was given of prepared segments.
 *
 * <p>A failure (a full disk, say) is reported as soon as preparing fails, while the writer still appends into the
 * room it has (the active segment and any segment prepared before): once per failure episode, as a WARNING log
 * line, a call of the {@link AllocationListener} and a count ({@link #failureEpisodes()}). The failure is kept
 * and handed to the writer, as a {@link SegmentAllocationException}, only when it asks for a segment and none is
 * prepared: the error surfaces at a rotation, never as a fault on a mapped store. Meanwhile the allocator tries
 * again every {@value #RETRY_INTERVAL_MILLIS} ms (retention runs before each try and may free space), and a
 * {@link #take} that finds no segment asks for one more try and waits for it, so space that came back just before
 * the rotation is used. While the file system reports less than a segment of usable space ({@code statvfs}
 * {@code f_bavail}, which leaves out the blocks kept for root) and segments get real blocks (not under
 * {@link PreallocationMode#SPARSE}), a try fails at once and touches nothing: no
 * temporary file takes the last free blocks from others on the file system, and the warning does not wait for the
 * file system's own retries of a failing allocation, which on a nearly full ext4 took long enough (over 100 ms)
 * for a fast writer to fill two segments meanwhile.
 */
public final class SegmentAllocator implements AutoCloseable
{
    /** How long the allocator waits between tries while preparing fails. */
    public static final long RETRY_INTERVAL_MILLIS = 1000;

    private static final System.Logger LOG = System.getLogger(SegmentAllocator.class.getName());
    private static final long RETRY_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(RETRY_INTERVAL_MILLIS);

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
    private final AllocationListener listener;
    private SegmentAllocationException failure;
    /** Tries finished (under the lock); a taker that finds a failure waits for the next one. */
    private long attempts;
    private boolean attempting;
    private boolean retryRequested;
    private volatile long failureEpisodes;
    private long failedAttempts;
    private boolean running = true;
    private long fileCounter;
    /** The mode the last prepared segment got (allocator thread only), to warn once of refused direct I/O. */
    private PreallocationMode modeUsed;
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
     * @param adaptive    chooses the mode of each segment when {@code mode} is
     *                    {@link PreallocationMode#ADAPTIVE} (required then, ignored otherwise).
     * @param pretouch    how to fault every page in before handing a segment over.
     * @param depth       how many segments to keep prepared.
     * @param recycle     whether to reuse retired segments ({@code retired-*.seg.free}) before allocating.
     * @param housekeeping run on the allocator thread before each segment is prepared (retention); may be null.
     * @param listener    told when preparing fails and when it succeeds again.
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
        final AllocationListener listener,
        final String threadName)
    {
        if (depth < 1)
        {
            throw new IllegalArgumentException("depth=" + depth + " must be at least 1");
        }
        this.depth = depth;
        this.recycle = recycle;
        this.housekeeping = housekeeping;
        this.listener = java.util.Objects.requireNonNull(listener, "listener");
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
        long retryAt = 0;
        while (true)
        {
            final boolean retrying;
            lock.lock();
            try
            {
                while (running)
                {
                    if (prepared.size() >= depth)
                    {
                        changed.awaitUninterruptibly();
                    }
                    else if (failure != null && !retryRequested && retryAt - System.nanoTime() > 0)
                    {
                        awaitQuietly(retryAt - System.nanoTime());
                    }
                    else
                    {
                        break;
                    }
                }
                if (!running)
                {
                    return;
                }
                retrying = failure != null;
                retryRequested = false;
                attempting = true;
            }
            finally
            {
                lock.unlock();
            }

            MappedSegment segment = null;
            IOException error = null;
            try
            {
                segment = prepareOne(retrying);
            }
            catch (final IOException ex)
            {
                error = ex;
            }
            catch (final RuntimeException ex)
            {
                error = new IOException("allocating a segment in " + directory + " failed: " + ex, ex);
            }
            final SegmentAllocationException failed = error != null ?
                SegmentAllocationException.of(directory, segmentSize, Directories.usableSpace(directory), error) :
                null;

            final boolean episodeStarted;
            final boolean recovered;
            final long failedTries;
            lock.lock();
            try
            {
                attempting = false;
                attempts++;
                if (!running)
                {
                    discard(segment);
                    changed.signalAll();
                    return;
                }
                episodeStarted = failed != null && failure == null;
                recovered = segment != null && failure != null;
                if (segment != null)
                {
                    prepared.addLast(segment);
                    failure = null;
                }
                else if (failed != null)
                {
                    failure = failed;
                }
                // else: a retry found less than a segment free and left the disk alone; the failure stands
                failedTries = segment != null ? failedAttempts : ++failedAttempts;
                if (segment != null)
                {
                    failedAttempts = 0;
                }
                if (episodeStarted)
                {
                    failureEpisodes = failureEpisodes + 1;
                }
                retryAt = System.nanoTime() + RETRY_INTERVAL_NANOS;
                changed.signalAll();
            }
            finally
            {
                lock.unlock();
            }
            if (episodeStarted)
            {
                reportFailure(failed);
            }
            else if (recovered)
            {
                reportRecovery(failedTries);
            }
        }
    }

    private void awaitQuietly(final long nanos)
    {
        try
        {
            changed.awaitNanos(nanos);
        }
        catch (final InterruptedException ex)
        {
            // nothing interrupts this thread on purpose; close() ends it through the running flag
        }
    }

    /** The listener first: a log handler may be slow (a console behind a pipe took over 100 ms). */
    private void reportFailure(final SegmentAllocationException failed)
    {
        try
        {
            listener.allocationFailed(directory, segmentSize, failed);
        }
        catch (final RuntimeException ex)
        {
            LOG.log(Level.WARNING, "allocation listener of " + directory + " threw", ex);
        }
        LOG.log(Level.WARNING, failed.getMessage() + " (" + failed.getCause().getMessage() + "); the writer " +
            "goes on in the room it has and fails at the rotation that finds no prepared segment; trying again every " +
            RETRY_INTERVAL_MILLIS + " ms");
    }

    private void reportRecovery(final long failedTries)
    {
        try
        {
            listener.allocationRecovered(directory);
        }
        catch (final RuntimeException ex)
        {
            LOG.log(Level.WARNING, "allocation listener of " + directory + " threw", ex);
        }
        LOG.log(Level.INFO, "segments can be allocated in " + directory + " again, after " + failedTries +
            " failed tries");
    }

    /**
     * Prepares one segment, or returns null when {@code retrying} and the file system still has less than a segment
     * free (then nothing on the disk is touched).
     */
    private MappedSegment prepareOne(final boolean retrying) throws IOException
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
        final long free = asked == PreallocationMode.SPARSE ? Long.MAX_VALUE : Directories.usableSpace(directory);
        if (free < segmentSize)
        {
            // certain to fail: fail at once, without taking the last free blocks from others on the file system
            if (retrying)
            {
                return null;
            }
            throw new IOException("cannot allocate a " + segmentSize + "-byte segment at " + file +
                ": No space left on device (" + free + " bytes usable)");
        }
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
            // direct zero-fill left nothing cached: faults would bring large folios in
            final MappedSegment segment = mapPrepared(file, used == PreallocationMode.DIRECT && singlePageFolios());
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
     * Maps a prepared file, primes its uncached pages as single-page folios if asked, then pretouches it; the mapping
     * is closed if either fails.
     */
    private MappedSegment mapPrepared(final Path file, final boolean prime) throws IOException
    {
        final MappedSegment segment = MappedSegment.map(file, PretouchMode.NONE);
        try
        {
            if (prime)
            {
                segment.primeUncachedPages();
            }
            segment.pretouch(pretouch);
            return segment;
        }
        catch (final IOException | RuntimeException ex)
        {
            segment.close();
            throw ex;
        }
    }

    /**
     * Whether a segment's uncached pages should come into the page cache as single pages (small forces) rather than
     * fault in as large folios (large forces): by {@link AdaptivePreallocation#singlePageFolios()} under ADAPTIVE,
     * for {@link PreallocationMode#BUFFERED_PAGES} always, for the other modes never.
     */
    private boolean singlePageFolios()
    {
        return mode == PreallocationMode.ADAPTIVE ? adaptive.singlePageFolios() :
            mode == PreallocationMode.BUFFERED_PAGES;
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
                // evicted pages of the file's earlier use would come back as large folios, and each small force
                // would write back whole folios
                final MappedSegment segment = mapPrepared(target, singlePageFolios());
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
     * preparing the next one. When none is prepared because preparing failed, the allocator tries once more
     * (space may have come back since its last try) and this waits for that try.
     *
     * @param timeoutNanos how long to wait at most.
     * @return the prepared segment.
     * @throws SegmentAllocationException if preparing failed and the try made for this call failed too (on a
     *                                    full disk its message says so, naming the directory and the size).
     * @throws IOException                if the wait timed out, was interrupted, or the allocator is closed.
     */
    public MappedSegment take(final long timeoutNanos) throws IOException
    {
        lock.lock();
        try
        {
            if (prepared.isEmpty() && running)
            {
                final long start = System.nanoTime();
                waitCount++;
                long remaining = timeoutNanos;
                // with a failure held, wait for a try that starts after this call (not one already under way)
                final long tryWanted = failure == null ? -1 : attempts + (attempting ? 2 : 1);
                if (failure != null)
                {
                    retryRequested = true;
                    changed.signalAll();
                }
                while (prepared.isEmpty() && running && remaining > 0 &&
                    (tryWanted < 0 ? failure == null : attempts < tryWanted))
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
            if (!running)
            {
                throw new IOException("segment allocator for " + directory + " is closed");
            }
            if (failure != null)
            {
                throw failure;
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
     * How many failure episodes there were: runs of failed tries to prepare a segment, each ended by a success.
     * A retry that fails again does not count.
     *
     * @return the count.
     */
    public long failureEpisodes()
    {
        return failureEpisodes;
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
        BackgroundThreads.joinUninterruptibly(thread);
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
