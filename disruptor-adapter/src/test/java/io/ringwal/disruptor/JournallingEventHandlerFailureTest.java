package io.ringwal.disruptor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.format.SegmentFileNames;
import io.ringwal.journal.ForceObserver;
import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalFailedException;
import io.ringwal.journal.JournalReader;

/**
 * The embedded journaller inside a user's own Disruptor, when a force fails: it fails for good (never skips an
 * event and carries on), the business logic gated behind it never sees the failed event or any later one, and
 * everything the business logic did see is in the journal after a reopen.
 */
class JournallingEventHandlerFailureTest
{
    @TempDir
    Path dir;

    /** A user's event. */
    static final class Event
    {
        long value;
    }

    @Test
    void shouldStopForGoodAndKeepBusinessLogicBehindTheLastForcedEvent() throws Exception
    {
        final long failFrom = 300;
        final ForceObserver failing = new ForceObserver()
        {
            @Override
            public void beforeForce(final Path segment, final long offset, final long length, final long upto)
            {
                if (SegmentFileNames.isSegmentFileName(segment.getFileName().toString()) && upto >= failFrom)
                {
                    throw new UncheckedIOException(new IOException("injected: the disk went away"));
                }
            }
        };
        final JournalConfig config = JournalConfig.builder().segmentSize(1024 * 1024)
            .forcePolicy(ForcePolicy.everyBatch()).forceObserver(failing).build();
        final JournalSerializer<Event> serializer = new JournalSerializer<>()
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
        final JournallingEventHandler<Event> journaller = JournallingEventHandler.open(dir, config, serializer);
        final List<Long> businessSaw = new CopyOnWriteArrayList<>();
        final EventHandler<Event> businessLogic = (event, sequence, endOfBatch) -> businessSaw.add(event.value);

        final Disruptor<Event> disruptor = new Disruptor<>(Event::new, 1024, DaemonThreadFactory.INSTANCE,
            ProducerType.SINGLE, new BlockingWaitStrategy());
        disruptor.handleEventsWith(journaller).then(businessLogic);
        disruptor.start();
        for (long i = 0; i < 600; i++)
        {
            disruptor.getRingBuffer().publishEvent((event, sequence, value) -> event.value = value, i);
            if (i % 16 == 15)
            {
                Thread.sleep(1); // let batches end now and then, so several forces happen before the failure
            }
        }

        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (journaller.failure() == null && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        assertThat(journaller.failure()).as("the journaller failed").isNotNull();
        Thread.sleep(200); // give a (wrongly) running business stage time to show itself
        disruptor.halt();

        assertThat(businessSaw).as("business logic saw only events the journal had forced").isNotEmpty()
            .allMatch(value -> value < failFrom);
        for (int i = 0; i < businessSaw.size(); i++)
        {
            assertThat(businessSaw.get(i)).as("in order, none skipped").isEqualTo(i);
        }
        assertThat(journaller.durableSequence()).isLessThan(failFrom);
        try
        {
            journaller.onEvent(new Event(), 10_000, true);
            throw new AssertionError("a failed journaller accepted an event");
        }
        catch (final JournalFailedException expected)
        {
            assertThat(expected).hasRootCauseMessage("injected: the disk went away");
        }

        final List<Long> journaled = new CopyOnWriteArrayList<>();
        try (JournalReader reader = JournalReader.open(dir, 0))
        {
            while (reader.poll((sequence, buffer, offset, length) -> journaled.add(buffer.getLong(offset)), 1000) > 0)
            {
                // drain
            }
        }
        assertThat(journaled).as("everything the business logic saw is in the journal")
            .startsWith(businessSaw.toArray(new Long[0]));
    }
}
