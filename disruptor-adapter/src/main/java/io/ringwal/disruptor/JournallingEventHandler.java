package io.ringwal.disruptor;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.Sequence;

import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalFailedException;
import io.ringwal.journal.JournalWriter;
import io.ringwal.journal.WriteClaim;

/**
 * The journal writer stage for a user's own Disruptor graph: the classic LMAX journaller. Put it first and gate
 * business logic behind it:
 *
 * <pre>{@code
 * JournallingEventHandler<Order> journaller = JournallingEventHandler.open(dir, config, serializer);
 * disruptor.handleEventsWith(journaller).then(businessLogic);
 * }</pre>
 *
 * Behind the journaller, business logic sees an event only after it was appended and its batch ended, which
 * under {@link io.ringwal.journal.ForcePolicy#everyBatch()} means forced. Under other policies, gate business
 * logic on {@link #durableRingSequence()} instead (a barrier from {@code ringBuffer.newBarrier(...)}) to see only
 * durable events.
 *
 * <p>Every event is journaled, in ring order, so an event's journal sequence is its ring sequence plus a fixed
 * offset ({@link #journalSequence(long)}). The handler owns its {@link JournalWriter}: it is opened by
 * {@link #open}, used only on the handler's thread afterwards (the Disruptor's thread start hands it over) and
 * closed in {@link #onShutdown()} when the Disruptor is shut down. {@code onTimeout} forces what a bounded
 * policy says is due; give the Disruptor a timeout wait strategy for that.
 *
 * <p>Failures are fatal: an I/O error or a serializer exception stops the journal, and this handler then throws
 * {@link JournalFailedException} for the failed event and for every later one. Keep the Disruptor's default
 * fatal exception handler for this stage: an exception handler that swallows would let the processor skip the
 * event, and stages behind it would see events that were never journaled.
 *
 * @param <T> the event type.
 */
public final class JournallingEventHandler<T> implements EventHandler<T>
{
    private final JournalWriter journal;
    private final JournalSerializer<T> serializer;
    private final Sequence durableRingSequence = new Sequence(-1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile long sequenceOffset = Long.MIN_VALUE;
    private volatile Throwable failure;
    private long lastDurable;

    private JournallingEventHandler(final JournalWriter journal, final JournalSerializer<T> serializer)
    {
        this.journal = journal;
        this.serializer = serializer;
        this.lastDurable = journal.durableSequence();
    }

    /**
     * Opens (recovering) the journal in {@code directory} for a journalling handler.
     *
     * @param directory  the journal directory.
     * @param config     the journal configuration.
     * @param serializer writes events into the journal.
     * @param <T>        the event type.
     * @return the handler; hand it to the Disruptor before the Disruptor starts.
     */
    public static <T> JournallingEventHandler<T> open(
        final Path directory, final JournalConfig config, final JournalSerializer<T> serializer)
    {
        io.ringwal.journal.AgronaAccess.check();
        Objects.requireNonNull(serializer, "serializer");
        return new JournallingEventHandler<>(JournalWriter.open(directory, config), serializer);
    }

    @Override
    public void onEvent(final T event, final long sequence, final boolean endOfBatch)
    {
        final Throwable failed = failure;
        if (failed != null)
        {
            throw new JournalFailedException("journaller for " + journal.directory() + " failed; event at ring " +
                "sequence " + sequence + " was not journaled", failed);
        }
        try
        {
            if (sequenceOffset == Long.MIN_VALUE)
            {
                sequenceOffset = journal.nextSequence() - sequence;
            }
            final WriteClaim claim = journal.claim(serializer.length(event));
            try
            {
                serializer.write(event, claim.buffer());
            }
            catch (final RuntimeException | Error ex)
            {
                claim.abort();
                throw ex;
            }
            final long journalSequence = claim.commit();
            if (journalSequence != sequence + sequenceOffset)
            {
                throw new IllegalStateException("ring sequence " + sequence + " was journaled as " +
                    journalSequence + ", expected " + (sequence + sequenceOffset));
            }
            if (endOfBatch)
            {
                journal.endOfBatch();
                advanceDurable();
            }
        }
        catch (final RuntimeException | Error ex)
        {
            failure = ex;
            throw new JournalFailedException("journaller for " + journal.directory() + " failed at ring sequence " +
                sequence + "; nothing from there on is journaled", ex);
        }
    }

    private void advanceDurable()
    {
        final long durable = journal.durableSequence();
        if (durable > lastDurable)
        {
            lastDurable = durable;
            durableRingSequence.set(durable - sequenceOffset);
        }
    }

    /**
     * Forces what a bounded policy says is due while the ring is idle (called by the Disruptor when its wait
     * strategy times out).
     */
    @Override
    public void onTimeout(final long sequence)
    {
        if (failure == null && sequenceOffset != Long.MIN_VALUE)
        {
            try
            {
                journal.forceIfDue();
                advanceDurable();
            }
            catch (final RuntimeException ex)
            {
                failure = ex;
            }
        }
    }

    /**
     * Forces and closes the journal, on the handler's thread, when the Disruptor shuts down.
     */
    @Override
    public void onShutdown()
    {
        try
        {
            if (failure == null && sequenceOffset != Long.MIN_VALUE)
            {
                journal.force();
                advanceDurable();
            }
        }
        catch (final RuntimeException ex)
        {
            failure = ex;
        }
        finally
        {
            try
            {
                journal.close();
            }
            finally
            {
                closed.countDown();
            }
        }
    }

    /**
     * Waits until {@link #onShutdown()} closed the journal ({@code Disruptor.shutdown} halts the processors but
     * does not wait for their threads).
     *
     * @param timeout the longest wait.
     * @param unit    its unit.
     * @return true if closed, false if the timeout passed first.
     * @throws InterruptedException if interrupted.
     */
    public boolean awaitClosed(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return closed.await(timeout, unit);
    }

    /**
     * The ring sequence up to which events are durable (forced): gate a stage on it with
     * {@code ringBuffer.newBarrier(journaller.durableRingSequence())} to see only durable events.
     *
     * @return the sequence, -1 until something is durable.
     */
    public Sequence durableRingSequence()
    {
        return durableRingSequence;
    }

    /**
     * The journal sequence of the event at a ring sequence, once the first event was journaled.
     *
     * @param ringSequence the ring sequence.
     * @return the journal sequence.
     * @throws IllegalStateException if no event was journaled yet.
     */
    public long journalSequence(final long ringSequence)
    {
        final long offset = sequenceOffset;
        if (offset == Long.MIN_VALUE)
        {
            throw new IllegalStateException("no event was journaled yet");
        }
        return ringSequence + offset;
    }

    /**
     * The journal's durable watermark (journal sequence). Safe from any thread.
     *
     * @return the durable sequence, -1 if none.
     */
    public long durableSequence()
    {
        return journal.durableSequence();
    }

    /**
     * The failure that stopped the journaller, or null. Safe from any thread.
     *
     * @return the failure.
     */
    public Throwable failure()
    {
        return failure;
    }

    /**
     * The journal directory.
     *
     * @return the directory.
     */
    public Path directory()
    {
        return journal.directory();
    }
}
