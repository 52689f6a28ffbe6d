package io.ringwal.disruptor;

import java.lang.invoke.VarHandle;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;

import io.ringwal.journal.JournalCounters;
import io.ringwal.journal.JournalWriter;

/**
 * The writer stage of a {@link JournalPipeline}: a batching event handler that appends each slot to the journal
 * in ring order and ends the journal's batch (the group commit) at the Disruptor's end of batch.
 *
 * <p>It owns the {@link JournalWriter}: every call on it happens on the writer thread, including the final
 * drain and close in {@link #onShutdown()}. It never lets an exception reach the Disruptor (whose non-fatal
 * handlers skip the event): any failure fails the pipeline, after which nothing more is written.
 */
final class WriterStage implements EventHandler<RecordSlot>, ExceptionHandler<RecordSlot>
{
    private static final System.Logger LOG = System.getLogger(WriterStage.class.getName());

    private final JournalPipeline pipeline;
    private final JournalWriter journal;
    private final RingBuffer<RecordSlot> ringBuffer;
    private final long sequenceOffset;
    private final boolean producerFraming;
    private final PipelineCounters counters;
    /** Null when the pipeline publishes no counters file. */
    private final PipelineCountersPublisher countersFile;
    private long nextRingSequence;
    private long records;
    private long bytes;
    private long batches;
    private long lastWritten;
    private boolean failed;

    WriterStage(
        final JournalPipeline pipeline,
        final JournalWriter journal,
        final RingBuffer<RecordSlot> ringBuffer,
        final long sequenceOffset,
        final Framing framing)
    {
        this.pipeline = pipeline;
        this.journal = journal;
        this.ringBuffer = ringBuffer;
        this.sequenceOffset = sequenceOffset;
        this.producerFraming = framing == Framing.PRODUCER;
        this.counters = pipeline.countersForWriter();
        this.lastWritten = sequenceOffset - 1;
        publishJournalCounters(); // what opening the journal did (the first segment) counts before the first batch
        this.countersFile = PipelineCountersPublisher.create(pipeline, journal, ringBuffer);
    }

    private void publishJournalCounters()
    {
        final JournalCounters journalCounters = journal.counters();
        counters.journal(journalCounters.forces(), journalCounters.forceNanos(), journalCounters.rotations(),
            journalCounters.allocatorWaits(), journalCounters.allocatorWaitNanos(), journalCounters.segmentsDirect(),
            journalCounters.segmentsBufferedPages(), journalCounters.segmentsBuffered(),
            journalCounters.allocationFailures());
    }

    @Override
    public void onEvent(final RecordSlot slot, final long sequence, final boolean endOfBatch)
    {
        if (failed)
        {
            return;
        }
        try
        {
            write(slot, sequence);
            if (endOfBatch)
            {
                batches++;
                // counted before the force: a waiter the force wakes (through the durability listener) sees it
                counters.writerBatch(records, bytes, batches);
                journal.endOfBatch();
                afterBatch();
            }
        }
        catch (final Throwable ex)
        {
            fail(ex);
        }
    }

    private void write(final RecordSlot slot, final long ringSequence)
    {
        final long expected = ringSequence + sequenceOffset;
        final long sequence;
        if (slot.skipped)
        {
            slot.skipped = false; // the writer owns the slot until its sequence passes the gate
            sequence = journal.skip();
        }
        else
        {
            sequence = producerFraming ? journal.appendFrame(slot.frame, 0) :
                journal.append(slot.payload, 0, slot.length);
        }
        if (sequence != expected)
        {
            throw new IllegalStateException("ring sequence " + ringSequence + " was appended as journal sequence " +
                sequence + ", expected " + expected + ": the writer skipped or repeated a slot");
        }
        nextRingSequence = ringSequence + 1;
        records++;
        bytes += slot.length;
    }

    private void afterBatch()
    {
        counters.writerBatch(records, bytes, batches);
        publishJournalCounters();
        if (countersFile != null)
        {
            countersFile.afterBatch(nextRingSequence - 1);
        }
        final long written = nextRingSequence + sequenceOffset - 1;
        if (written > lastWritten)
        {
            lastWritten = written;
            pipeline.writtenAdvanced(written);
        }
        // the durable watermark reaches the pipeline through the journal's durability listener
    }

    /**
     * Called when the wait strategy times out with the ring idle: forces what a bounded policy says is due, so
     * its time bound holds without new records.
     */
    @Override
    public void onTimeout(final long sequence)
    {
        if (failed)
        {
            return;
        }
        try
        {
            journal.forceIfDue();
            // also when nothing was due: a pipelined force that completed since the last batch is counted now
            afterBatch();
            if (countersFile != null)
            {
                countersFile.idle();
            }
        }
        catch (final Throwable ex)
        {
            fail(ex);
        }
    }

    /**
     * Runs on the writer thread once the processor has stopped: after {@link JournalPipeline#close()} it drains
     * every slot published up to the cursor read after the close request, forces and closes the journal; after a
     * failure it only closes the journal. Either way it stops gating the ring, so no producer stays blocked.
     */
    @Override
    public void onShutdown()
    {
        final Sequence gate = pipeline.processor().getSequence();
        if (!failed)
        {
            try
            {
                drain(gate);
                journal.force();
                afterBatch();
            }
            catch (final Throwable ex)
            {
                fail(ex);
            }
        }
        try
        {
            journal.close();
        }
        catch (final Throwable ex)
        {
            fail(ex);
        }
        counters.writerBatch(records, bytes, batches);
        if (countersFile != null)
        {
            countersFile.stopped(nextRingSequence - 1, pipeline.failure());
        }
        ringBuffer.removeGatingSequence(gate);
        pipeline.writerStopped();
    }

    private void drain(final Sequence gate)
    {
        VarHandle.fullFence();
        final long cursor = ringBuffer.getCursor();
        pipeline.stopRingSequence(cursor);
        final long first = nextRingSequence;
        for (long sequence = first; sequence <= cursor; sequence++)
        {
            int spins = 0;
            while (!ringBuffer.isAvailable(sequence))
            {
                if (++spins < 1000)
                {
                    Thread.onSpinWait();
                }
                else
                {
                    Thread.yield();
                }
            }
            write(ringBuffer.get(sequence), sequence);
            gate.set(sequence);
        }
        if (cursor >= first)
        {
            journal.endOfBatch();
            batches++;
        }
    }

    private void fail(final Throwable cause)
    {
        if (failed)
        {
            return;
        }
        failed = true;
        // what led to the failure (an allocation failure episode, say) counts before anyone learns of it
        publishJournalCounters();
        pipeline.failed(cause);
        if (countersFile != null)
        {
            countersFile.failed(cause);
        }
        ringBuffer.removeGatingSequence(pipeline.processor().getSequence());
        pipeline.processor().halt();
    }

    @Override
    public void handleEventException(final Throwable ex, final long sequence, final RecordSlot event)
    {
        fail(ex);
    }

    @Override
    public void handleOnStartException(final Throwable ex)
    {
        fail(ex);
    }

    @Override
    public void handleOnShutdownException(final Throwable ex)
    {
        LOG.log(System.Logger.Level.ERROR, "journal pipeline writer failed while shutting down", ex);
        fail(ex);
    }
}
