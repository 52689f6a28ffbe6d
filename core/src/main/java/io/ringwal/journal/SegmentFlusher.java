package io.ringwal.journal;

import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import io.ringwal.segment.internal.BackgroundThreads;
import io.ringwal.segment.internal.MappedSegment;
import io.ringwal.segment.internal.PageSize;

/**
 * A background thread that writes back the already written part of the active segment while the writer goes
 * on, so that the whole-segment force at rotation (which the writer must make before the first byte goes into the
 * next segment) finds little left to write. Used with the never and bounded policies, where nothing else forces
 * the active segment for a long time; without it a rotation of a 64 MiB segment stalled the writer for ~100 ms.
 *
 * <p>It never moves the durable watermark: only the writer's own forces do, so what the policies promise does
 * not change. A failed write-back is kept and makes the writer fail at its next force (the kernel reports a
 * write-back error only once; swallowing it here would let a later force report success over lost data).
 *
 * <p>The writer publishes its position with a release store once per batch; it takes the lock only when it
 * retires the segment (rotation, close), which waits for a write-back in flight so that no force ever touches an
 * unmapped segment.
 */
final class SegmentFlusher implements AutoCloseable
{
    private static final VarHandle WRITTEN_POSITION;

    static
    {
        try
        {
            WRITTEN_POSITION = MethodHandles.lookup().findVarHandle(SegmentFlusher.class, "writtenPosition", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final int thresholdBytes;
    private final long intervalNanos;
    private final Thread thread;
    private MappedSegment segment;
    private int flushedPosition;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile long flushes;
    @SuppressWarnings("unused") // accessed through WRITTEN_POSITION
    private volatile int writtenPosition;

    SegmentFlusher(final String threadName, final int thresholdBytes, final long intervalNanos)
    {
        this.thresholdBytes = thresholdBytes;
        this.intervalNanos = intervalNanos;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * The writer starts a segment: write-back follows it from {@code position} on.
     */
    void activate(final MappedSegment segment, final int position)
    {
        lock.lock();
        try
        {
            this.segment = segment;
            this.flushedPosition = position;
            WRITTEN_POSITION.setRelease(this, position);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * The writer is about to unmap the segment: waits for a write-back in flight, then forgets the segment.
     */
    void retire()
    {
        lock.lock();
        try
        {
            segment = null;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * The writer's position in the active segment, published once per batch with a release store.
     */
    void written(final int position)
    {
        WRITTEN_POSITION.setRelease(this, position);
    }

    /**
     * Excludes write-back while the writer forces, so that a write-back error the kernel reports only once cannot
     * land between the writer's force and its check of {@link #failure()}.
     */
    void lock()
    {
        lock.lock();
    }

    void unlock()
    {
        lock.unlock();
    }

    /**
     * A write-back failure, if one happened (the writer must fail on it).
     */
    Throwable failure()
    {
        return failure;
    }

    long flushes()
    {
        return flushes;
    }

    private void run()
    {
        while (running)
        {
            LockSupport.parkNanos(this, intervalNanos);
            final int position = (int)WRITTEN_POSITION.getAcquire(this);
            if (position - flushedPosition < thresholdBytes || failure != null)
            {
                continue;
            }
            lock.lock();
            try
            {
                final MappedSegment current = segment;
                final int upto = (int)WRITTEN_POSITION.getAcquire(this);
                if (current != null && !current.isClosed() && upto - flushedPosition >= thresholdBytes)
                {
                    final int from = flushedPosition & -PageSize.PAGE_SIZE;
                    current.force(from, upto - from);
                    flushedPosition = upto;
                    flushes++;
                }
            }
            catch (final UncheckedIOException | IllegalStateException ex)
            {
                failure = ex;
            }
            finally
            {
                lock.unlock();
            }
        }
    }

    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
        BackgroundThreads.joinUninterruptibly(thread);
    }
}
