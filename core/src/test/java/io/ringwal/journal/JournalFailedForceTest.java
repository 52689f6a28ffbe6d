package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.testing.JournalFiles;

/**
 * A failed force is final: the writer enters the failed state, the durable watermark stays where the last good
 * force left it, every later call throws {@link JournalFailedException} carrying the injected cause, close still
 * returns, and a reopen recovers everything up to the last good force.
 */
class JournalFailedForceTest
{
    private static final int SEGMENT = 64 * 1024;
    private static final int RECORD = 1000;

    @TempDir
    Path dir;

    /** Throws from {@link #beforeForce} once armed, as a failing msync would. */
    static final class FailingObserver implements ForceObserver
    {
        volatile boolean armed;
        int failed;
        Path failedSegment;

        @Override
        public void beforeForce(final Path segment, final long offset, final long length, final long uptoSequence)
        {
            if (armed)
            {
                failed++;
                failedSegment = segment;
                throw new UncheckedIOException(new IOException("injected"));
            }
        }
    }

    private JournalConfig config(final FailingObserver observer, final ForcePolicy policy)
    {
        return JournalConfig.builder().segmentSize(SEGMENT).forcePolicy(policy).forceObserver(observer).build();
    }

    private static void append(final JournalWriter writer, final long sequence)
    {
        assertThat(writer.append(JournalFiles.payload(sequence, RECORD), 0, RECORD)).isEqualTo(sequence);
    }

    private static void assertFailedWithInjectedCause(final ThrowingCallable call)
    {
        assertThatThrownBy(call)
            .isInstanceOf(JournalFailedException.class)
            .hasRootCauseInstanceOf(IOException.class)
            .hasRootCauseMessage("injected");
    }

    private static void assertFailedForGood(final JournalWriter writer)
    {
        assertFailedWithInjectedCause(() -> writer.append(new byte[1], 0, 1));
        assertFailedWithInjectedCause(() -> writer.claim(1));
        assertFailedWithInjectedCause(writer::endOfBatch);
        assertFailedWithInjectedCause(writer::force);
        assertFailedWithInjectedCause(writer::forceIfDue);
        assertThat(writer.failure()).isInstanceOf(JournalFailedException.class).hasRootCauseMessage("injected");
    }

    private void assertReopenRecoversAtLeast(final long durable, final long written)
    {
        final long last;
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.builder().segmentSize(SEGMENT).build()))
        {
            last = writer.recoveryReport().lastSequence();
            // the page cache still holds what was written after the failed force, so more may come back, never less
            assertThat(last).isBetween(durable, written);
            assertThat(writer.append(JournalFiles.payload(last + 1, RECORD), 0, RECORD)).isEqualTo(last + 1);
        }
        final List<byte[]> records = JournalFiles.readAll(dir);
        assertThat(records).hasSize((int)last + 2);
        for (int i = 0; i < records.size(); i++)
        {
            assertThat(records.get(i)).as("record %d", i).isEqualTo(JournalFiles.payload(i, RECORD));
        }
    }

    @Test
    void shouldEnterFailedStateWhenTheBatchForceFails()
    {
        final FailingObserver observer = new FailingObserver();
        final JournalWriter writer = JournalWriter.open(dir, config(observer, ForcePolicy.everyBatch()));
        for (int i = 0; i < 10; i++)
        {
            append(writer, i);
        }
        writer.endOfBatch();
        assertThat(writer.durableSequence()).isEqualTo(9);

        observer.armed = true;
        for (int i = 10; i < 15; i++)
        {
            append(writer, i);
        }
        assertThatThrownBy(writer::endOfBatch)
            .isInstanceOf(JournalFailedException.class)
            .hasMessageContaining("force of " + writer.activeSegment())
            .hasMessageContaining("nothing after sequence 9 is acknowledged durable")
            .hasCauseInstanceOf(UncheckedIOException.class)
            .hasRootCauseMessage("injected");
        assertThat(observer.failed).isEqualTo(1);
        assertThat(writer.durableSequence()).isEqualTo(9);
        assertThat(writer.writtenSequence()).isEqualTo(14);

        observer.armed = false; // a later force would succeed: it must not be tried, nor reported as durable
        assertFailedForGood(writer);
        assertThat(writer.durableSequence()).isEqualTo(9);
        assertThat(writer.counters().forces()).isEqualTo(1);
        writer.close();
        assertThat(writer.isClosed()).isTrue();
        assertThat(writer.durableSequence()).isEqualTo(9);
        assertReopenRecoversAtLeast(9, 14);
    }

    @Test
    void shouldEnterFailedStateWhenTheRotationForceFails()
    {
        final FailingObserver observer = new FailingObserver();
        final JournalWriter writer = JournalWriter.open(dir, config(observer, ForcePolicy.never()));
        final int perSegment = (SEGMENT - 64) / 1024; // 63 records of 1024 aligned bytes
        for (int i = 0; i < perSegment; i++)
        {
            append(writer, i);
        }
        writer.force();
        assertThat(writer.durableSequence()).isEqualTo(perSegment - 1);
        append(writer, perSegment); // rotation force #1 (never policy: only rotations and explicit forces)
        final long durable = writer.durableSequence();
        assertThat(durable).isEqualTo(perSegment - 1);
        for (int i = perSegment + 1; i < 2 * perSegment; i++)
        {
            append(writer, i);
        }
        final Path full = writer.activeSegment();
        observer.armed = true;
        assertThatThrownBy(() -> writer.append(JournalFiles.payload(2 * perSegment, RECORD), 0, RECORD))
            .isInstanceOf(JournalFailedException.class)
            .hasMessageContaining("force of " + full)
            .hasRootCauseMessage("injected");
        assertThat(observer.failedSegment).isEqualTo(full);
        assertThat(writer.durableSequence()).isEqualTo(durable);
        assertThat(writer.activeSegment()).isEqualTo(full);
        assertFailedForGood(writer);
        writer.close();
        assertReopenRecoversAtLeast(durable, 2L * perSegment - 1);
    }

    @Test
    void shouldEnterFailedStateWhenABoundedForceFails()
    {
        final FailingObserver observer = new FailingObserver();
        final JournalWriter writer = JournalWriter.open(dir,
            config(observer, ForcePolicy.bounded(1, TimeUnit.HOURS, 4 * RECORD)));
        for (int i = 0; i < 3; i++)
        {
            append(writer, i);
            writer.endOfBatch();
        }
        assertThat(writer.durableSequence()).isEqualTo(-1);
        append(writer, 3);
        writer.endOfBatch(); // 4 KiB reached
        assertThat(writer.durableSequence()).isEqualTo(3);
        observer.armed = true;
        for (int i = 4; i < 7; i++)
        {
            append(writer, i);
            assertThat(writer.forceIfDue()).isFalse();
        }
        append(writer, 7);
        assertFailedWithInjectedCause(writer::forceIfDue);
        assertThat(writer.durableSequence()).isEqualTo(3);
        assertFailedForGood(writer);
        writer.close();
        assertReopenRecoversAtLeast(3, 7);
    }

    @Test
    void shouldReleaseEverythingWhenTheFinalForceInCloseFails()
    {
        final FailingObserver observer = new FailingObserver();
        final JournalWriter writer = JournalWriter.open(dir, config(observer, ForcePolicy.never()));
        for (int i = 0; i < 5; i++)
        {
            append(writer, i);
        }
        writer.force();
        append(writer, 5);
        observer.armed = true;
        assertThatThrownBy(writer::close)
            .isInstanceOf(JournalFailedException.class)
            .hasRootCauseMessage("injected");
        assertThat(writer.isClosed()).isTrue();
        assertThat(writer.durableSequence()).isEqualTo(4);
        writer.close(); // idempotent, and quiet the second time
        assertThatThrownBy(() -> writer.append(new byte[1], 0, 1)).isInstanceOf(JournalClosedException.class);
        assertReopenRecoversAtLeast(4, 5); // the lock was released
    }
}
