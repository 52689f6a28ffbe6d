package io.ringwal.disruptor;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.LiteTimeoutBlockingWaitStrategy;
import com.lmax.disruptor.PhasedBackoffWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutBlockingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.dsl.ProducerType;

import io.ringwal.format.FrameDescriptor;
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

    private static final System.Logger LOG = System.getLogger(JournalPipeline.class.getName());

    private final Path directory;
    private final int maxRecordSize;
    private final int slotSize;
    private final RingMemory ringMemory;
    private final Framing framing;
    private final RingBuffer<RecordSlot> ringBuffer;
    private final PipelineCounters counters = new PipelineCounters();
    private final PipelineState state;
    private final PipelineWatermarks watermarks;
    private final RingPublisher publisher;
    private final PipelineLifecycle lifecycle;
    private boolean publishCountersFile = true;

    JournalPipeline(
        final Path directory,
        final JournalConfig config,
        final int ringSize,
        final ProducerType producerType,
        final WaitStrategy waitStrategy,
        final int maxRecordSize,
        final int slotSize,
        final int maxBatchSize,
        final ThreadFactory threadFactory,
        final DurabilityListener listener,
        final int maxParkedWaiters,
        final Framing framing,
        final WrittenListener writtenListener,
        final long shutdownDrainNanos)
    {
        this.directory = directory;
        this.maxRecordSize = maxRecordSize;
        this.framing = framing;
        this.slotSize = slotSize;
        this.ringMemory = new RingMemory(
            RingMemory.chunkSizeFor(ringSize, FrameDescriptor.HEADER_LENGTH + maxRecordSize));
        final RecordSlot[] slots = RecordSlot.allocate(ringSize, slotSize, maxRecordSize, ringMemory);
        final int[] next = new int[1];
        this.ringBuffer = RingBuffer.create(producerType, () -> slots[next[0]++], ringSize, waitStrategy);
        this.state = new PipelineState(directory);
        this.watermarks = new PipelineWatermarks(directory, state, listener, writtenListener, maxParkedWaiters);
        this.publisher = new RingPublisher(directory, ringBuffer, state, watermarks, counters, framing,
            producerType, maxRecordSize);
        this.lifecycle = new PipelineLifecycle(directory, config, maxBatchSize, threadFactory, framing,
            shutdownDrainNanos, ringBuffer, state, watermarks, publisher);
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
        lifecycle.start(this);
        return this;
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
        return publisher.publish(source, offset, length, true);
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
        return publisher.publish(source, offset, length, true);
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
        return publisher.publish(source, true);
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
        return publisher.publish(translator, arg, true);
    }

    /**
     * Like {@link #publish(RecordTranslator, Object)}, with a translator that is told the record's journal sequence
     * before the record is published, so that the caller can map it to its own request before anything can make it
     * durable.
     *
     * @param translator writes the record, told its sequence.
     * @param arg        passed to the translator.
     * @param <A>        the argument type.
     * @return the record's journal sequence (the one the translator was given).
     * @throws JournalFailedException if the pipeline failed.
     * @throws JournalClosedException if the pipeline is closed (or closed before this record was accepted).
     * @throws IllegalStateException  if the pipeline was not started.
     */
    public <A> long publish(final SequencedRecordTranslator<A> translator, final A arg)
    {
        return publisher.publish(translator, arg, true);
    }

    /**
     * Like {@link #publish(SequencedRecordTranslator, Object)}, but returns {@link #RING_FULL} instead of waiting
     * (the translator is then not called).
     *
     * @param translator writes the record, told its sequence.
     * @param arg        passed to the translator.
     * @param <A>        the argument type.
     * @return the record's journal sequence, or {@link #RING_FULL}.
     */
    public <A> long tryPublish(final SequencedRecordTranslator<A> translator, final A arg)
    {
        return publisher.publish(translator, arg, false);
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
        return publisher.publish(source, offset, length, false);
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
        return publisher.publish(source, offset, length, false);
    }

    /**
     * Like {@link #publish(ByteBuffer)}, but returns {@link #RING_FULL} instead of waiting.
     *
     * @param source the bytes, from position to limit.
     * @return the record's journal sequence, or {@link #RING_FULL}.
     */
    public long tryPublish(final ByteBuffer source)
    {
        return publisher.publish(source, false);
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
        return publisher.publish(translator, arg, false);
    }

    /**
     * Whether the record with this journal sequence is durable (forced to the storage device).
     *
     * @param sequence the journal sequence.
     * @return true if durable.
     */
    public boolean isDurable(final long sequence)
    {
        return sequence <= watermarks.durableSequence();
    }

    /**
     * The durable watermark: every record up to this journal sequence was forced to the storage device; -1 if
     * none. Never runs ahead of a real force. Safe from any thread, never blocks.
     *
     * @return the durable sequence.
     */
    public long durableSequence()
    {
        return watermarks.durableSequence();
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
        return watermarks.writtenSequence();
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
        watermarks.await(sequence, Long.MAX_VALUE, false);
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
        return watermarks.await(sequence, Math.max(0, unit.toNanos(timeout)), false);
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
        watermarks.await(sequence, Long.MAX_VALUE, true);
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
        return watermarks.await(sequence, Math.max(0, unit.toNanos(timeout)), true);
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
        lifecycle.close();
    }

    /**
     * Whether {@link #close()} completed (everything drained and the journal closed).
     *
     * @return true once closed.
     */
    public boolean isClosed()
    {
        return state.get() == PipelineState.CLOSED;
    }

    /**
     * The failure that stopped the writer, or null. Safe from any thread.
     *
     * @return the failure.
     */
    public Throwable failure()
    {
        return state.failure();
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
        return lifecycle.ringFill();
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
     * The payload bytes each ring slot preallocated ({@link JournalPipelineBuilder#slotSize}).
     *
     * @return bytes.
     */
    public int slotSize()
    {
        return slotSize;
    }

    /**
     * The off-heap memory the ring's slots hold now: the ring's own buffer plus the buffers of slots that grew for
     * records longer than the slot size.
     *
     * @return bytes.
     */
    public long ringMemoryBytes()
    {
        return ringMemory.bytes();
    }

    /**
     * How many times a ring slot grew for a record longer than it held (each growth allocates one direct buffer on
     * the publishing thread).
     *
     * @return the count.
     */
    public long slotGrowths()
    {
        return ringMemory.growths();
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

    void stopRingSequence(final long ringSequence)
    {
        state.stopRingSequence(ringSequence);
    }

    void writtenAdvanced(final long written)
    {
        watermarks.writtenAdvanced(written);
    }

    void failed(final Throwable cause)
    {
        lifecycle.failed(cause);
    }

    void writerStopped()
    {
        lifecycle.writerStopped();
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
        return lifecycle.processor();
    }
}
