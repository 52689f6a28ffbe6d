package io.ringwal.disruptor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.agrona.DirectBuffer;
import org.agrona.LangUtil;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.LiteTimeoutBlockingWaitStrategy;
import com.lmax.disruptor.PhasedBackoffWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutBlockingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.dsl.ProducerType;

import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalClosedException;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalFailedException;
import io.ringwal.journal.JournalWriter;

/**
 * An LMAX Disruptor ring buffer in front of a {@link JournalWriter}: many threads publish records into
 * preallocated ring slots, and one writer thread appends them to the journal in ring order, ending each batch
 * with the journal's group commit ({@link JournalWriter#endOfBatch()}), so one force covers the whole batch.
 *
 * <h2>Sequences</h2>
 * Every publish returns the record's journal sequence without waiting for the writer. The writer appends every
 * published slot, in ring order, never skipping one, so a record's journal sequence is its ring sequence plus a
 * fixed offset (the journal's next sequence at {@link #start()}); the writer checks this for every record and
 * fails the pipeline if it ever breaks. A record that is refused (too large, pipeline closed or failed) is
 * refused before a slot is claimed. A {@link RecordTranslator} that throws after its slot was claimed leaves no
 * record under that sequence: the slot must still be published, and the writer consumes its sequence with a
 * skipped-sequence frame ({@link JournalWriter#skip()}) that readers and replay pass over, so it cannot be taken
 * for a real empty record.
 *
 * <h2>Durability</h2>
 * {@link #durableSequence()} is the highest journal sequence known to be forced to the storage device; it
 * advances only after a real force, on the writer thread, after batch ends, idle timeouts, rotations and close.
 * Under {@link ForcePolicy#never()} nothing is forced except at segment rotation and at close, so "durable"
 * keeps its meaning (forced) and advances only then; a record that has been written
 * ({@link #writtenSequence()}) is in the page cache and survives a crash of this process, not of the machine.
 *
 * <h2>Written notification</h2>
 * {@link #awaitWritten(long)} and a {@link WrittenListener} (builder) report the written watermark, the one to
 * wait for under {@link ForcePolicy#never()}; the writer wakes written-waiters once per batch, apart from the
 * durable waiters.
 *
 * <h2>JVM exit</h2>
 * The writer thread is a daemon (a pipeline that is never closed must not keep the JVM alive), so {@link #start()}
 * registers a JVM shutdown hook: when the JVM exits normally without {@link #close()} ({@code main} returned,
 * {@code System.exit}, SIGTERM, SIGINT), the hook stops accepting, lets the writer drain everything published,
 * force it and close the journal, and waits for that at most
 * {@link JournalPipelineBuilder#shutdownDrainTimeout(long, TimeUnit)} (default 10 s; zero: no hook). A record
 * whose {@code publish} returned before the exit began is then journaled and durable. {@link #close()} removes the
 * hook. What an exit still loses: under {@code kill -9} (or a JVM crash, or {@code Runtime.halt}) no hook runs,
 * and the records still in the ring, published but not yet written, are lost (written ones survive in the page
 * cache, forced ones a power loss too); a publish racing with the exit may be refused with
 * {@link JournalClosedException}; a drain longer than the bound is cut off by the JVM's exit (logged at ERROR).
 *
 * <h2>Idle forcing</h2>
 * A bounded force policy must force even when no batch comes. The writer does so from the Disruptor's
 * {@code onTimeout} callback, which fires when the wait strategy times out; the default wait strategy is a
 * {@link LiteTimeoutBlockingWaitStrategy} whose timeout is a quarter of the policy's time bound (reached after the
 * default strategy's spin and yield phases, see {@link JournalPipelineBuilder#defaultWaitStrategy}).
 *
 * <h2>Failure</h2>
 * An I/O error in the writer (a failed force or allocation, a full disk) fails the pipeline for good: the writer
 * stops writing (a journal never skips a record and carries on), stops gating the ring so no producer stays
 * blocked, and closes the journal; every waiter and every later publish gets a {@link JournalFailedException}
 * carrying the cause. {@link #close()} still returns.
 *
 * <h2>Threads</h2>
 * Publishing, awaiting and reading state are safe from any thread (with {@link ProducerType#SINGLE}, publishing
 * only from one). Publishing allocates nothing and takes no lock; when the ring is full {@code publish} waits for
 * the writer (the Disruptor's claim spins with 1 ns parks) and {@code tryPublish} returns {@link #RING_FULL};
 * both are counted.
 */
public final class JournalPipeline implements AutoCloseable
{
    /** Returned by a {@code tryPublish} method when the ring is full; a journal sequence is never negative. */
    public static final long RING_FULL = -1;

    static final int NEW = 0;
    static final int RUNNING = 1;
    static final int CLOSING = 2;
    static final int CLOSED = 3;
    static final long UNKNOWN = Long.MIN_VALUE;

    private static final System.Logger LOG = System.getLogger(JournalPipeline.class.getName());
    private static final int SPINS = 200;
    private static final long POLL_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final VarHandle STATE;
    private static final VarHandle STOP_RING_SEQUENCE;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(JournalPipeline.class, "state", int.class);
            STOP_RING_SEQUENCE = lookup.findVarHandle(JournalPipeline.class, "stopRingSequence", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final Path directory;
    private final JournalConfig config;
    private final int maxRecordSize;
    private final int maxBatchSize;
    private final ThreadFactory threadFactory;
    private final DurabilityListener listener;
    private final Framing framing;
    private final RingBuffer<RecordSlot> ringBuffer;
    private final PipelineCounters counters = new PipelineCounters();
    private final DurableWaiters waiters;
    private final DurableWaiters writtenWaiters;
    private final WrittenListener writtenListener;
    private final long shutdownDrainNanos;
    private Thread shutdownHook;
    private final CountDownLatch writerStopped = new CountDownLatch(1);

    private BatchEventProcessor<RecordSlot> processor;
    private Thread writerThread;
    private volatile JournalWriter journal;
    private long sequenceOffset;
    private volatile Throwable failure;
    private boolean publishCountersFile = true;

    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state = NEW;
    /** Written after each force, read by every producer that waits: padded, away from state and sequenceOffset. */
    private final com.lmax.disruptor.Sequence durableSequence = new com.lmax.disruptor.Sequence(-1);
    @SuppressWarnings("unused") // accessed through STOP_RING_SEQUENCE
    private volatile long stopRingSequence = UNKNOWN;

    JournalPipeline(
        final Path directory,
        final JournalConfig config,
        final int ringSize,
        final ProducerType producerType,
        final WaitStrategy waitStrategy,
        final int maxRecordSize,
        final int maxBatchSize,
        final ThreadFactory threadFactory,
        final DurabilityListener listener,
        final int maxParkedWaiters,
        final Framing framing,
        final WrittenListener writtenListener,
        final long shutdownDrainNanos)
    {
        this.writtenListener = writtenListener;
        this.shutdownDrainNanos = shutdownDrainNanos;
        this.writtenWaiters = new DurableWaiters(maxParkedWaiters);
        this.directory = directory;
        this.config = config;
        this.maxRecordSize = maxRecordSize;
        this.maxBatchSize = maxBatchSize;
        this.threadFactory = threadFactory;
        this.listener = listener;
        this.framing = framing;
        this.waiters = new DurableWaiters(maxParkedWaiters);
        final RecordSlot[] slots = RecordSlot.allocate(ringSize, maxRecordSize);
        final int[] next = new int[1];
        this.ringBuffer = RingBuffer.create(producerType, () -> slots[next[0]++], ringSize, waitStrategy);
        if (config.forcePolicy().kind() == ForcePolicy.Kind.BOUNDED &&
            !(waitStrategy instanceof LiteTimeoutBlockingWaitStrategy) &&
            !(waitStrategy instanceof TimeoutBlockingWaitStrategy) &&
            !(waitStrategy instanceof PhasedBackoffWaitStrategy))
        {
            LOG.log(System.Logger.Level.WARNING, "journal pipeline " + directory + ": force policy " +
                config.forcePolicy() + " has a time bound but wait strategy " + waitStrategy +
                " may never time out; the bound then holds only while records keep arriving");
        }
    }

    /**
     * Starts building a pipeline for the journal in {@code directory}.
     *
     * @param directory the journal directory.
     * @return the builder.
     */
    public static JournalPipelineBuilder builder(final Path directory)
    {
        io.ringwal.journal.AgronaAccess.check();
        return new JournalPipelineBuilder(directory);
    }

    /**
     * Opens the journal (recovering it) on the calling thread, hands it to a new writer thread and starts
     * accepting records.
     *
     * @return this pipeline.
     * @throws IllegalStateException if already started or closed.
     * @throws io.ringwal.journal.JournalException if the journal cannot be opened.
     */
    public synchronized JournalPipeline start()
    {
        if ((int)STATE.getVolatile(this) != NEW || journal != null)
        {
            throw new IllegalStateException("journal pipeline " + directory + " was already started or closed");
        }
        final JournalWriter writer = JournalWriter.open(directory, config);
        try
        {
            sequenceOffset = writer.nextSequence();
            durableSequence.setVolatile(writer.durableSequence());
            // every advance of the watermark, on the thread that completed the force (the force thread when pipelined)
            writer.durabilityListener(this::durableAdvanced);
            writer.failureListener(this::failed);
            final WriterStage stage = new WriterStage(this, writer, ringBuffer, sequenceOffset, framing);
            processor = new BatchEventProcessorBuilder().setMaxBatchSize(maxBatchSize)
                .build(ringBuffer, ringBuffer.newBarrier(), stage);
            processor.setExceptionHandler(stage);
            ringBuffer.addGatingSequences(processor.getSequence());
            writerThread = threadFactory.newThread(processor);
            journal = writer;
            if (!STATE.compareAndSet(this, NEW, RUNNING))
            {
                throw new JournalClosedException("journal pipeline " + directory + " was closed while starting");
            }
        }
        catch (final RuntimeException | Error ex)
        {
            STATE.setVolatile(this, CLOSED);
            writerStopped.countDown();
            writer.close();
            throw ex;
        }
        writerThread.start();
        registerShutdownHook();
        return this;
    }

    private void registerShutdownHook()
    {
        if (shutdownDrainNanos <= 0)
        {
            return;
        }
        final Thread hook = new Thread(this::closeAtExit, "ringwal-shutdown-" + directory.getFileName());
        try
        {
            Runtime.getRuntime().addShutdownHook(hook);
            shutdownHook = hook;
        }
        catch (final IllegalStateException shuttingDown)
        {
            LOG.log(System.Logger.Level.WARNING, "journal pipeline " + directory + " started while the JVM shuts " +
                "down: no shutdown hook, close it yourself");
        }
    }

    /**
     * The shutdown hook: the JVM is exiting without {@link #close()}. Stops accepting, lets the writer drain the
     * ring, force and close the journal, and waits for that at most the configured bound.
     */
    private void closeAtExit()
    {
        requestClose();
        try
        {
            if (writerStopped.await(shutdownDrainNanos, TimeUnit.NANOSECONDS))
            {
                STATE.setVolatile(this, CLOSED);
                return;
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        LOG.log(System.Logger.Level.ERROR, "journal pipeline " + directory + " was not closed before the JVM exit " +
            "and its writer did not finish draining within " + TimeUnit.NANOSECONDS.toMillis(shutdownDrainNanos) +
            " ms: records after journal sequence " + writtenSequence() + " that were published may be lost");
    }

    private void removeShutdownHook()
    {
        final Thread hook;
        synchronized (this)
        {
            hook = shutdownHook;
            shutdownHook = null;
        }
        if (hook != null && hook != Thread.currentThread())
        {
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException shuttingDown)
            {
                // the JVM is exiting: the hook runs (or ran) and finds the pipeline closed
            }
        }
    }

    /**
     * Publishes a record copied from a buffer, waiting (per the Disruptor's claim) while the ring is full.
     *
     * @param source the bytes.
     * @param offset where the record starts.
     * @param length the record length, at most {@link #maxRecordSize()}.
     * @return the record's journal sequence.
     * @throws IllegalArgumentException if the length exceeds the maximum or the range is outside the source;
     *                                  nothing is claimed.
     * @throws JournalFailedException   if the pipeline failed.
     * @throws JournalClosedException   if the pipeline is closed (or closed before this record was accepted).
     * @throws IllegalStateException    if the pipeline was not started.
     */
    public long publish(final DirectBuffer source, final int offset, final int length)
    {
        checkRange(source.capacity(), offset, length);
        checkAccepting();
        final long ringSequence = claim();
        final RecordSlot slot = ringBuffer.get(ringSequence);
        slot.payload.putBytes(0, source, offset, length);
        slot.length = length;
        return commit(slot, ringSequence);
    }

    /**
     * Publishes a record copied from a byte array, waiting while the ring is full.
     *
     * @param source the bytes.
     * @param offset where the record starts.
     * @param length the record length, at most {@link #maxRecordSize()}.
     * @return the record's journal sequence.
     * @throws IllegalArgumentException if the length exceeds the maximum or the range is outside the source;
     *                                  nothing is claimed.
     * @throws JournalFailedException   if the pipeline failed.
     * @throws JournalClosedException   if the pipeline is closed (or closed before this record was accepted).
     * @throws IllegalStateException    if the pipeline was not started.
     */
    public long publish(final byte[] source, final int offset, final int length)
    {
        checkRange(source.length, offset, length);
        checkAccepting();
        final long ringSequence = claim();
        final RecordSlot slot = ringBuffer.get(ringSequence);
        slot.payload.putBytes(0, source, offset, length);
        slot.length = length;
        return commit(slot, ringSequence);
    }

    /**
     * Publishes a record copied from the remaining bytes of a buffer (its position is not changed), waiting while
     * the ring is full.
     *
     * @param source the bytes, from position to limit.
     * @return the record's journal sequence.
     * @throws IllegalArgumentException if the length exceeds the maximum; nothing is claimed.
     * @throws JournalFailedException   if the pipeline failed.
     * @throws JournalClosedException   if the pipeline is closed (or closed before this record was accepted).
     * @throws IllegalStateException    if the pipeline was not started.
     */
    public long publish(final ByteBuffer source)
    {
        final int length = source.remaining();
        checkRange(source.capacity(), source.position(), length);
        checkAccepting();
        final long ringSequence = claim();
        final RecordSlot slot = ringBuffer.get(ringSequence);
        slot.payload.putBytes(0, source, source.position(), length);
        slot.length = length;
        return commit(slot, ringSequence);
    }

    /**
     * Publishes a record that {@code translator} writes straight into the claimed slot, waiting while the ring is
     * full. If the translator throws, or returns a length outside {@code [0, maxRecordSize]}, the slot is still
     * published, so that sequences stay contiguous, but the writer journals a skipped-sequence frame for it (no
     * record: readers deliver nothing for that sequence), and the exception propagates.
     *
     * @param translator writes the record.
     * @param arg        passed to the translator.
     * @param <A>        the argument type.
     * @return the record's journal sequence.
     * @throws JournalFailedException if the pipeline failed.
     * @throws JournalClosedException if the pipeline is closed (or closed before this record was accepted).
     * @throws IllegalStateException  if the pipeline was not started.
     */
    public <A> long publish(final RecordTranslator<A> translator, final A arg)
    {
        Objects.requireNonNull(translator, "translator");
        checkAccepting();
        return translate(translator, arg, claim());
    }

    /**
     * Like {@link #publish(DirectBuffer, int, int)}, but returns {@link #RING_FULL} instead of waiting.
     *
     * @param source the bytes.
     * @param offset where the record starts.
     * @param length the record length.
     * @return the record's journal sequence, or {@link #RING_FULL}.
     */
    public long tryPublish(final DirectBuffer source, final int offset, final int length)
    {
        checkRange(source.capacity(), offset, length);
        checkAccepting();
        final long ringSequence = tryClaim();
        if (ringSequence < 0)
        {
            return RING_FULL;
        }
        final RecordSlot slot = ringBuffer.get(ringSequence);
        slot.payload.putBytes(0, source, offset, length);
        slot.length = length;
        return commit(slot, ringSequence);
    }

    /**
     * Like {@link #publish(byte[], int, int)}, but returns {@link #RING_FULL} instead of waiting.
     *
     * @param source the bytes.
     * @param offset where the record starts.
     * @param length the record length.
     * @return the record's journal sequence, or {@link #RING_FULL}.
     */
    public long tryPublish(final byte[] source, final int offset, final int length)
    {
        checkRange(source.length, offset, length);
        checkAccepting();
        final long ringSequence = tryClaim();
        if (ringSequence < 0)
        {
            return RING_FULL;
        }
        final RecordSlot slot = ringBuffer.get(ringSequence);
        slot.payload.putBytes(0, source, offset, length);
        slot.length = length;
        return commit(slot, ringSequence);
    }

    /**
     * Like {@link #publish(ByteBuffer)}, but returns {@link #RING_FULL} instead of waiting.
     *
     * @param source the bytes, from position to limit.
     * @return the record's journal sequence, or {@link #RING_FULL}.
     */
    public long tryPublish(final ByteBuffer source)
    {
        final int length = source.remaining();
        checkRange(source.capacity(), source.position(), length);
        checkAccepting();
        final long ringSequence = tryClaim();
        if (ringSequence < 0)
        {
            return RING_FULL;
        }
        final RecordSlot slot = ringBuffer.get(ringSequence);
        slot.payload.putBytes(0, source, source.position(), length);
        slot.length = length;
        return commit(slot, ringSequence);
    }

    /**
     * Like {@link #publish(RecordTranslator, Object)}, but returns {@link #RING_FULL} instead of waiting (the
     * translator is then not called).
     *
     * @param translator writes the record.
     * @param arg        passed to the translator.
     * @param <A>        the argument type.
     * @return the record's journal sequence, or {@link #RING_FULL}.
     */
    public <A> long tryPublish(final RecordTranslator<A> translator, final A arg)
    {
        Objects.requireNonNull(translator, "translator");
        checkAccepting();
        final long ringSequence = tryClaim();
        if (ringSequence < 0)
        {
            return RING_FULL;
        }
        return translate(translator, arg, ringSequence);
    }

    private <A> long translate(final RecordTranslator<A> translator, final A arg, final long ringSequence)
    {
        final RecordSlot slot = ringBuffer.get(ringSequence);
        int length = 0;
        Throwable error = null;
        try
        {
            length = translator.translateTo(slot.payload, arg);
            if (length < 0 || length > maxRecordSize)
            {
                error = new IllegalArgumentException("translator " + translator + " returned length " + length +
                    ", outside [0, maxRecordSize=" + maxRecordSize + "]; its sequence was journaled as skipped, " +
                    "without a record");
                length = 0;
            }
        }
        catch (final Throwable ex)
        {
            error = ex;
            length = 0;
        }
        slot.length = length;
        slot.skipped = error != null;
        final long sequence = commit(slot, ringSequence);
        if (error != null)
        {
            LangUtil.rethrowUnchecked(error);
        }
        return sequence;
    }

    private void checkRange(final int capacity, final int offset, final int length)
    {
        if (length < 0 || length > maxRecordSize)
        {
            throw new IllegalArgumentException("record length " + length + " is outside [0, maxRecordSize=" +
                maxRecordSize + "] of journal pipeline " + directory + "; nothing was published");
        }
        if (offset < 0 || (long)offset + length > capacity)
        {
            throw new IllegalArgumentException("offset=" + offset + " length=" + length +
                " is outside the source of capacity " + capacity);
        }
    }

    private void checkAccepting()
    {
        final int state = (int)STATE.getVolatile(this);
        if (state != RUNNING || failure != null)
        {
            throw notAccepting(state);
        }
    }

    private RuntimeException notAccepting(final int state)
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

    private long claim()
    {
        try
        {
            return ringBuffer.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            counters.publishFoundRingFull();
            return ringBuffer.next();
        }
    }

    private long tryClaim()
    {
        try
        {
            return ringBuffer.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            counters.tryPublishFoundRingFull();
            return -1;
        }
    }

    /**
     * Publishes a filled slot, then decides whether the record is accepted. The full fence after the publish
     * pairs with the one the writer issues between seeing the close request and reading the ring cursor to fix
     * the last sequence it drains: if this thread still sees the pipeline running, the writer's cursor read sees
     * this slot, so the record is drained before close completes.
     */
    private long commit(final RecordSlot slot, final long ringSequence)
    {
        final long sequence = ringSequence + sequenceOffset;
        if (framing == Framing.PRODUCER)
        {
            slot.buildFrame(sequence);
        }
        ringBuffer.publish(ringSequence);
        VarHandle.fullFence();
        final int state = (int)STATE.getVolatile(this);
        if (state == RUNNING && failure == null)
        {
            return sequence;
        }
        return afterPublishWhileStopping(ringSequence, sequence, state);
    }

    private long afterPublishWhileStopping(final long ringSequence, final long sequence, final int state)
    {
        long stop;
        while (true)
        {
            if (failure != null)
            {
                if (sequence <= durableSequence())
                {
                    return sequence;
                }
                throw notAccepting(state);
            }
            stop = (long)STOP_RING_SEQUENCE.getVolatile(this);
            if (stop != UNKNOWN)
            {
                break;
            }
            Thread.yield();
        }
        if (ringSequence <= stop)
        {
            return sequence;
        }
        throw notAccepting(state == RUNNING ? CLOSING : state);
    }

    /**
     * Whether the record with this journal sequence is durable (forced to the storage device).
     *
     * @param sequence the journal sequence.
     * @return true if durable.
     */
    public boolean isDurable(final long sequence)
    {
        return sequence <= durableSequence();
    }

    /**
     * The durable watermark: every record up to this journal sequence was forced to the storage device; -1 if
     * none. Never runs ahead of a real force. Safe from any thread, never blocks.
     *
     * @return the durable sequence.
     */
    public long durableSequence()
    {
        return durableSequence.get();
    }

    /**
     * The written watermark: every record up to this journal sequence is in the journal's mapped segment (visible
     * to readers and safe from a crash of this process, not of the machine unless also durable); -1 if none. Safe
     * from any thread, never blocks; {@link #awaitWritten(long)} waits for it.
     *
     * @return the written sequence.
     */
    public long writtenSequence()
    {
        final JournalWriter writer = journal;
        return writer != null ? writer.writtenSequence() : -1;
    }

    /**
     * Waits until the record with this journal sequence is durable. Spins briefly, then parks until the writer
     * wakes it; allocates nothing.
     *
     * @param sequence the journal sequence (as returned by publish).
     * @throws InterruptedException   if interrupted while waiting.
     * @throws JournalFailedException if the pipeline failed before the record became durable.
     * @throws JournalClosedException if the pipeline closed and the record never became durable (it was never
     *                                accepted).
     */
    public void awaitDurable(final long sequence) throws InterruptedException
    {
        await(sequence, Long.MAX_VALUE);
    }

    /**
     * Waits, at most for the timeout, until the record with this journal sequence is durable.
     *
     * @param sequence the journal sequence (as returned by publish).
     * @param timeout  the longest wait.
     * @param unit     its unit.
     * @return true if durable, false if the timeout passed first.
     * @throws InterruptedException   if interrupted while waiting.
     * @throws JournalFailedException if the pipeline failed before the record became durable.
     * @throws JournalClosedException if the pipeline closed and the record never became durable.
     */
    public boolean awaitDurable(final long sequence, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        return await(sequence, Math.max(0, unit.toNanos(timeout)));
    }

    /**
     * Waits until the record with this journal sequence is written (in the mapped segment: visible to readers,
     * safe from a crash of this process; see {@link #writtenSequence()}), the notification to use under
     * {@link ForcePolicy#never()}. Spins briefly, then parks until the writer wakes it at the end of the batch;
     * allocates nothing.
     *
     * @param sequence the journal sequence (as returned by publish).
     * @throws InterruptedException   if interrupted while waiting.
     * @throws JournalFailedException if the pipeline failed before the record was written.
     * @throws JournalClosedException if the pipeline closed and the record was never written.
     */
    public void awaitWritten(final long sequence) throws InterruptedException
    {
        await(sequence, Long.MAX_VALUE, true);
    }

    /**
     * Waits, at most for the timeout, until the record with this journal sequence is written.
     *
     * @param sequence the journal sequence (as returned by publish).
     * @param timeout  the longest wait.
     * @param unit     its unit.
     * @return true if written, false if the timeout passed first.
     * @throws InterruptedException   if interrupted while waiting.
     * @throws JournalFailedException if the pipeline failed before the record was written.
     * @throws JournalClosedException if the pipeline closed and the record was never written.
     */
    public boolean awaitWritten(final long sequence, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        return await(sequence, Math.max(0, unit.toNanos(timeout)), true);
    }

    private boolean await(final long sequence, final long timeoutNanos) throws InterruptedException
    {
        return await(sequence, timeoutNanos, false);
    }

    private boolean await(final long sequence, final long timeoutNanos, final boolean written)
        throws InterruptedException
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
        final DurableWaiters parked = written ? writtenWaiters : waiters;
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
        return written ? isWritten(sequence) : isDone(sequence);
    }

    private boolean isWritten(final long sequence)
    {
        final long writtenUpTo = writtenSequence();
        if (sequence <= writtenUpTo)
        {
            return true;
        }
        final Throwable failed = failure;
        if (failed != null)
        {
            throw new JournalFailedException("journal pipeline " + directory + " failed before sequence " +
                sequence + " was written (written up to " + writtenUpTo + "): " + failed.getMessage(), failed);
        }
        if ((int)STATE.getVolatile(this) == CLOSED && sequence > writtenSequence())
        {
            throw new JournalClosedException("journal pipeline " + directory + " is closed and sequence " +
                sequence + " was never written (written up to " + writtenSequence() + ")");
        }
        return false;
    }

    private boolean isDone(final long sequence)
    {
        if (sequence <= durableSequence())
        {
            return true;
        }
        final Throwable failed = failure;
        if (failed != null)
        {
            throw new JournalFailedException("journal pipeline " + directory + " failed before sequence " +
                sequence + " became durable (durable up to " + durableSequence() + "): " + failed.getMessage(),
                failed);
        }
        if ((int)STATE.getVolatile(this) == CLOSED && sequence > durableSequence())
        {
            throw new JournalClosedException("journal pipeline " + directory + " is closed and sequence " +
                sequence + " was never made durable (durable up to " + durableSequence() + ")");
        }
        return false;
    }

    /**
     * Stops accepting records, drains everything already published into the journal, forces it, closes the
     * journal and releases every waiter. Idempotent and safe from any thread: a call from another thread returns
     * when all that is done; a call from the writer thread itself (a {@link DurabilityListener}) only starts it.
     * Returns normally even when the pipeline failed ({@link #failure()} tells).
     */
    @Override
    public void close()
    {
        if (!requestClose())
        {
            return;
        }
        final Thread writer = writerThread;
        if (writer == null || writer == Thread.currentThread())
        {
            return;
        }
        boolean interrupted = false;
        while (true)
        {
            try
            {
                writerStopped.await();
                break;
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        STATE.setVolatile(this, CLOSED);
        waiters.wakeAll();
        writtenWaiters.wakeAll();
        removeShutdownHook();
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops accepting and tells the writer to drain and stop.
     *
     * @return false if the pipeline was never started (it is now closed), true otherwise.
     */
    private boolean requestClose()
    {
        while (true)
        {
            final int state = (int)STATE.getVolatile(this);
            if (state == NEW)
            {
                if (STATE.compareAndSet(this, NEW, CLOSED))
                {
                    writerStopped.countDown();
                    waiters.wakeAll();
                    writtenWaiters.wakeAll();
                    return false;
                }
            }
            else if (state == RUNNING)
            {
                if (STATE.compareAndSet(this, RUNNING, CLOSING))
                {
                    VarHandle.fullFence();
                    processor.halt();
                    return true;
                }
            }
            else
            {
                return true;
            }
        }
    }

    /**
     * Whether {@link #close()} completed (everything drained and the journal closed).
     *
     * @return true once closed.
     */
    public boolean isClosed()
    {
        return (int)STATE.getVolatile(this) == CLOSED;
    }

    /**
     * The failure that stopped the writer, or null. Safe from any thread.
     *
     * @return the failure.
     */
    public Throwable failure()
    {
        return failure;
    }

    /**
     * The counters, readable from any thread.
     *
     * @return the counters.
     */
    public PipelineCounters counters()
    {
        return counters;
    }

    /**
     * Ring slots claimed by producers but not yet taken by the writer. Safe from any thread; a moment's value.
     *
     * @return the number of slots in use, 0 before start.
     */
    public long ringFill()
    {
        if (journal == null) // volatile, written after the processor: a non-null journal makes the processor visible
        {
            return 0;
        }
        return Math.max(0, ringBuffer.getCursor() - processor.getSequence().get());
    }

    /**
     * The largest record accepted.
     *
     * @return bytes.
     */
    public int maxRecordSize()
    {
        return maxRecordSize;
    }

    /**
     * The number of ring slots.
     *
     * @return the ring size.
     */
    public int ringSize()
    {
        return ringBuffer.getBufferSize();
    }

    /**
     * The journal directory.
     *
     * @return the directory.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * Where records are framed.
     *
     * @return the framing.
     */
    public Framing framing()
    {
        return framing;
    }

    // ---------------------------------------------------------------- writer-thread side, used by WriterStage

    int state()
    {
        return (int)STATE.getVolatile(this);
    }

    void stopRingSequence(final long ringSequence)
    {
        STOP_RING_SEQUENCE.setVolatile(this, ringSequence);
    }

    void durableAdvanced(final long durable)
    {
        durableSequence.set(durable);
        waiters.wakeUpTo(durable);
        try
        {
            listener.onDurable(durable);
        }
        catch (final RuntimeException ex)
        {
            LOG.log(System.Logger.Level.WARNING, "durability listener threw for sequence " + durable, ex);
        }
    }

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

    synchronized void failed(final Throwable cause)
    {
        if (failure == null)
        {
            failure = cause;
            LOG.log(System.Logger.Level.ERROR, "journal pipeline " + directory + " failed", cause);
        }
        waiters.wakeAll();
        writtenWaiters.wakeAll();
    }

    void writerStopped()
    {
        STATE.compareAndSet(this, CLOSING, CLOSED);
        writerStopped.countDown();
        waiters.wakeAll();
        writtenWaiters.wakeAll();
    }

    void publishCountersFile(final boolean publish)
    {
        this.publishCountersFile = publish;
    }

    boolean publishesCountersFile()
    {
        return publishCountersFile;
    }

    PipelineCounters countersForWriter()
    {
        return counters;
    }

    BatchEventProcessor<RecordSlot> processor()
    {
        return processor;
    }
}
