package io.ringwal.disruptor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.LiteTimeoutBlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;

/**
 * The journaller recipe with business logic gated on the durable ring sequence: with a small ring that the
 * producers keep full, under both producer types and every force policy, every event reaches the business logic
 * (a watchdog fails the test instead of letting it hang) and none before it was durable.
 */
class JournallerDurableGateTest
{
    static final int RING_SIZE = 64;
    static final int EVENTS = 20_000;

    @TempDir
    Path dir;

    /** A user's event. */
    static final class Event
    {
        long value;
    }

    static final JournalSerializer<Event> SERIALIZER = new JournalSerializer<>()
    {
        @Override
        public int length(final Event event)
        {
            return Long.BYTES;
        }

        @Override
        public void write(final Event event, final MutableDirectBuffer buffer)
        {
            buffer.putLong(0, event.value);
        }
    };

    static Stream<Arguments> cases()
    {
        final List<Arguments> cases = new ArrayList<>();
        for (final ProducerType type : ProducerType.values())
        {
            cases.add(Arguments.of(type, ForcePolicy.everyBatch()));
            cases.add(Arguments.of(type, ForcePolicy.bounded(2, TimeUnit.MILLISECONDS, 1024 * 1024)));
            cases.add(Arguments.of(type, ForcePolicy.bounded(50, TimeUnit.MILLISECONDS, 1024 * 1024)));
            cases.add(Arguments.of(type, ForcePolicy.never()));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void shouldDeliverEveryEventToADurableGatedStageWhenProducersKeepTheRingFull(
        final ProducerType producerType, final ForcePolicy policy) throws Exception
    {
        final JournalConfig config = JournalConfig.builder().segmentSize(4 * 1024 * 1024).forcePolicy(policy)
            .build();
        final Disruptor<Event> disruptor = new Disruptor<>(Event::new, RING_SIZE, DaemonThreadFactory.INSTANCE,
            producerType, new LiteTimeoutBlockingWaitStrategy(200, TimeUnit.MICROSECONDS));
        final RingBuffer<Event> ring = disruptor.getRingBuffer();
        try (JournallingEventHandler<Event> journaller = JournallingEventHandler.open(dir, config, SERIALIZER))
        {
            final AtomicLong seen = new AtomicLong();
            final AtomicLong notDurable = new AtomicLong();
            final CountDownLatch allSeen = new CountDownLatch(1);
            final EventHandler<Event> businessLogic = (event, sequence, endOfBatch) ->
            {
                if (journaller.durableSequence() < journaller.journalSequence(sequence))
                {
                    notDurable.incrementAndGet();
                }
                if (seen.incrementAndGet() == EVENTS)
                {
                    allSeen.countDown();
                }
            };
            disruptor.handleEventsWith(journaller);
            final BatchEventProcessor<Event> gated = new BatchEventProcessorBuilder()
                .build(ring, journaller.durableBarrier(ring), businessLogic);
            disruptor.handleEventsWith(gated);
            disruptor.start();

            final int producers = producerType == ProducerType.MULTI ? 3 : 1;
            final List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++)
            {
                final int first = p;
                final Thread thread = new Thread(() ->
                {
                    for (long i = first; i < EVENTS; i += producers)
                    {
                        ring.publishEvent((event, sequence, value) -> event.value = value, i);
                    }
                }, "producer-" + p);
                thread.setDaemon(true);
                thread.start();
                threads.add(thread);
            }
            final boolean done = allSeen.await(30, TimeUnit.SECONDS);
            assertThat(done).as("watchdog: business logic saw %d of %d events; durable ring sequence %d, ring " +
                "cursor %d (a livelock if these stay put)", seen.get(), EVENTS, journaller.durableRingSequence().get(),
                ring.getCursor()).isTrue();
            for (final Thread thread : threads)
            {
                thread.join(10_000);
            }
            assertThat(notDurable.get()).as("events the business logic saw before they were durable").isZero();
            disruptor.shutdown(10, TimeUnit.SECONDS);
            assertThat(journaller.awaitClosed(10, TimeUnit.SECONDS)).isTrue();
            assertThat(journaller.durableSequence()).isEqualTo(EVENTS - 1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(ProducerType.class)
    void shouldAddNoForceWhenTheRingHasRoom(final ProducerType producerType) throws Exception
    {
        final JournalConfig config = JournalConfig.builder().segmentSize(4 * 1024 * 1024)
            .forcePolicy(ForcePolicy.bounded(5, TimeUnit.MILLISECONDS, 1024 * 1024)).build();
        final Disruptor<Event> disruptor = new Disruptor<>(Event::new, 1024, DaemonThreadFactory.INSTANCE,
            producerType, new LiteTimeoutBlockingWaitStrategy(1, TimeUnit.MILLISECONDS));
        final RingBuffer<Event> ring = disruptor.getRingBuffer();
        try (JournallingEventHandler<Event> journaller = JournallingEventHandler.open(dir, config, SERIALIZER))
        {
            final AtomicLong seen = new AtomicLong();
            final int events = 2_000;
            final CountDownLatch allSeen = new CountDownLatch(1);
            disruptor.handleEventsWith(journaller);
            disruptor.handleEventsWith(new BatchEventProcessorBuilder().build(ring, journaller.durableBarrier(ring),
                (event, sequence, endOfBatch) ->
                {
                    if (seen.incrementAndGet() == events)
                    {
                        allSeen.countDown();
                    }
                }));
            disruptor.start();
            for (long i = 0; i < events; i++)
            {
                journaller.publishEvent(ring, (event, sequence, value) -> event.value = value, i);
                java.util.concurrent.locks.LockSupport.parkNanos(20_000);
            }
            assertThat(allSeen.await(30, TimeUnit.SECONDS)).as("saw %d", seen.get()).isTrue();
            assertThat(journaller.gateForces()).as("forces added by the durable gate while the ring had room")
                .isZero();
            disruptor.shutdown(10, TimeUnit.SECONDS);
            assertThat(journaller.awaitClosed(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
