package io.ringwal.disruptor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.EventTranslatorOneArg;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;

import io.ringwal.journal.JournalClosedException;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalException;
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
 * logic on the durable ring sequence instead, through {@link #durableBarrier(RingBuffer, Sequence...)}, to see
 * only durable events:
 *
 * <pre>{@code
 * disruptor.handleEventsWith(journaller);
 * disruptor.handleEventsWith(new BatchEventProcessorBuilder().build(ring, journaller.durableBarrier(ring), logic));
 * }</pre>
 *
 * <h2>The durable gate</h2>
 * A stage gated on the durable sequence holds the ring: once the ring is full of events that are written but not
 * yet forced, producers wait for that stage, the stage waits for a force, and (with
 * {@link com.lmax.disruptor.dsl.ProducerType#MULTI}, whose claim moves the cursor before it waits for room) the
 * journaller's wait never times out, so a policy's time bound would never be applied. The barrier from
 * {@link #durableBarrier} tells the journaller about the ring, and the journaller then forces, whatever the
 * policy, at the end of a batch that leaves the ring full of unforced events (producers can publish nothing more
 * until a force), and, only under {@link io.ringwal.journal.ForcePolicy#never()}, when idle with unforced events
 * (nothing else would ever make them durable). In the normal case, a ring with room, this adds no force:
 * {@link #gateForces()} counts these forces. A barrier made directly from {@link #durableRingSequence()} does not
 * register the ring and can hang with a full ring; use {@link #durableBarrier}.
 *
 * <h2>Sequences</h2>
 * Every event is journaled, in ring order, so an event's journal sequence is its ring sequence plus a fixed
 * offset ({@link #journalSequence(long)}).
 *
 * <h2>Restart</h2>
 * After a restart, business logic restored from a snapshot catches up through the ring itself:
 * {@link #replay(RingBuffer, long, JournalDeserializer)} publishes the journal's records after the snapshot's
 * last applied sequence, which the journaller passes on without journaling them again, and live events then
 * continue with the next journal sequence.
 *
 * <h2>Lifecycle and threads</h2>
 * {@link #open} opens (recovering) the journal and takes its lock on the calling thread; the Disruptor's thread
 * start hands the writer over to the handler's thread, which is the only one to use it afterwards, and
 * {@link #onShutdown()} forces and closes it there when the Disruptor shuts down. {@link #close()} releases the
 * journal of a handler whose Disruptor never started (its lock, allocator thread and mapping); after a start it
 * never touches the writer from the calling thread (a {@link JournalWriter} is single-threaded) but waits for
 * {@code onShutdown}. {@code onTimeout} forces what a bounded policy says is due; give the Disruptor a timeout
 * wait strategy for that.
 *
 * <h2>Failure</h2>
 * Failures are fatal: an I/O error or a serializer exception stops the journal (logged once at ERROR), and this
 * handler then throws {@link JournalFailedException} for the failed event and for every later one. Keep the
 * Disruptor's default fatal exception handler for this stage: an exception handler that swallows would let the
 * processor skip the event, and stages behind it would see events that were never journaled. The stage behind a
 * failed journaller stops, so the ring fills and a producer in {@code ringBuffer.next()} would wait forever:
 * publish through {@link #next(RingBuffer)} or {@link #publishEvent(RingBuffer, EventTranslatorOneArg, Object)},
 * which wait for room only while the journaller is healthy and throw {@link JournalFailedException} once it
 * failed (or {@link JournalClosedException} once it closed). The handler does not drain and discard after a
 * failure: that would let the stages behind it see events that were never journaled.
 *
 * @param <T> the event type.
 */
public final class JournallingEventHandler<T> implements EventHandler<T>, AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(JournallingEventHandler.class.getName());
    private static final int NEW = 0;
    private static final int STARTED = 1;
    private static final int CLOSED = 2;
    private static final int NOT_REPLAYED = 0;
    private static final int REPLAYING = 1;
    private static final int REPLAYED = 2;
    private static final VarHandle STATE;
    private static final VarHandle REPLAY;
    private static final VarHandle REPLAY_PUBLISHED;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(JournallingEventHandler.class, "state", int.class);
            REPLAY = lookup.findVarHandle(JournallingEventHandler.class, "replay", int.class);
            REPLAY_PUBLISHED = lookup.findVarHandle(JournallingEventHandler.class, "replayPublished", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final JournalWriter journal;
    private final JournalSerializer<T> serializer;
    private final boolean neverForces;
    private final Sequence durableRingSequence = new Sequence(-1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile long sequenceOffset = Long.MIN_VALUE;
    private volatile Throwable failure;
    private volatile RingBuffer<?> gatedRing;
    private volatile long gateForces;
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state = NEW;
    @SuppressWarnings("unused") // accessed through REPLAY
    private volatile int replay = NOT_REPLAYED;
    /** Ring sequences below this were published by {@link #replay}: already in the journal, not journaled again. */
    private volatile long replayedSlots;
    /** The last ring sequence the replay itself published (release store before the ring's publish). */
    @SuppressWarnings("unused") // accessed through REPLAY_PUBLISHED
    private volatile long replayPublished = -1;
    /** The journal's next sequence when it was opened: the end of what a replay publishes. */
    private final long openedNextSequence;
    private long lastDurable;

    private JournallingEventHandler(final JournalWriter journal, final JournalSerializer<T> serializer)
    {
        this.journal = journal;
        this.serializer = serializer;
        this.neverForces = journal.config().forcePolicy().kind() == io.ringwal.journal.ForcePolicy.Kind.NEVER;
        this.lastDurable = journal.durableSequence();
        this.openedNextSequence = journal.nextSequence();
    }

    /**
     * Opens (recovering) the journal in {@code directory} for a journalling handler. The journal's lock is held
     * from here on: hand the handler to a Disruptor and start it, or {@link #close()} it.
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

    /**
     * A barrier for a stage that must see only durable events: it waits on the durable ring sequence (and on the
     * given sequences too), and it tells the journaller about the ring so that a ring full of unforced events is
     * forced instead of holding the producers forever (see the class comment). Call it before the Disruptor
     * starts.
     *
     * @param ring         the ring this handler consumes.
     * @param alsoWaitFor  further sequences the stage must wait for (for example another stage's), may be empty.
     * @return the barrier.
     */
    public SequenceBarrier durableBarrier(final RingBuffer<T> ring, final Sequence... alsoWaitFor)
    {
        Objects.requireNonNull(ring, "ring");
        gatedRing = ring;
        final Sequence[] sequences = new Sequence[alsoWaitFor.length + 1];
        sequences[0] = durableRingSequence;
        System.arraycopy(alsoWaitFor, 0, sequences, 1, alsoWaitFor.length);
        return ring.newBarrier(sequences);
    }

    /**
     * Restart replay: publishes the journal's records after a snapshot's sequence into the ring, so that the
     * handlers that process live events rebuild what the snapshot lacks, then lets live events go on with the next
     * journal sequence. Call it once, after {@code disruptor.start()} and before any live event, on the thread that
     * publishes afterwards (with {@link com.lmax.disruptor.dsl.ProducerType#SINGLE} the only one that may) or with a
     * happens-before edge to the live producers (which get {@link IllegalStateException} from
     * {@link #publishEvent} and {@link #next} meanwhile). The README has a complete example.
     *
     * <p>Ring sequence {@code r} carries journal sequence {@code lastApplied + 1 + r}, replayed or live
     * ({@link #journalSequence(long)}, {@link #isReplayed(long)}): nothing is skipped or repeated. The business
     * logic keeps {@code journalSequence(sequence)} of the last event it applied in its snapshot; {@code -1} replays
     * the whole journal. The journaller passes replayed events on without journaling them again, and a stage behind
     * {@link #durableBarrier} sees them at once: the journal's open cut any torn tail and forced what it kept, which
     * is where the replay ends. A skipped-sequence frame (written by a {@code JournalPipeline} whose translator
     * threw, never by this handler) gets a slot filled by {@link JournalDeserializer#readSkipped}, which by default
     * throws.
     *
     * <p>A snapshot beyond the journal's end or older than what retention kept fails before anything is published,
     * and the journaller stays usable ({@code replay} may be called again). A failure after that (a deserializer
     * that throws, a damaged segment, a raw publication into the ring meanwhile) fails the journaller for good, so
     * that the handlers behind it never see a partly filled or foreign slot.
     *
     * @param ring         the ring this handler consumes, started, with nothing published yet.
     * @param lastApplied  the journal sequence of the last event the snapshot holds applied, or -1 for none.
     * @param deserializer fills a ring event from a journal record.
     * @return the number of events replayed, ring sequences {@code 0} to this minus 1; all published, not
     *         necessarily processed yet.
     * @throws IllegalArgumentException if {@code lastApplied} is below -1.
     * @throws IllegalStateException    if replay was called already, or something was published before it.
     * @throws JournalException         if the journal does not hold every record after {@code lastApplied} (the
     *                                  message names both sequences), or the replay failed.
     * @throws JournalFailedException   if the journaller failed.
     * @throws JournalClosedException   if the journaller was closed.
     */
    public long replay(final RingBuffer<T> ring, final long lastApplied, final JournalDeserializer<T> deserializer)
    {
        Objects.requireNonNull(ring, "ring");
        Objects.requireNonNull(deserializer, "deserializer");
        if (lastApplied < -1)
        {
            throw new IllegalArgumentException("lastApplied=" + lastApplied + " must be a journal sequence, or -1 " +
                "when nothing was applied");
        }
        checkAccepting();
        if (!REPLAY.compareAndSet(this, NOT_REPLAYED, REPLAYING))
        {
            throw new IllegalStateException("journaller for " + journal.directory() + " was replayed already: " +
                "replay() runs once, before the first live event");
        }
        final long end = openedNextSequence;
        try
        {
            if (sequenceOffset != Long.MIN_VALUE || ring.getCursor() != RingBuffer.INITIAL_CURSOR_VALUE)
            {
                throw new IllegalStateException("journaller for " + journal.directory() + " cannot replay: ring " +
                    "cursor " + ring.getCursor() + " shows events published before replay(); replay first");
            }
            JournalReplay.checkRange(journal.directory(), journal.recoveryReport(), lastApplied, end);
        }
        catch (final RuntimeException ex)
        {
            REPLAY.setVolatile(this, NOT_REPLAYED);
            throw ex;
        }
        sequenceOffset = lastApplied + 1;
        replayedSlots = end - (lastApplied + 1);
        try
        {
            return new JournalReplay<>(this, ring, deserializer, lastApplied + 1, end).run();
        }
        catch (final RuntimeException | Error ex)
        {
            fail(ex);
            throw ex;
        }
        finally
        {
            REPLAY.setVolatile(this, REPLAYED);
        }
    }

    /**
     * Called by the replay for each slot it fills, before it publishes the slot: the journaller passes on only
     * those.
     */
    void replayPublishing(final long ringSequence)
    {
        REPLAY_PUBLISHED.setRelease(this, ringSequence);
    }

    /**
     * Whether the event at a ring sequence was published by {@link #replay} (it was journaled before the restart)
     * rather than live. Call it from a handler of this ring: business logic with side effects outside its state
     * skips them for replayed events.
     *
     * @param ringSequence the ring sequence.
     * @return true for a replayed event.
     */
    public boolean isReplayed(final long ringSequence)
    {
        return ringSequence < replayedSlots;
    }

    @Override
    public void onStart()
    {
        if (!STATE.compareAndSet(this, NEW, STARTED))
        {
            fail(new JournalClosedException("journaller for " + journal.directory() + " was closed before its " +
                "Disruptor started; nothing is journaled"));
        }
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
        if (sequence < replayedSlots)
        {
            if (sequence > (long)REPLAY_PUBLISHED.getAcquire(this))
            {
                final IllegalStateException interloper = new IllegalStateException("ring sequence " + sequence +
                    " was published during the replay of " + journal.directory() + " by something other than the " +
                    "replay; publish live events only after replay() returned");
                fail(interloper);
                throw new JournalFailedException("journaller for " + journal.directory() + " failed; event at " +
                    "ring sequence " + sequence + " was not journaled", interloper);
            }
            // published by replay(): already in the journal (and forced by its recovery)
            if (endOfBatch || sequence == replayedSlots - 1)
            {
                durableRingSequence.set(sequence);
            }
            return;
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
                forceIfGateHoldsRing(sequence);
                advanceDurable();
            }
        }
        catch (final RuntimeException | Error ex)
        {
            fail(ex);
            throw new JournalFailedException("journaller for " + journal.directory() + " failed at ring sequence " +
                sequence + "; nothing from there on is journaled", ex);
        }
    }

    /**
     * At a batch end: if a durable gate is registered and every slot of the ring holds an event that is written
     * but not forced, no producer can publish until a force, so force now.
     */
    private void forceIfGateHoldsRing(final long ringSequence)
    {
        final RingBuffer<?> ring = gatedRing;
        if (ring != null && ringSequence - (journal.durableSequence() - sequenceOffset) >= ring.getBufferSize())
        {
            journal.force();
            gateForces = gateForces + 1; // single writer: the handler's thread
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
     * strategy times out); under {@link io.ringwal.journal.ForcePolicy#never()} with a durable gate, forces what
     * is unforced, since nothing else would let the gated stage advance.
     */
    @Override
    public void onTimeout(final long sequence)
    {
        if (failure == null && sequenceOffset != Long.MIN_VALUE)
        {
            try
            {
                if (neverForces && gatedRing != null)
                {
                    if (journal.durableSequence() < journal.writtenSequence())
                    {
                        journal.force();
                        gateForces = gateForces + 1;
                    }
                }
                else
                {
                    journal.forceIfDue();
                }
                advanceDurable();
            }
            catch (final RuntimeException ex)
            {
                fail(ex);
            }
        }
    }

    void fail(final Throwable cause)
    {
        if (failure == null)
        {
            failure = cause;
            LOG.log(System.Logger.Level.ERROR, "journaller for " + journal.directory() + " failed; nothing from " +
                "here on is journaled and producers using next()/publishEvent() get a JournalFailedException", cause);
        }
    }

    /**
     * Forces and closes the journal, on the handler's thread, when the Disruptor shuts down (also after a fatal
     * failure, when the Disruptor's processor stops).
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
            fail(ex);
        }
        finally
        {
            closeJournal();
        }
    }

    private void closeJournal()
    {
        try
        {
            journal.close();
        }
        catch (final RuntimeException ex)
        {
            fail(ex);
        }
        finally
        {
            STATE.setVolatile(this, CLOSED);
            closed.countDown();
        }
    }

    /**
     * Releases the journal. If the Disruptor never started this handler, closes the journal now, on the calling
     * thread (releasing its lock, allocator thread and mapping); a handler started later fails with
     * {@link JournalClosedException}. If it did start, the journal belongs to the handler's thread and is closed
     * by {@link #onShutdown()}: this waits (up to 30 s) for that, after the Disruptor was shut down or halted, and
     * never closes the writer from this thread. Idempotent.
     *
     * @throws IllegalStateException if the handler is running and its Disruptor does not shut it down within
     *                               30 s.
     */
    @Override
    public void close()
    {
        if (STATE.compareAndSet(this, NEW, CLOSED))
        {
            closeJournal();
            return;
        }
        boolean interrupted = false;
        try
        {
            while (true)
            {
                try
                {
                    if (!closed.await(30, TimeUnit.SECONDS))
                    {
                        throw new IllegalStateException("journaller for " + journal.directory() + " is still " +
                            "running: shut down or halt its Disruptor before closing it");
                    }
                    return;
                }
                catch (final InterruptedException ex)
                {
                    interrupted = true;
                }
            }
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Claims the next ring sequence for a producer, waiting while the ring is full as {@code ringBuffer.next()}
     * does, but only while this journaller is healthy: once it failed (the stage behind it then stops and the
     * ring stays full) this throws instead of waiting forever. Publish the claimed sequence as usual. Allocates
     * nothing.
     *
     * @param ring the ring this handler consumes.
     * @return the claimed sequence.
     * @throws JournalFailedException if the journaller failed.
     * @throws JournalClosedException if the journaller was closed.
     */
    public long next(final RingBuffer<T> ring)
    {
        while (true)
        {
            checkAccepting();
            try
            {
                return ring.tryNext();
            }
            catch (final InsufficientCapacityException full)
            {
                LockSupport.parkNanos(1);
            }
        }
    }

    /**
     * Publishes an event through {@link #next(RingBuffer)}: claims a slot (throwing rather than waiting forever
     * after a journaller failure), lets the translator fill it and publishes it.
     *
     * @param ring       the ring this handler consumes.
     * @param translator fills the event.
     * @param arg        passed to the translator.
     * @param <A>        the argument type.
     * @throws JournalFailedException if the journaller failed (nothing was claimed).
     * @throws JournalClosedException if the journaller was closed (nothing was claimed).
     */
    public <A> void publishEvent(final RingBuffer<T> ring, final EventTranslatorOneArg<T, A> translator, final A arg)
    {
        final long sequence = next(ring);
        try
        {
            translator.translateTo(ring.get(sequence), sequence, arg);
        }
        finally
        {
            ring.publish(sequence);
        }
    }

    private void checkAccepting()
    {
        final Throwable failed = failure;
        if (failed != null)
        {
            throw new JournalFailedException("journaller for " + journal.directory() + " failed: " +
                failed.getMessage(), failed);
        }
        if ((int)STATE.getVolatile(this) == CLOSED)
        {
            throw new JournalClosedException("journaller for " + journal.directory() + " is closed");
        }
        if ((int)REPLAY.getVolatile(this) == REPLAYING)
        {
            throw new IllegalStateException("journaller for " + journal.directory() + " is replaying its journal: " +
                "publish live events only after replay() returned");
        }
    }

    /**
     * Waits until {@link #onShutdown()} (or {@link #close()} before a start) closed the journal
     * ({@code Disruptor.shutdown} halts the processors but does not wait for their threads).
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
     * The ring sequence up to which events are durable (forced). Gate a stage on it through
     * {@link #durableBarrier(RingBuffer, Sequence...)}, which also registers the ring (see the class comment).
     *
     * @return the sequence, -1 until something is durable.
     */
    public Sequence durableRingSequence()
    {
        return durableRingSequence;
    }

    /**
     * Forces made because a durable gate held a full ring, or under {@code never} an idle one (see the class
     * comment); zero while the ring has room. Safe from any thread.
     *
     * @return the count.
     */
    public long gateForces()
    {
        return gateForces;
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
