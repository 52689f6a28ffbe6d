package io.ringwal.disruptor;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.lmax.disruptor.Sequence;

import io.ringwal.journal.JournalClosedException;
import io.ringwal.journal.JournalFailedException;
import io.ringwal.journal.JournalWriter;

/**
 * The durable and written watermarks of a {@link JournalPipeline}, the threads waiting for them and the listeners
 * told when they advance. Waiting spins briefly, then parks in a {@link DurableWaiters} until the writer side
 * wakes it; it allocates nothing.
 */
final class PipelineWatermarks
{
    private static final System.Logger LOG = System.getLogger(JournalPipeline.class.getName());
    private static final int SPINS = 200;
    private static final long POLL_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private final Path directory;
    private final PipelineState state;
    private final DurabilityListener durabilityListener;
    private final WrittenListener writtenListener;
    private final DurableWaiters durableWaiters;
    private final DurableWaiters writtenWaiters;
    /** Written after each force, read by every producer that waits: padded, away from other fields. */
    private final Sequence durableSequence = new Sequence(-1);
    private volatile JournalWriter journal;

    PipelineWatermarks(
        final Path directory,
        final PipelineState state,
        final DurabilityListener durabilityListener,
        final WrittenListener writtenListener,
        final int maxParkedWaiters)
    {
        this.directory = directory;
        this.state = state;
        this.durabilityListener = durabilityListener;
        this.writtenListener = writtenListener;
        this.durableWaiters = new DurableWaiters(maxParkedWaiters);
        this.writtenWaiters = new DurableWaiters(maxParkedWaiters);
    }

    /**
     * Sets the durable watermark the journal had when it was opened, before its durability listener is registered.
     *
     * @param durable the journal's durable sequence.
     */
    void initialDurable(final long durable)
    {
        durableSequence.setVolatile(durable);
    }

    /**
     * From now on, the written watermark is the journal's.
     *
     * @param writer the journal.
     */
    void attach(final JournalWriter writer)
    {
        journal = writer;
    }

    long durableSequence()
    {
        return durableSequence.get();
    }

    long writtenSequence()
    {
        final JournalWriter writer = journal;
        return writer != null ? writer.writtenSequence() : -1;
    }

    /**
     * Waits until the record with this journal sequence is durable (or written).
     *
     * @param sequence     the journal sequence.
     * @param timeoutNanos the longest wait, {@link Long#MAX_VALUE} for no bound.
     * @param written      true to wait for the written watermark, false for the durable one.
     * @return true if reached, false if the timeout passed first.
     * @throws InterruptedException if interrupted while waiting.
     */
    boolean await(final long sequence, final long timeoutNanos, final boolean written) throws InterruptedException
    {
        if (isDone(sequence, written))
        {
            return true;
        }
        for (int i = 0; i < SPINS; i++)
        {
            Thread.onSpinWait();
            if (isDone(sequence, written))
            {
                return true;
            }
        }
        final boolean timed = timeoutNanos != Long.MAX_VALUE;
        final long deadline = timed ? System.nanoTime() + timeoutNanos : 0;
        final DurableWaiters parked = written ? writtenWaiters : durableWaiters;
        final int slot = parked.register(Thread.currentThread(), sequence);
        try
        {
            while (!isDone(sequence, written))
            {
                long park = slot >= 0 ? Long.MAX_VALUE : POLL_PARK_NANOS;
                if (timed)
                {
                    final long remaining = deadline - System.nanoTime();
                    if (remaining <= 0)
                    {
                        return false;
                    }
                    park = Math.min(park, remaining);
                }
                if (park == Long.MAX_VALUE)
                {
                    LockSupport.park(this);
                }
                else
                {
                    LockSupport.parkNanos(this, park);
                }
                if (Thread.interrupted())
                {
                    throw new InterruptedException("interrupted waiting for journal sequence " + sequence +
                        (written ? " to be written in " : " to be durable in ") + directory);
                }
            }
            return true;
        }
        finally
        {
            parked.deregister(slot);
        }
    }

    private boolean isDone(final long sequence, final boolean written)
    {
        return written ? isWritten(sequence) : isDurable(sequence);
    }

    private boolean isWritten(final long sequence)
    {
        final long writtenUpTo = writtenSequence();
        if (sequence <= writtenUpTo)
        {
            return true;
        }
        final Throwable failed = state.failure();
        if (failed != null)
        {
            throw new JournalFailedException("journal pipeline " + directory + " failed before sequence " +
                sequence + " was written (written up to " + writtenUpTo + "): " + failed.getMessage(), failed);
        }
        if (state.get() == PipelineState.CLOSED && sequence > writtenSequence())
        {
            throw new JournalClosedException("journal pipeline " + directory + " is closed and sequence " +
                sequence + " was never written (written up to " + writtenSequence() + ")");
        }
        return false;
    }

    private boolean isDurable(final long sequence)
    {
        if (sequence <= durableSequence())
        {
            return true;
        }
        final Throwable failed = state.failure();
        if (failed != null)
        {
            throw new JournalFailedException("journal pipeline " + directory + " failed before sequence " +
                sequence + " became durable (durable up to " + durableSequence() + "): " + failed.getMessage(),
                failed);
        }
        if (state.get() == PipelineState.CLOSED && sequence > durableSequence())
        {
            throw new JournalClosedException("journal pipeline " + directory + " is closed and sequence " +
                sequence + " was never made durable (durable up to " + durableSequence() + ")");
        }
        return false;
    }

    /**
     * The durable watermark advanced (on the thread that completed the force): wakes its waiters, tells the
     * listener.
     *
     * @param durable the new durable sequence.
     */
    void durableAdvanced(final long durable)
    {
        durableSequence.set(durable);
        durableWaiters.wakeUpTo(durable);
        try
        {
            durabilityListener.onDurable(durable);
        }
        catch (final RuntimeException ex)
        {
            LOG.log(System.Logger.Level.WARNING, "durability listener threw for sequence " + durable, ex);
        }
    }

    /**
     * The written watermark advanced (on the writer thread, once per batch): wakes its waiters, tells the
     * listener.
     *
     * @param written the new written sequence.
     */
    void writtenAdvanced(final long written)
    {
        writtenWaiters.wakeUpTo(written);
        try
        {
            writtenListener.onWritten(written);
        }
        catch (final RuntimeException ex)
        {
            LOG.log(System.Logger.Level.WARNING, "written listener threw for sequence " + written, ex);
        }
    }

    /**
     * Wakes every waiter of both watermarks, after a failure or a change of state was stored.
     */
    void wakeAll()
    {
        durableWaiters.wakeAll();
        writtenWaiters.wakeAll();
    }
}
