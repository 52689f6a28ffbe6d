package io.ringwal.disruptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.lmax.disruptor.LiteTimeoutBlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.format.SegmentFileNames;
import io.ringwal.journal.ForceObserver;
import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalClosedException;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalFailedException;
import io.ringwal.journal.JournalWriter;

/**
 * The journaller's lifecycle: closing one whose Disruptor never started releases the journal, a failure is
 * logged once, and producers learn of a failure instead of waiting forever on a full ring.
 */
class JournallingEventHandlerLifecycleTest
{
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

    static ForceObserver failingFrom(final long sequence, final AtomicBoolean armed)
    {
        return new ForceObserver()
        {
            @Override
            public void beforeForce(final Path segment, final long offset, final long length, final long upto)
            {
                if (armed.get() && SegmentFileNames.isSegmentFileName(segment.getFileName().toString()) &&
                    upto >= sequence)
                {
                    throw new UncheckedIOException(new IOException("injected: the disk went away"));
                }
            }
        };
    }

    @Test
    void shouldReleaseTheJournalWhenClosedBeforeTheDisruptorStarts() throws Exception
    {
        final JournalConfig config = JournalConfig.builder().segmentSize(1024 * 1024).build();
        final JournallingEventHandler<Event> journaller = JournallingEventHandler.open(dir, config, SERIALIZER);
        journaller.close();
        journaller.close(); // idempotent
        assertThat(journaller.awaitClosed(0, TimeUnit.SECONDS)).isTrue();
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            assertThat(writer.nextSequence()).as("the lock was released: another writer opens it").isZero();
        }
        journaller.onStart();
        assertThat(journaller.failure()).isInstanceOf(JournalClosedException.class);
        assertThatThrownBy(() -> journaller.onEvent(new Event(), 0, true)).isInstanceOf(JournalFailedException.class);
    }

    @Test
    void shouldLogAnIdleForceFailureOnceAtError() throws Exception
    {
        final AtomicBoolean armed = new AtomicBoolean();
        final JournalConfig config = JournalConfig.builder().segmentSize(1024 * 1024)
            .forcePolicy(ForcePolicy.bounded(1, TimeUnit.MILLISECONDS, 1024 * 1024))
            .forceObserver(failingFrom(0, armed)).build();
        final List<LogRecord> errors = new CopyOnWriteArrayList<>();
        final Logger logger = Logger.getLogger(JournallingEventHandler.class.getName());
        final Handler handler = new Handler()
        {
            @Override
            public void publish(final LogRecord record)
            {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue())
                {
                    errors.add(record);
                }
            }

            @Override
            public void flush()
            {
            }

            @Override
            public void close()
            {
            }
        };
        logger.addHandler(handler);
        try (JournallingEventHandler<Event> journaller = JournallingEventHandler.open(dir, config, SERIALIZER))
        {
            armed.set(true);
            journaller.onStart();
            journaller.onEvent(new Event(), 0, true); // the bound has not passed: written, not forced
            Thread.sleep(5);
            for (int i = 0; i < 10; i++)
            {
                journaller.onTimeout(0);
            }
            assertThat(journaller.failure()).hasRootCauseMessage("injected: the disk went away");
            assertThat(errors).as("one ERROR record for the failure").hasSize(1);
            assertThat(errors.get(0).getThrown()).hasRootCauseMessage("injected: the disk went away");
            journaller.onShutdown();
        }
        finally
        {
            logger.removeHandler(handler);
        }
    }

    @Test
    void shouldMakeProducersOnAFullRingThrowWhenTheJournallerFails() throws Exception
    {
        final AtomicBoolean armed = new AtomicBoolean(true);
        final JournalConfig config = JournalConfig.builder().segmentSize(1024 * 1024)
            .forcePolicy(ForcePolicy.everyBatch()).forceObserver(failingFrom(300, armed)).build();
        final Disruptor<Event> disruptor = new Disruptor<>(Event::new, 64, DaemonThreadFactory.INSTANCE,
            ProducerType.MULTI, new LiteTimeoutBlockingWaitStrategy(1, TimeUnit.MILLISECONDS));
        final RingBuffer<Event> ring = disruptor.getRingBuffer();
        try (JournallingEventHandler<Event> journaller = JournallingEventHandler.open(dir, config, SERIALIZER))
        {
            disruptor.handleEventsWith(journaller).then((event, sequence, endOfBatch) -> { });
            disruptor.start();
            final List<Throwable> producerErrors = new CopyOnWriteArrayList<>();
            final List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < 3; p++)
            {
                final Thread producer = new Thread(() ->
                {
                    try
                    {
                        for (long i = 0; i < 1_000_000; i++)
                        {
                            journaller.publishEvent(ring, (event, sequence, value) -> event.value = value, i);
                        }
                    }
                    catch (final RuntimeException ex)
                    {
                        producerErrors.add(ex);
                    }
                }, "producer-" + p);
                producer.setDaemon(true);
                producer.start();
                producers.add(producer);
            }
            for (final Thread producer : producers)
            {
                producer.join(TimeUnit.SECONDS.toMillis(20));
                assertThat(producer.isAlive()).as("watchdog: %s still waits on the full ring", producer.getName())
                    .isFalse();
            }
            assertThat(producerErrors).hasSize(3).allSatisfy(error -> assertThat(error)
                .isInstanceOf(JournalFailedException.class).hasRootCauseMessage("injected: the disk went away"));
            assertThat(journaller.awaitClosed(10, TimeUnit.SECONDS)).as("the journal is closed after the failure")
                .isTrue();
            assertThatThrownBy(() -> journaller.next(ring)).isInstanceOf(JournalFailedException.class);
            disruptor.halt();
        }
    }
}
