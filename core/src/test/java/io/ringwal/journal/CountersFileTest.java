package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.format.CounterId;
import io.ringwal.format.CountersDescriptor;
import io.ringwal.tool.JournalVerifier;
import io.ringwal.tool.VerifyReport;

class CountersFileTest
{
    @TempDir
    Path dir;

    private final byte[] record = new byte[100];

    private static JournalConfig small()
    {
        return JournalConfig.builder().segmentSize(64 * 1024).build();
    }

    @Test
    void shouldShowTheWriterCountersToAReaderWhenThePublisherIsCalledAtBatchEnd()
    {
        final JournalConfig config = JournalConfig.builder().segmentSize(64 * 1024).build();
        final JournalWriter writer = JournalWriter.open(dir, config);
        final JournalCountersPublisher publisher = JournalCountersPublisher.open(writer);
        try (CountersFileReader reader = CountersFileReader.open(dir))
        {
            assertThat(reader.writtenSequence()).isEqualTo(-1);
            assertThat(reader.status(5_000)).isEqualTo(CountersFileReader.Status.LIVE);
            for (int i = 0; i < 1000; i++)
            {
                writer.append(record, 0, record.length);
                if (i % 10 == 9)
                {
                    writer.endOfBatch();
                    publisher.publish();
                }
            }
            assertThat(reader.get(CounterId.RECORDS)).isEqualTo(1000);
            assertThat(reader.get(CounterId.BYTES)).isEqualTo(100_000);
            assertThat(reader.get(CounterId.BATCHES)).isEqualTo(100);
            assertThat(reader.writtenSequence()).isEqualTo(999);
            assertThat(reader.durableSequence()).isEqualTo(999);
            assertThat(reader.get(CounterId.FORCES)).isEqualTo(writer.counters().forces()).isPositive();
            assertThat(reader.get(CounterId.ROTATIONS)).isEqualTo(writer.counters().rotations()).isPositive();
            assertThat(reader.get(CounterId.FAILURES)).isZero();
            assertThat(reader.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(reader.isWriterProcessAlive()).isTrue();
            assertThat(reader.layoutVersion()).isEqualTo(CountersDescriptor.CURRENT_VERSION);
            assertThat(reader.ringSize()).isZero();
            assertThat(reader.failureReason()).isNull();
            assertThat(reader.heartbeatEpochMillis()).isGreaterThanOrEqualTo(reader.startEpochMillis());

            writer.close();
            publisher.close();
            assertThat(reader.status(5_000)).isEqualTo(CountersFileReader.Status.CLOSED);
            assertThat(reader.durableSequence()).isEqualTo(999);
        }
    }

    @Test
    void shouldSayDetachedWhenThePublisherClosesWhileTheWriterStaysOpen()
    {
        try (JournalWriter writer = JournalWriter.open(dir, small()))
        {
            JournalCountersPublisher.open(writer).close();
            try (CountersFileReader reader = CountersFileReader.open(dir))
            {
                assertThat(reader.status(5_000)).isEqualTo(CountersFileReader.Status.DETACHED);
            }
        }
    }

    @Test
    void shouldKeepTheFirstFailureReasonWhenTheWriterFails()
    {
        try (JournalWriter writer = JournalWriter.open(dir, small());
            CountersFile file = CountersFile.create(dir, 8))
        {
            file.failed(new JournalFailedException("force failed: EIO", null));
            file.failed(new IllegalStateException("later"));
            file.closed();
            try (CountersFileReader reader = CountersFileReader.open(dir))
            {
                assertThat(reader.status(5_000)).isEqualTo(CountersFileReader.Status.FAILED);
                assertThat(reader.failureReason()).contains("force failed: EIO").doesNotContain("later");
                assertThat(reader.get(CounterId.FAILURES)).isEqualTo(1);
                assertThat(reader.ringSize()).isEqualTo(8);
            }
            assertThat(writer.isClosed()).isFalse();
        }
    }

    @Test
    void shouldSayStaleWhenTheHeartbeatIsOlderThanAllowed() throws InterruptedException
    {
        try (JournalWriter writer = JournalWriter.open(dir, small());
            JournalCountersPublisher publisher = JournalCountersPublisher.open(writer);
            CountersFileReader reader = CountersFileReader.open(dir))
        {
            Thread.sleep(30);
            assertThat(reader.status(10)).isEqualTo(CountersFileReader.Status.STALE);
            publisher.publish();
            assertThat(reader.status(10_000)).isEqualTo(CountersFileReader.Status.LIVE);
        }
    }

    @Test
    void shouldSayDeadWhenTheWriterProcessEndedWithoutClosing() throws Exception
    {
        try (JournalWriter writer = JournalWriter.open(dir, small());
            JournalCountersPublisher publisher = JournalCountersPublisher.open(writer))
        {
            final Process gone = new ProcessBuilder("true").start();
            assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
            putLong(CountersDescriptor.PID_OFFSET, gone.pid());
            try (CountersFileReader reader = CountersFileReader.open(dir))
            {
                assertThat(reader.isWriterProcessAlive()).isFalse();
                assertThat(reader.status(5_000)).isEqualTo(CountersFileReader.Status.DEAD);
            }
            assertThat(publisher.file().path()).isEqualTo(dir.resolve(CountersDescriptor.FILE_NAME));
        }
    }

    @Test
    void shouldSeeTheFileReplacedWhenALaterWriterCreatesItsOwn()
    {
        try (JournalWriter writer = JournalWriter.open(dir, small()))
        {
            try (CountersFile first = CountersFile.create(dir, 0);
                CountersFileReader reader = CountersFileReader.open(dir))
            {
                assertThat(reader.isReplaced()).isFalse();
                try (CountersFile second = CountersFile.create(dir, 16))
                {
                    assertThat(reader.isReplaced()).isTrue();
                    assertThat(reader.ringSize()).isZero(); // still the first file's values
                    assertThat(second.path()).isEqualTo(first.path());
                }
            }
            assertThat(writer.isClosed()).isFalse();
        }
    }

    @Test
    void shouldRefuseAFileThatIsNotACountersFileNamingTheProblem() throws IOException
    {
        Files.write(dir.resolve(CountersDescriptor.FILE_NAME), new byte[CountersDescriptor.FILE_LENGTH]);
        assertThatThrownBy(() -> CountersFileReader.open(dir)).isInstanceOf(JournalException.class)
            .hasMessageContaining("not a ringwal counters file");
        Files.write(dir.resolve(CountersDescriptor.FILE_NAME), new byte[10]);
        assertThatThrownBy(() -> CountersFileReader.open(dir)).isInstanceOf(JournalException.class)
            .hasMessageContaining("shorter than 4096");
        Files.delete(dir.resolve(CountersDescriptor.FILE_NAME));
        assertThat(CountersFileReader.openIfPresent(dir)).isEmpty();
        assertThatThrownBy(() -> CountersFileReader.open(dir)).isInstanceOf(JournalException.class)
            .hasMessageContaining("no counters file in " + dir);
    }

    @Test
    void shouldLeaveRecoveryAndVerifyUnaffectedWhenTheCountersFileIsInTheDirectory()
    {
        try (JournalWriter writer = JournalWriter.open(dir, small());
            JournalCountersPublisher publisher = JournalCountersPublisher.open(writer))
        {
            writer.append(record, 0, record.length);
            writer.endOfBatch();
            publisher.publish();
        }
        final VerifyReport report = JournalVerifier.verify(dir);
        assertThat(report.intact()).as(report.toString()).isTrue();
        final java.util.List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        final java.util.logging.Logger logger = java.util.logging.Logger.getLogger("io.ringwal");
        final java.util.logging.Handler handler = new java.util.logging.Handler()
        {
            @Override
            public void publish(final java.util.logging.LogRecord logRecord)
            {
                if (logRecord.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue())
                {
                    warnings.add(logRecord.getMessage());
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
        try (JournalWriter writer = JournalWriter.open(dir, small()))
        {
            assertThat(writer.recoveryReport().removedFiles()).isEmpty();
            assertThat(writer.nextSequence()).isEqualTo(1);
        }
        finally
        {
            logger.removeHandler(handler);
        }
        assertThat(warnings).as("no warning about files that are not part of the journal").isEmpty();
        assertThat(Files.exists(dir.resolve(CountersDescriptor.FILE_NAME))).isTrue();
    }

    private void putLong(final int offset, final long value) throws IOException
    {
        try (FileChannel channel = FileChannel.open(dir.resolve(CountersDescriptor.FILE_NAME),
            StandardOpenOption.WRITE))
        {
            final ByteBuffer bytes = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
            channel.write(bytes, offset);
        }
    }
}
