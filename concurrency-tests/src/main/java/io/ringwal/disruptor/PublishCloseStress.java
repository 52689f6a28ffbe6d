package io.ringwal.disruptor;

import java.lang.invoke.VarHandle;
import java.nio.file.Path;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.ProducerType;

import io.ringwal.journal.JournalClosedException;

/**
 * A publish racing close, through the product's {@code RingPublisher} and a real Disruptor ring: the producer
 * claims, fills and publishes a slot and reads the pipeline state to decide whether the record is accepted; the
 * closer does what {@code close()} and the writer's final drain do: move the state to CLOSING, full fence, read the
 * ring cursor and publish it as the last sequence drained. A record whose publish returned a sequence must be
 * covered by that cursor (the drain waits for every sequence up to it), and a refused record must not be: never
 * "accepted, then lost at close" or "refused, then journaled anyway".
 *
 * <p>r1: 1 if publish returned a sequence, 0 if it was refused as closed; r2: 1 if the closer's cursor covers the
 * producer's slot. {@link MultiProducerStress} has the default ring, whose claim moves the cursor with an
 * atomic read-modify-write (the publisher issues no fence); {@link SingleProducerStress} has a ring that moves it in
 * the publish (the publisher issues a full fence after it).
 */
public final class PublishCloseStress
{
    private PublishCloseStress()
    {
    }

    /** The race with the default multi-producer ring. */
    @JCStressTest
    @Description("Multi-producer ring: a publish racing close is accepted only if the close drain covers it")
    @Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "accepted and drained")
    @Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "refused before it claimed a slot")
    @Outcome(id = "1, 0", expect = Expect.FORBIDDEN, desc = "accepted, but close does not drain it")
    @Outcome(id = "0, 1", expect = Expect.FORBIDDEN, desc = "refused, but close drains it")
    @State
    public static class MultiProducerStress extends Race
    {
        /** A ring of the default producer type. */
        public MultiProducerStress()
        {
            super(ProducerType.MULTI);
        }

        /**
         * Publishes one record.
         *
         * @param result r1 is set.
         */
        @Actor
        public void producer(final II_Result result)
        {
            result.r1 = publish();
        }

        /**
         * Closes.
         *
         * @param result r2 is set.
         */
        @Actor
        public void closer(final II_Result result)
        {
            result.r2 = close();
        }
    }

    /** The race with a single-producer ring. */
    @JCStressTest
    @Description("Single-producer ring: a publish racing close is accepted only if the close drain covers it")
    @Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "accepted and drained")
    @Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "refused before it claimed a slot")
    @Outcome(id = "1, 0", expect = Expect.FORBIDDEN, desc = "accepted, but close does not drain it")
    @Outcome(id = "0, 1", expect = Expect.FORBIDDEN, desc = "refused, but close drains it")
    @State
    public static class SingleProducerStress extends Race
    {
        /** A ring with one producer. */
        public SingleProducerStress()
        {
            super(ProducerType.SINGLE);
        }

        /**
         * Publishes one record.
         *
         * @param result r1 is set.
         */
        @Actor
        public void producer(final II_Result result)
        {
            result.r1 = publish();
        }

        /**
         * Closes.
         *
         * @param result r2 is set.
         */
        @Actor
        public void closer(final II_Result result)
        {
            result.r2 = close();
        }
    }

    /** One pipeline's producer side and state, running. */
    abstract static class Race
    {
        private static final Path DIRECTORY = Path.of("publish-close-stress");
        private static final byte[] RECORD = {42};

        private final RingBuffer<RecordSlot> ring;
        private final PipelineState state = new PipelineState(DIRECTORY);
        private final RingPublisher publisher;

        Race(final ProducerType producerType)
        {
            final RecordSlot[] slots = RecordSlot.allocate(4, 16, 16, new RingMemory(4096));
            final int[] next = new int[1];
            ring = RingBuffer.create(producerType, () -> slots[next[0]++], 4, new BlockingWaitStrategy());
            publisher = new RingPublisher(DIRECTORY, ring, state,
                new PipelineWatermarks(DIRECTORY, state, null, null, 1), new PipelineCounters(), Framing.WRITER,
                producerType, 16);
            publisher.sequenceOffset(0);
            state.set(PipelineState.RUNNING);
        }

        final int publish()
        {
            try
            {
                publisher.publish(RECORD, 0, RECORD.length, false);
                return 1;
            }
            catch (final JournalClosedException ex)
            {
                return 0;
            }
        }

        final int close()
        {
            state.compareAndSet(PipelineState.RUNNING, PipelineState.CLOSING);
            VarHandle.fullFence();
            final long cursor = ring.getCursor();
            state.stopRingSequence(cursor);
            return cursor >= 0 ? 1 : 0;
        }
    }
}
