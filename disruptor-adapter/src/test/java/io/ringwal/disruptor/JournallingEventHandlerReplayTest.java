package io.ringwal.disruptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.LiteTimeoutBlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;

import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalException;
import io.ringwal.journal.JournalFailedException;
import io.ringwal.journal.JournalReader;
import io.ringwal.journal.JournalWriter;
import io.ringwal.testing.JournalFiles;
import io.ringwal.testing.QuietLogs;

/**
 * Restart replay through {@link JournallingEventHandler#replay}: a journal written by one Disruptor is replayed
 * from a snapshot's sequence into the handlers of the next one, which then continues live; in-process, with a
 * clean shutdown between the two (the process kill is {@code JournalReplayProcessKillTest}).
 */
class JournallingEventHandlerReplayTest
{
    private static final int RING = 64;
    private static final JournalConfig CONFIG = JournalConfig.builder().segmentSize(64 * 1024)
        .forcePolicy(ForcePolicy.everyBatch()).build();

    @TempDir
    Path dir;

    /** Set by tests that damage a journal or fail a replay on purpose. */
    private QuietLogs quietLogs;

    @AfterEach
    void restoreLogs()
    {
        if (quietLogs != null)
        {
            quietLogs.close();
        }
    }

    /** The ring's event: an input id, and whether it is a no-op (a skipped journal sequence). */
    static final class Order
    {
        long id;
        boolean noop;
    }

    static final class OrderSerializer implements JournalSerializer<Order>
    {
        @Override
        public int length(final Order event)
        {
            return Long.BYTES;
        }

        @Override
        public void write(final Order event, final MutableDirectBuffer buffer)
        {
            buffer.putLong(0, event.id);
        }
    }

    static final JournalDeserializer<Order> DESERIALIZER =
        (journalSequence, buffer, offset, length, event) ->
        {
            event.id = buffer.getLong(offset);
            event.noop = false;
        };

    /** What the business logic saw of one event. */
    record Seen(long journalSequence, long ringSequence, long id, boolean replayed, boolean noop)
    {
    }

    /** One process lifetime: a journaller, business logic behind it, a started Disruptor. */
    static final class Session implements AutoCloseable
    {
        final JournallingEventHandler<Order> journaller;
        final Disruptor<Order> disruptor;
        final RingBuffer<Order> ring;
        final List<Seen> seen = new CopyOnWriteArrayList<>();

        Session(final Path dir, final JournalConfig config, final ProducerType producerType, final boolean durableGate)
        {
            journaller = JournallingEventHandler.open(dir, config, new OrderSerializer());
            disruptor = new Disruptor<>(Order::new, RING, DaemonThreadFactory.INSTANCE, producerType,
                new LiteTimeoutBlockingWaitStrategy(1, TimeUnit.MILLISECONDS));
            final EventHandler<Order> logic = (event, sequence, endOfBatch) -> seen.add(new Seen(
                journaller.journalSequence(sequence), sequence, event.id, journaller.isReplayed(sequence), event.noop));
            if (durableGate)
            {
                disruptor.handleEventsWith(journaller);
                final RingBuffer<Order> ringBuffer = disruptor.getRingBuffer();
                final BatchEventProcessor<Order> gated = new BatchEventProcessorBuilder()
                    .build(ringBuffer, journaller.durableBarrier(ringBuffer), logic);
                disruptor.handleEventsWith(gated);
            }
            else
            {
                disruptor.handleEventsWith(journaller).then(logic);
            }
            ring = disruptor.start();
        }

        void publish(final long fromId, final long count)
        {
            for (long id = fromId; id < fromId + count; id++)
            {
                journaller.publishEvent(ring, (event, sequence, arg) ->
                {
                    event.id = arg;
                    event.noop = false;
                }, id);
            }
        }

        List<Seen> awaitSeen(final int count) throws InterruptedException
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (seen.size() < count)
            {
                assertThat(System.nanoTime()).as("business logic saw %d of %d events", seen.size(), count)
                    .isLessThan(deadline);
                Thread.sleep(1);
            }
            return new ArrayList<>(seen);
        }

        @Override
        public void close()
        {
            try
            {
                if (journaller.failure() == null)
                {
                    disruptor.shutdown(30, TimeUnit.SECONDS);
                }
                else
                {
                    disruptor.halt(); // a failed journaller never reaches the cursor: shutdown would time out
                }
                assertThat(journaller.awaitClosed(30, TimeUnit.SECONDS)).isTrue();
            }
            catch (final InterruptedException | com.lmax.disruptor.TimeoutException ex)
            {
                throw new AssertionError("session on " + journaller.directory() + " did not shut down", ex);
            }
        }
    }

    private void writeJournal(final int events) throws Exception
    {
        try (Session first = new Session(dir, CONFIG, ProducerType.SINGLE, false))
        {
            assertThat(first.journaller.replay(first.ring, -1, DESERIALIZER)).isZero();
            first.publish(0, events);
            first.awaitSeen(events);
        }
    }

    @ParameterizedTest
    @EnumSource(ProducerType.class)
    void shouldReplayAfterTheSnapshotThenContinueLiveWithContiguousJournalSequences(final ProducerType type)
        throws Exception
    {
        writeJournal(500);
        final long lastApplied = 199;

        final List<Seen> seen;
        try (Session second = new Session(dir, CONFIG, type, false))
        {
            assertThat(second.journaller.replay(second.ring, lastApplied, DESERIALIZER)).isEqualTo(300);
            second.publish(500, 250);
            seen = second.awaitSeen(550);
        }

        assertThat(seen).hasSize(550);
        for (int i = 0; i < seen.size(); i++)
        {
            final Seen event = seen.get(i);
            assertThat(event.ringSequence()).isEqualTo(i);
            assertThat(event.journalSequence()).isEqualTo(lastApplied + 1 + i);
            assertThat(event.id()).as("input id at journal sequence %d", event.journalSequence())
                .isEqualTo(event.journalSequence());
            assertThat(event.replayed()).isEqualTo(i < 300);
        }
        assertJournalHoldsIdsInOrder(750);
    }

    @Test
    void shouldLetDurableGatedBusinessLogicSeeReplayedEventsUnderABoundedPolicy() throws Exception
    {
        writeJournal(300);
        final JournalConfig bounded = JournalConfig.builder().segmentSize(64 * 1024)
            .forcePolicy(ForcePolicy.bounded(50, TimeUnit.MILLISECONDS, 1 << 20)).build();

        final List<Seen> seen;
        try (Session second = new Session(dir, bounded, ProducerType.MULTI, true))
        {
            assertThat(second.journaller.replay(second.ring, 9, DESERIALIZER)).isEqualTo(290);
            seen = second.awaitSeen(290);
            second.publish(300, 5);
            seen.addAll(second.awaitSeen(295).subList(290, 295));
        }

        assertThat(seen).extracting(Seen::journalSequence).containsExactlyElementsOf(range(10, 305));
        assertThat(seen).extracting(Seen::id).containsExactlyElementsOf(range(10, 305));
        assertJournalHoldsIdsInOrder(305);
    }

    @Test
    void shouldReplayTheWholeJournalForAStateBuiltFromNothing() throws Exception
    {
        writeJournal(100);

        final List<Seen> seen;
        try (Session second = new Session(dir, CONFIG, ProducerType.SINGLE, false))
        {
            assertThat(second.journaller.replay(second.ring, -1, DESERIALIZER)).isEqualTo(100);
            second.publish(100, 1);
            seen = second.awaitSeen(101);
        }

        assertThat(seen).extracting(Seen::journalSequence).containsExactlyElementsOf(range(0, 101));
        assertThat(seen).extracting(Seen::id).containsExactlyElementsOf(range(0, 101));
    }

    @Test
    void shouldReplayNothingWhenTheSnapshotHoldsTheWholeJournal() throws Exception
    {
        writeJournal(100);

        final List<Seen> seen;
        try (Session second = new Session(dir, CONFIG, ProducerType.SINGLE, false))
        {
            assertThat(second.journaller.replay(second.ring, 99, DESERIALIZER)).isZero();
            second.publish(100, 3);
            seen = second.awaitSeen(3);
        }

        assertThat(seen).extracting(Seen::journalSequence).containsExactly(100L, 101L, 102L);
        assertThat(seen).extracting(Seen::replayed).containsOnly(false);
        assertJournalHoldsIdsInOrder(103);
    }

    @Test
    void shouldRefuseASnapshotBeyondTheJournalsEndNamingBothSequencesAndStayUsable() throws Exception
    {
        writeJournal(100);

        final List<Seen> seen;
        try (Session second = new Session(dir, CONFIG, ProducerType.SINGLE, false))
        {
            assertThatThrownBy(() -> second.journaller.replay(second.ring, 150, DESERIALIZER))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("last applied journal sequence 150")
                .hasMessageContaining("whose last record is 99");
            assertThat(second.journaller.failure()).isNull();

            assertThat(second.journaller.replay(second.ring, 89, DESERIALIZER)).isEqualTo(10);
            second.publish(100, 1);
            seen = second.awaitSeen(11);
        }
        assertThat(seen).extracting(Seen::journalSequence).containsExactlyElementsOf(range(90, 101));
    }

    @Test
    void shouldRefuseASnapshotOlderThanWhatRetentionKeptNamingTheFirstAvailableSequence() throws Exception
    {
        final long first;
        try (JournalWriter writer = JournalWriter.open(dir, CONFIG))
        {
            final byte[] payload = new byte[1000];
            while (JournalFiles.segments(dir).size() < 4)
            {
                writer.append(payload, 0, payload.length);
                writer.endOfBatch();
            }
            first = writer.activeSegmentBase();
            writer.deleteSegmentsBelow(first);
        }
        assertThat(first).isGreaterThan(100);

        try (Session second = new Session(dir, CONFIG, ProducerType.SINGLE, false))
        {
            assertThatThrownBy(() -> second.journaller.replay(second.ring, 41, DESERIALIZER))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("last applied sequence 41")
                .hasMessageContaining("first sequence the journal still holds is " + first)
                .hasMessageContaining("records 42.." + (first - 1) + " are gone");
            assertThat(second.journaller.failure()).isNull();
            assertThat(second.ring.getCursor()).as("nothing published").isEqualTo(-1);
        }
    }

    @Test
    void shouldReplayOnlyWhatRecoveryKeptWhenTheTailWasTorn() throws Exception
    {
        writeJournal(50);
        // damage the last record: its open treats it as a torn tail and cuts it
        final List<Path> segments = JournalFiles.segments(dir);
        final Path last = segments.get(segments.size() - 1);
        final byte[] bytes = JournalFiles.read(last);
        final int end = JournalFiles.recordRegionEnd(bytes);
        bytes[end - 1] ^= 0x5A; // last payload byte of record 49 (8 bytes, frame aligned to 8)
        Files.write(last, bytes);

        final List<Seen> seen;
        quietLogs = QuietLogs.quiet();
        try (Session second = new Session(dir, CONFIG, ProducerType.SINGLE, false))
        {
            assertThat(second.journaller.replay(second.ring, 39, DESERIALIZER)).isEqualTo(9);
            second.publish(1000, 1);
            seen = second.awaitSeen(10);
        }

        assertThat(seen).extracting(Seen::journalSequence).containsExactlyElementsOf(range(40, 50));
        assertThat(seen.get(9).id()).as("the first live event takes the cut record's sequence").isEqualTo(1000);
    }

    @Test
    void shouldNameTheTornTailWhenTheSnapshotSawTheRecordRecoveryCut() throws Exception
    {
        writeJournal(50);
        final List<Path> segments = JournalFiles.segments(dir);
        final Path last = segments.get(segments.size() - 1);
        final byte[] bytes = JournalFiles.read(last);
        bytes[JournalFiles.recordRegionEnd(bytes) - 1] ^= 0x5A;
        Files.write(last, bytes);

        quietLogs = QuietLogs.quiet();
        try (Session second = new Session(dir, CONFIG, ProducerType.SINGLE, false))
        {
            assertThatThrownBy(() -> second.journaller.replay(second.ring, 49, DESERIALIZER))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("last applied journal sequence 49")
                .hasMessageContaining("whose last record is 48")
                .hasMessageContaining("torn tail");
        }
    }

    @Test
    void shouldFailTheReplayNamingASkippedSequenceWhenTheDeserializerDoesNotHandleIt() throws Exception
    {
        writeWithSkip(20, 12);

        final List<Seen> seen;
        quietLogs = QuietLogs.quiet();
        try (Session second = new Session(dir, CONFIG, ProducerType.SINGLE, false))
        {
            assertThatThrownBy(() -> second.journaller.replay(second.ring, 4, DESERIALIZER))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("journal sequence 12")
                .hasMessageContaining("readSkipped");
            assertThat(second.journaller.failure()).isNotNull();
            assertThatThrownBy(() -> second.publish(100, 1)).isInstanceOf(JournalFailedException.class);
            Thread.sleep(100);
            seen = new ArrayList<>(second.seen);
        }
        // the journaller's fatal failure stops its processor mid-batch: the stage behind sees a prefix of the batch
        assertThat(seen).as("the handlers behind the journaller stop before the skipped sequence")
            .extracting(Seen::journalSequence).containsExactlyElementsOf(range(5, 5 + seen.size()));
        assertThat(seen.size()).isLessThanOrEqualTo(7);
    }

    @Test
    void shouldGiveASkippedSequenceTheDeserializersNoOpEventAndKeepTheMapping() throws Exception
    {
        writeWithSkip(20, 12);
        final JournalDeserializer<Order> withNoOp = new JournalDeserializer<>()
        {
            @Override
            public void read(final long journalSequence, final DirectBuffer buffer, final int offset,
                final int length, final Order event)
            {
                DESERIALIZER.read(journalSequence, buffer, offset, length, event);
            }

            @Override
            public void readSkipped(final long journalSequence, final Order event)
            {
                event.id = -1;
                event.noop = true;
            }
        };

        final List<Seen> seen;
        try (Session second = new Session(dir, CONFIG, ProducerType.SINGLE, false))
        {
            assertThat(second.journaller.replay(second.ring, 4, withNoOp)).isEqualTo(16);
            second.publish(21, 1);
            seen = second.awaitSeen(17);
        }

        assertThat(seen).extracting(Seen::journalSequence).containsExactlyElementsOf(range(5, 22));
        for (final Seen event : seen)
        {
            assertThat(event.noop()).isEqualTo(event.journalSequence() == 12);
            assertThat(event.id()).isEqualTo(event.journalSequence() == 12 ? -1 : event.journalSequence());
        }
        assertJournalHoldsIdsInOrder(22, 12);
    }

    @Test
    void shouldRefuseLivePublishingWhileReplayingAndASecondReplay() throws Exception
    {
        writeJournal(10);
        final AtomicReference<Throwable> livePublish = new AtomicReference<>();

        try (Session second = new Session(dir, CONFIG, ProducerType.MULTI, false))
        {
            final JournalDeserializer<Order> publishesLive = (journalSequence, buffer, offset, length, event) ->
            {
                if (livePublish.get() == null)
                {
                    try
                    {
                        second.journaller.next(second.ring);
                        livePublish.set(new AssertionError("next() claimed a slot during the replay"));
                    }
                    catch (final IllegalStateException expected)
                    {
                        livePublish.set(expected);
                    }
                }
                DESERIALIZER.read(journalSequence, buffer, offset, length, event);
            };
            assertThat(second.journaller.replay(second.ring, -1, publishesLive)).isEqualTo(10);
            assertThat(livePublish.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("publish live events only after replay() returned");

            assertThatThrownBy(() -> second.journaller.replay(second.ring, 9, DESERIALIZER))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("replayed already");
            second.publish(10, 1);
            second.awaitSeen(11);
        }
    }

    @Test
    void shouldFailTheJournallerWhenSomethingElsePublishesIntoTheRingDuringTheReplay() throws Exception
    {
        writeJournal(10);
        quietLogs = QuietLogs.quiet();

        final List<Seen> seen;
        try (Session second = new Session(dir, CONFIG, ProducerType.MULTI, false))
        {
            final JournalDeserializer<Order> interloper = (journalSequence, buffer, offset, length, event) ->
            {
                if (journalSequence == 3)
                {
                    // a raw ring publication, bypassing the journaller's guard: takes ring sequence 4
                    second.ring.publishEvent((order, sequence, id) ->
                    {
                        order.id = id;
                        order.noop = false;
                    }, 999L);
                }
                DESERIALIZER.read(journalSequence, buffer, offset, length, event);
            };
            assertThatThrownBy(() -> second.journaller.replay(second.ring, -1, interloper))
                .isInstanceOf(JournalException.class);
            Thread.sleep(100);
            seen = new ArrayList<>(second.seen);
            assertThat(second.journaller.failure()).isNotNull();
            assertThatThrownBy(() -> second.publish(100, 1)).isInstanceOf(JournalFailedException.class);
        }
        // the journaller's fatal failure stops its processor mid-batch: the stage behind sees a prefix of the batch
        assertThat(seen).as("the handlers behind the journaller never see the interloper's event")
            .extracting(Seen::id).isSubsetOf(0L, 1L, 2L, 3L);
        assertThat(seen).extracting(Seen::ringSequence).containsExactlyElementsOf(range(0, seen.size()));
    }

    @Test
    void shouldRefuseReplayAfterALiveEvent() throws Exception
    {
        writeJournal(10);
        try (Session second = new Session(dir, CONFIG, ProducerType.SINGLE, false))
        {
            second.publish(10, 1);
            second.awaitSeen(1);
            assertThatThrownBy(() -> second.journaller.replay(second.ring, 5, DESERIALIZER))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("published before replay()");
            assertThatThrownBy(() -> second.journaller.replay(second.ring, -2, DESERIALIZER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lastApplied=-2");
        }
    }

    /** Journals ids 0..lastId with a skipped-sequence frame at {@code skipped} (as a pipeline writes one). */
    private void writeWithSkip(final int lastId, final long skipped)
    {
        try (JournalWriter writer = JournalWriter.open(dir, CONFIG))
        {
            final byte[] payload = new byte[Long.BYTES];
            for (long id = 0; id <= lastId; id++)
            {
                if (id == skipped)
                {
                    assertThat(writer.skip()).isEqualTo(id);
                    continue;
                }
                java.nio.ByteBuffer.wrap(payload).order(java.nio.ByteOrder.nativeOrder()).putLong(0, id);
                assertThat(writer.append(payload, 0, payload.length)).isEqualTo(id);
            }
            writer.endOfBatch();
        }
    }

    private void assertJournalHoldsIdsInOrder(final long records, final long... skipped) throws IOException
    {
        final AtomicLong next = new AtomicLong();
        try (JournalReader reader = JournalReader.open(dir, 0))
        {
            while (reader.poll((sequence, buffer, offset, length) ->
            {
                while (contains(skipped, next.get()))
                {
                    next.incrementAndGet();
                }
                assertThat(sequence).isEqualTo(next.getAndIncrement());
                assertThat(buffer.getLong(offset)).as("id at journal sequence %d", sequence).isEqualTo(sequence);
            }, 1000) > 0)
            {
                // drain
            }
            assertThat(reader.nextSequence()).isEqualTo(records);
        }
    }

    private static boolean contains(final long[] values, final long value)
    {
        for (final long v : values)
        {
            if (v == value)
            {
                return true;
            }
        }
        return false;
    }

    private static List<Long> range(final long from, final long to)
    {
        final List<Long> values = new ArrayList<>();
        for (long v = from; v < to; v++)
        {
            values.add(v);
        }
        return values;
    }
}
