package io.ringwal.disruptor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

import io.ringwal.journal.JournalClosedException;
import io.ringwal.journal.JournalFailedException;

/**
 * The lifecycle state of a {@link JournalPipeline} ({@link #NEW}, {@link #RUNNING}, {@link #CLOSING},
 * {@link #CLOSED}), its failure, and the last ring sequence the writer drains at close: what producers, waiters,
 * the writer thread and close all read to decide whether a record is accepted.
 */
final class PipelineState
{
    static final int NEW = 0;
    static final int RUNNING = 1;
    static final int CLOSING = 2;
    static final int CLOSED = 3;
    /** The stop ring sequence before the writer fixed it. */
    static final long UNKNOWN = Long.MIN_VALUE;

    private static final System.Logger LOG = System.getLogger(JournalPipeline.class.getName());
    private static final VarHandle STATE;
    private static final VarHandle STOP_RING_SEQUENCE;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(PipelineState.class, "state", int.class);
            STOP_RING_SEQUENCE = lookup.findVarHandle(PipelineState.class, "stopRingSequence", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final Path directory;
    private volatile Throwable failure;
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state = NEW;
    @SuppressWarnings("unused") // accessed through STOP_RING_SEQUENCE
    private volatile long stopRingSequence = UNKNOWN;

    PipelineState(final Path directory)
    {
        this.directory = directory;
    }

    int get()
    {
        return (int)STATE.getVolatile(this);
    }

    void set(final int newState)
    {
        STATE.setVolatile(this, newState);
    }

    boolean compareAndSet(final int expected, final int newState)
    {
        return STATE.compareAndSet(this, expected, newState);
    }

    /**
     * The failure that stopped the writer, or null.
     *
     * @return the failure.
     */
    Throwable failure()
    {
        return failure;
    }

    /**
     * Records the first failure (and logs it); later ones are ignored.
     *
     * @param cause the failure.
     */
    synchronized void fail(final Throwable cause)
    {
        if (failure == null)
        {
            failure = cause;
            LOG.log(System.Logger.Level.ERROR, "journal pipeline " + directory + " failed", cause);
        }
    }

    /**
     * The last ring sequence the writer drains at close, {@link #UNKNOWN} until the writer fixed it.
     *
     * @return the ring sequence.
     */
    long stopRingSequence()
    {
        return (long)STOP_RING_SEQUENCE.getVolatile(this);
    }

    void stopRingSequence(final long ringSequence)
    {
        STOP_RING_SEQUENCE.setVolatile(this, ringSequence);
    }

    /**
     * Throws unless the pipeline is running and has not failed.
     */
    void checkAccepting()
    {
        final int state = get();
        if (state != RUNNING || failure != null)
        {
            throw notAccepting(state);
        }
    }

    /**
     * The exception for a record the pipeline does not accept in this state.
     *
     * @param state the state seen.
     * @return the exception to throw.
     */
    RuntimeException notAccepting(final int state)
    {
        final Throwable failed = failure;
        if (failed != null)
        {
            return new JournalFailedException("journal pipeline " + directory + " failed: " + failed.getMessage(),
                failed);
        }
        if (state == NEW)
        {
            return new IllegalStateException("journal pipeline " + directory + " is not started");
        }
        return new JournalClosedException("journal pipeline " + directory + " is closed");
    }
}
