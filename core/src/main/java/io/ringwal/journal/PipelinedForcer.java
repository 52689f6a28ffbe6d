package io.ringwal.journal;

import java.util.concurrent.locks.LockSupport;

import io.ringwal.segment.internal.BackgroundThreads;

/**
 * The force thread of a writer with pipelined forcing: the writer hands it "force up to this position, which makes
 * this sequence durable" at the end of a batch and goes on appending; the thread forces, publishes the durable
 * watermark and immediately takes the newest request, so each force covers everything written while the previous
 * one ran (group commit, with one force in flight). The writer {@link #drain() drains} it before anything that
 * needs the segment to itself: a rotation, an explicit force, close.
 *
 * <p>Memory ordering: the writer stores the position, then the sequence with a release store; the thread loads the
 * sequence with an acquire load, then the position, so it never forces less than the sequence needs. A failed force
 * stops the thread for good (the writer is then failed and every later call throws).
 */
final class PipelinedForcer implements AutoCloseable
{
    private static final long PARK_NANOS = 1_000_000L;

    private final SegmentForcer forces;
    private final Thread thread;
    private volatile int requestedPosition;
    private volatile long requestedSequence = Long.MIN_VALUE;
    private volatile long completedSequence = Long.MIN_VALUE;
    private volatile boolean parked;
    private volatile boolean running = true;
    private volatile boolean stopped;

    PipelinedForcer(final SegmentForcer forces, final String threadName)
    {
        this.forces = forces;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Asks for everything up to {@code position} to be forced, making {@code sequence} durable. Writer thread only.
     *
     * @param position the end of what to force.
     * @param sequence the last sequence that force makes durable.
     */
    void request(final int position, final long sequence)
    {
        requestedPosition = position;
        requestedSequence = sequence;
        if (parked)
        {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Waits until every request has been forced, or the thread stopped on a failure. Writer thread only.
     */
    void drain()
    {
        int spins = 0;
        while (completedSequence < requestedSequence && !stopped)
        {
            if (++spins < 100)
            {
                Thread.onSpinWait();
            }
            else if (spins < 200)
            {
                Thread.yield();
            }
            else
            {
                LockSupport.parkNanos(50_000L);
            }
        }
    }

    /**
     * Whether a request is still being forced or waits to be.
     *
     * @return true if busy.
     */
    boolean busy()
    {
        return completedSequence < requestedSequence && !stopped;
    }

    private void run()
    {
        try
        {
            while (running)
            {
                final long sequence = requestedSequence;
                if (sequence > completedSequence)
                {
                    final int position = requestedPosition;
                    if (!forces.forceFromForcer(position, sequence))
                    {
                        return;
                    }
                    completedSequence = sequence;
                    continue;
                }
                parked = true;
                if (requestedSequence == completedSequence && running)
                {
                    LockSupport.parkNanos(this, PARK_NANOS);
                }
                parked = false;
            }
        }
        finally
        {
            stopped = true;
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
