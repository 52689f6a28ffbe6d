package io.ringwal.disruptor;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;

import org.agrona.DirectBuffer;
import org.agrona.LangUtil;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.ProducerType;

/**
 * The producer side of a {@link JournalPipeline}: check, claim a slot, fill it, publish it and decide whether the
 * record was accepted. Every publish and tryPublish of the pipeline comes here; {@code wait} picks between
 * waiting for a free slot and returning {@link JournalPipeline#RING_FULL}, and is a constant at each call site,
 * so the choice folds away once inlined. One copy method per source type (short records copied by {@link SlotCopy})
 * and one translator call site; nothing here allocates or locks.
 */
final class RingPublisher
{
    private final Path directory;
    private final RingBuffer<RecordSlot> ringBuffer;
    private final PipelineState state;
    private final PipelineWatermarks watermarks;
    private final PipelineCounters counters;
    private final boolean producerFraming;
    private final boolean claimMovesCursor;
    private final int maxRecordSize;
    /** The journal sequence of ring sequence 0; written at start, before the state becomes RUNNING. */
    private long sequenceOffset;

    RingPublisher(
        final Path directory,
        final RingBuffer<RecordSlot> ringBuffer,
        final PipelineState state,
        final PipelineWatermarks watermarks,
        final PipelineCounters counters,
        final Framing framing,
        final ProducerType producerType,
        final int maxRecordSize)
    {
        this.directory = directory;
        this.ringBuffer = ringBuffer;
        this.state = state;
        this.watermarks = watermarks;
        this.counters = counters;
        this.producerFraming = framing == Framing.PRODUCER;
        this.claimMovesCursor = producerType == ProducerType.MULTI;
        this.maxRecordSize = maxRecordSize;
    }

    /**
     * Sets the journal sequence of ring sequence 0; called by start before the pipeline runs (the state's
     * volatile write then publishes it to producers).
     *
     * @param offset the journal's next sequence at start.
     */
    void sequenceOffset(final long offset)
    {
        this.sequenceOffset = offset;
    }

    long publish(final DirectBuffer source, final int offset, final int length, final boolean wait)
    {
        final long ringSequence = claim(source.capacity(), offset, length, wait);
        if (ringSequence < 0)
        {
            return JournalPipeline.RING_FULL;
        }
        final RecordSlot slot = slotFor(ringSequence, length);
        SlotCopy.copy(slot.payload, source, offset, length);
        slot.length = length;
        return commit(slot, ringSequence);
    }

    long publish(final byte[] source, final int offset, final int length, final boolean wait)
    {
        final long ringSequence = claim(source.length, offset, length, wait);
        if (ringSequence < 0)
        {
            return JournalPipeline.RING_FULL;
        }
        final RecordSlot slot = slotFor(ringSequence, length);
        SlotCopy.copy(slot.payload, source, offset, length);
        slot.length = length;
        return commit(slot, ringSequence);
    }

    long publish(final ByteBuffer source, final boolean wait)
    {
        final int offset = source.position();
        final int length = source.remaining();
        final long ringSequence = claim(source.capacity(), offset, length, wait);
        if (ringSequence < 0)
        {
            return JournalPipeline.RING_FULL;
        }
        final RecordSlot slot = slotFor(ringSequence, length);
        slot.payload.putBytes(0, source, offset, length);
        slot.length = length;
        return commit(slot, ringSequence);
    }

    /**
     * Claims a slot for a translator and lets it write the record; if the translator throws, or returns a length
     * outside {@code [0, maxRecordSize]}, the slot is still published, marked skipped, and the error propagates.
     */
    <A> long publish(final RecordTranslator<A> translator, final A arg, final boolean wait)
    {
        Objects.requireNonNull(translator, "translator");
        state.checkAccepting();
        final long ringSequence = claim(wait);
        if (ringSequence < 0)
        {
            return JournalPipeline.RING_FULL;
        }
        final RecordSlot slot = ringBuffer.get(ringSequence);
        int length;
        Throwable error = null;
        try
        {
            length = translator.translateTo(slot.translatorBuffer, arg);
        }
        catch (final Throwable ex)
        {
            error = ex;
            length = 0;
        }
        return commitTranslated(slot, ringSequence, translator, length, error);
    }

    /**
     * Like {@link #publish(RecordTranslator, Object, boolean)}, for a translator that is told the record's journal
     * sequence before the slot is published.
     */
    <A> long publish(final SequencedRecordTranslator<A> translator, final A arg, final boolean wait)
    {
        Objects.requireNonNull(translator, "translator");
        state.checkAccepting();
        final long ringSequence = claim(wait);
        if (ringSequence < 0)
        {
            return JournalPipeline.RING_FULL;
        }
        final RecordSlot slot = ringBuffer.get(ringSequence);
        int length;
        Throwable error = null;
        try
        {
            length = translator.translateTo(slot.translatorBuffer, ringSequence + sequenceOffset, arg);
        }
        catch (final Throwable ex)
        {
            error = ex;
            length = 0;
        }
        return commitTranslated(slot, ringSequence, translator, length, error);
    }

    /**
     * Publishes a filled slot: marked skipped if the translator threw or returned a length outside
     * {@code [0, maxRecordSize]}, or the slot could not grow to the record, and then the error propagates.
     */
    private long commitTranslated(
        final RecordSlot slot, final long ringSequence, final Object translator, final int translated,
        final Throwable thrown)
    {
        int length = translated;
        Throwable error = thrown;
        if (error == null && (length < 0 || length > maxRecordSize))
        {
            error = new IllegalArgumentException("translator " + translator + " returned length " + length +
                ", outside [0, maxRecordSize=" + maxRecordSize + "]; its sequence was journaled as skipped, " +
                "without a record");
        }
        if (error == null && length > slot.capacity())
        {
            error = grow(slot, length); // a translator may return more than it wrote through the buffer
        }
        if (error != null)
        {
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

    /**
     * The claimed slot, grown to hold a copied record of {@code length} bytes. If it cannot grow, the slot is
     * published as skipped and the error is thrown ({@link #commitTranslated} does both), so the writer never waits
     * on a claimed slot that nobody will publish.
     */
    private RecordSlot slotFor(final long ringSequence, final int length)
    {
        final RecordSlot slot = ringBuffer.get(ringSequence);
        if (length > slot.capacity())
        {
            final Throwable error = grow(slot, length);
            if (error != null)
            {
                commitTranslated(slot, ringSequence, null, 0, error); // throws error after publishing the slot
            }
        }
        return slot;
    }

    /**
     * Grows a claimed slot for a record longer than it holds. The slot is claimed, so a failure (no direct memory
     * left) must not escape before the slot is published: it is returned, and the caller publishes the slot as
     * skipped and then throws it.
     *
     * @return null, or the error that stopped the growth.
     */
    private static Throwable grow(final RecordSlot slot, final int length)
    {
        try
        {
            slot.ensureCapacity(length);
            return null;
        }
        catch (final Throwable ex)
        {
            return ex;
        }
    }

    /**
     * Checks a copied record's range and the state, then claims a slot: nothing is claimed if a check fails.
     *
     * @return the ring sequence, or -1 if the ring is full and {@code wait} is false.
     */
    private long claim(final int capacity, final int offset, final int length, final boolean wait)
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
        state.checkAccepting();
        return claim(wait);
    }

    private long claim(final boolean wait)
    {
        try
        {
            return ringBuffer.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            if (!wait)
            {
                counters.tryPublishFoundRingFull();
                return -1;
            }
            counters.publishFoundRingFull();
            return ringBuffer.next();
        }
    }

    /**
     * Publishes a filled slot, then decides whether the record is accepted. The writer, between seeing the close
     * request and reading the ring cursor to fix the last sequence it drains, issues a full fence; the state read
     * here must come after this slot's sequence reached the cursor, so that if this thread still sees the pipeline
     * running, the writer's cursor read covers this slot and the drain waits for it (it waits for every sequence up
     * to that cursor to be published). With {@link ProducerType#MULTI} the claim itself moved the cursor with an
     * atomic read-modify-write, which no later volatile read can pass, so no fence is needed. With
     * {@link ProducerType#SINGLE} the cursor moves in the publish, a release store that a later read may pass, so a
     * full fence goes between them.
     */
    private long commit(final RecordSlot slot, final long ringSequence)
    {
        final long sequence = ringSequence + sequenceOffset;
        if (producerFraming)
        {
            slot.buildFrame(sequence);
        }
        ringBuffer.publish(ringSequence);
        if (!claimMovesCursor)
        {
            VarHandle.fullFence();
        }
        final int seen = state.get();
        if (seen == PipelineState.RUNNING && state.failure() == null)
        {
            return sequence;
        }
        return afterPublishWhileStopping(ringSequence, sequence, seen);
    }

    private long afterPublishWhileStopping(final long ringSequence, final long sequence, final int seen)
    {
        long stop;
        while (true)
        {
            if (state.failure() != null)
            {
                if (sequence <= watermarks.durableSequence())
                {
                    return sequence;
                }
                throw state.notAccepting(seen);
            }
            stop = state.stopRingSequence();
            if (stop != PipelineState.UNKNOWN)
            {
                break;
            }
            Thread.yield();
        }
        if (ringSequence <= stop)
        {
            return sequence;
        }
        throw state.notAccepting(seen == PipelineState.RUNNING ? PipelineState.CLOSING : seen);
    }
}
