package io.ringwal.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.testing.JournalFiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A library embedded in a latency-critical process stays quiet: a normal open (a new journal, a clean reopen)
 * logs its recovery report at DEBUG (java.util.logging FINE), while what an operator must see, such as a torn
 * tail cut on open, is logged at WARNING.
 */
class JournalLogLevelTest
{
    private static final JournalConfig CONFIG = JournalConfig.builder().segmentSize(64 * 1024)
        .forcePolicy(ForcePolicy.never()).build();
    private static final String MARKER = "last-record-marker";

    private final Logger logger = Logger.getLogger("io.ringwal");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler()
    {
        @Override
        public void publish(final LogRecord record)
        {
            records.add(record);
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
    private Level previous;

    @TempDir
    Path tmp;

    @BeforeEach
    void captureLog()
    {
        previous = logger.getLevel();
        logger.setLevel(Level.ALL);
        capture.setLevel(Level.ALL);
        logger.addHandler(capture);
    }

    @AfterEach
    void restoreLog()
    {
        logger.removeHandler(capture);
        logger.setLevel(previous);
    }

    @Test
    void shouldLogRecoveryReportOnlyAtDebugWhenOpeningNormally()
    {
        final Path dir = tmp.resolve("journal");
        writeRecords(dir);
        try (JournalWriter writer = JournalWriter.open(dir, CONFIG))
        {
            assertThat(writer.recoveryReport().tornTailCut()).isFalse();
        }

        assertThat(recoveryRecords()).as("a report per open").hasSize(2)
            .allSatisfy(record -> assertThat(record.getLevel()).isEqualTo(Level.FINE));
        assertThat(atInfoOrAbove()).as("nothing at INFO or above").isEmpty();
    }

    @Test
    void shouldWarnWhenOpenCutsATornTail() throws IOException
    {
        final Path dir = tmp.resolve("journal");
        writeRecords(dir);
        final List<Path> segments = JournalFiles.segments(dir);
        final Path last = segments.get(segments.size() - 1);
        final byte[] bytes = JournalFiles.read(last);
        final int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf(MARKER);
        assertThat(at).as("marker in the last segment").isPositive();
        bytes[at] ^= 0x5A;
        Files.write(last, bytes);
        records.clear();

        try (JournalWriter writer = JournalWriter.open(dir, CONFIG))
        {
            assertThat(writer.recoveryReport().tornTailCut()).isTrue();
        }

        assertThat(atInfoOrAbove()).isNotEmpty()
            .allSatisfy(record -> assertThat(record.getLevel()).isEqualTo(Level.WARNING))
            .anySatisfy(record -> assertThat(record.getMessage()).contains("torn tail"));
    }

    private static void writeRecords(final Path dir)
    {
        try (JournalWriter writer = JournalWriter.open(dir, CONFIG))
        {
            for (int i = 0; i < 10; i++)
            {
                final byte[] payload = (i == 9 ? MARKER : "record-" + i).getBytes(StandardCharsets.US_ASCII);
                writer.append(payload, 0, payload.length);
            }
            writer.endOfBatch();
        }
    }

    private List<LogRecord> recoveryRecords()
    {
        return records.stream().filter(record -> JournalRecovery.class.getName().equals(record.getLoggerName()))
            .collect(Collectors.toList());
    }

    private List<LogRecord> atInfoOrAbove()
    {
        return records.stream().filter(record -> record.getLevel().intValue() >= Level.INFO.intValue())
            .collect(Collectors.toList());
    }
}
