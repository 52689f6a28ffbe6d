package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.format.SegmentFileNames;
import io.ringwal.format.SegmentHeaderDescriptor;
import io.ringwal.testing.JournalFiles;

/**
 * A reader meets damage the way recovery does: inside what the writer has finished (a segment with a later one, or
 * the frames below a close marker), a premature end or a missing segment is a {@link JournalCorruptedException}
 * naming file and offset, raised on the first poll that reaches it, and never "nothing new". Only the live tail of
 * the last segment is "not yet".
 */
class JournalReaderDamageTest
{
    private static final int SEGMENT = 64 * 1024;
    private static final int RECORD = 1000;
    private static final int PER_SEGMENT = 63; // 63 frames of 1024 bytes, then a 960-byte padding frame
    private static final int RECORDS = 3 * PER_SEGMENT + 12; // segments 0, 63, 126 full, 189 with 12 records
    private static final int CLOSE_MARKER = SegmentHeaderDescriptor.HEADER_LENGTH + 12 * 1024;

    @TempDir
    Path tmp;

    private Path journal()
    {
        final Path dir = tmp.resolve("journal");
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.builder().segmentSize(SEGMENT).build()))
        {
            for (int i = 0; i < RECORDS; i++)
            {
                writer.append(JournalFiles.payload(i, RECORD), 0, RECORD);
            }
        }
        return dir;
    }

    private static Path segment(final Path dir, final long base)
    {
        return dir.resolve(SegmentFileNames.segmentFileName(base));
    }

    private static void zero(final Path file, final int from, final int to)
    {
        final byte[] bytes = JournalFiles.read(file);
        Arrays.fill(bytes, from, to, (byte)0);
        JournalFiles.write(file, bytes);
    }

    /** Polls from 0 until a poll returns 0 or throws; checks every record delivered. */
    private static long[] replayUntilEmpty(final JournalReader reader)
    {
        final long[] next = {0};
        while (reader.poll((sequence, buffer, offset, length) ->
        {
            assertThat(sequence).isEqualTo(next[0]);
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            assertThat(bytes).isEqualTo(JournalFiles.payload(sequence, RECORD));
            next[0]++;
        }, 1000) > 0)
        {
            // drain
        }
        return next;
    }

    @Test
    void shouldReportAZeroedEndOfAnOlderSegmentOnThePollThatReachesIt()
    {
        final Path dir = journal();
        // the last ~4 KB of segment 63, from a frame boundary: frames 60-62 and the padding frame
        final int firstZeroed = SegmentHeaderDescriptor.HEADER_LENGTH + 60 * 1024;
        zero(segment(dir, 63), firstZeroed, SEGMENT);
        try (JournalReader reader = JournalReader.open(dir, 0))
        {
            final long[] delivered = {0};
            assertThatThrownBy(() ->
            {
                while (reader.poll((sequence, buffer, offset, length) -> delivered[0]++, 1000) > 0)
                {
                    // drain
                }
            })
                .isInstanceOfSatisfying(JournalCorruptedException.class, ex ->
                {
                    assertThat(ex.file()).isEqualTo(segment(dir, 63));
                    assertThat(ex.offset()).isEqualTo(firstZeroed);
                })
                .hasMessageContaining("without a padding frame")
                .hasMessageContaining("later segment " + SegmentFileNames.segmentFileName(126));
            assertThat(delivered[0]).isEqualTo(PER_SEGMENT + 60);
            // and every later poll says so again
            assertThatThrownBy(() -> reader.poll((sequence, buffer, offset, length) ->
            {
            }, 1)).isInstanceOf(JournalCorruptedException.class);
        }
    }

    @Test
    void shouldReportAMissingOlderSegmentOnTheFirstEmptyPoll() throws Exception
    {
        final Path dir = journal();
        Files.delete(segment(dir, 126));
        try (JournalReader reader = JournalReader.open(dir, 0))
        {
            final long[] delivered = {0};
            assertThatThrownBy(() ->
            {
                while (reader.poll((sequence, buffer, offset, length) -> delivered[0]++, 1000) > 0)
                {
                    // drain
                }
            })
                .isInstanceOfSatisfying(JournalCorruptedException.class, ex ->
                    assertThat(ex.file()).isEqualTo(segment(dir, 126)))
                .hasMessageContaining("segment is missing")
                .hasMessageContaining(SegmentFileNames.segmentFileName(189));
            assertThat(delivered[0]).isEqualTo(2 * PER_SEGMENT);
        }
    }

    @Test
    void shouldReportAZeroedRangeBelowTheCloseMarkerOfTheLastSegment()
    {
        final Path dir = journal();
        final int at = SegmentHeaderDescriptor.HEADER_LENGTH + 5 * 1024;
        zero(segment(dir, 189), at, at + 2048 + 100);
        try (JournalReader reader = JournalReader.open(dir, 0))
        {
            assertThatThrownBy(() -> replayUntilEmpty(reader))
                .isInstanceOfSatisfying(JournalCorruptedException.class, ex ->
                {
                    assertThat(ex.file()).isEqualTo(segment(dir, 189));
                    assertThat(ex.offset()).isEqualTo(at);
                })
                .hasMessageContaining("damage below a clean close")
                .hasMessageContaining("offset " + CLOSE_MARKER);
        }
    }

    @Test
    void shouldReadAnIntactClosedJournalToItsCleanEnd()
    {
        final Path dir = journal();
        try (JournalReader reader = JournalReader.open(dir, 0))
        {
            assertThat(replayUntilEmpty(reader)[0]).isEqualTo(RECORDS);
            assertThat(reader.atCleanEnd()).isTrue();
            assertThat(reader.poll((sequence, buffer, offset, length) ->
            {
            }, 10)).isZero();
        }
    }

    @Test
    void shouldWaitAtTheLiveTailOfAnOpenJournalAndDeliverWhatComesLater()
    {
        final Path dir = tmp.resolve("live");
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.builder().segmentSize(SEGMENT).build()))
        {
            for (int i = 0; i < 100; i++)
            {
                writer.append(JournalFiles.payload(i, RECORD), 0, RECORD);
            }
            writer.endOfBatch();
            try (JournalReader reader = JournalReader.open(dir, 0))
            {
                assertThat(replayUntilEmpty(reader)[0]).isEqualTo(100);
                assertThat(reader.atCleanEnd()).isFalse();
                for (int poll = 0; poll < 1000; poll++)
                {
                    assertThat(reader.poll((sequence, buffer, offset, length) ->
                    {
                    }, 10)).isZero();
                }
                writer.append(JournalFiles.payload(100, RECORD), 0, RECORD);
                writer.endOfBatch();
                assertThat(reader.poll((sequence, buffer, offset, length) -> assertThat(sequence).isEqualTo(100), 10))
                    .isOne();
            }
        }
    }

    @Test
    void shouldWaitForTheFirstSegmentOfAJournalItsWriterHasNotCreatedYet() throws Exception
    {
        final Path dir = tmp.resolve("later");
        final CompletableFuture<Void> writing = CompletableFuture.runAsync(() ->
        {
            try
            {
                Thread.sleep(300);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.builder().segmentSize(SEGMENT).build()))
            {
                writer.append(JournalFiles.payload(0, RECORD), 0, RECORD);
            }
        });
        try (JournalReader reader = JournalReader.open(dir, 0, Duration.ofSeconds(20)))
        {
            writing.get(20, TimeUnit.SECONDS);
            assertThat(reader.poll((sequence, buffer, offset, length) -> assertThat(sequence).isZero(), 10)).isOne();
            assertThat(reader.atCleanEnd()).isTrue();
        }
    }

    @Test
    void shouldGiveUpWaitingForTheFirstSegmentAfterTheTimeoutAndStillRefuseAPlainOpen() throws Exception
    {
        final Path dir = Files.createDirectories(tmp.resolve("empty"));
        final long start = System.nanoTime();
        assertThatThrownBy(() -> JournalReader.open(dir, 0, Duration.ofMillis(200)))
            .isInstanceOf(JournalException.class)
            .hasMessageContaining("no segment file")
            .hasMessageContaining("within 200 ms");
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
        assertThatThrownBy(() -> JournalReader.open(tmp.resolve("missing"), 0, Duration.ZERO))
            .isInstanceOf(JournalException.class)
            .hasMessageContaining("the directory does not exist");
        assertThatThrownBy(() -> JournalReader.open(dir, 0))
            .isInstanceOf(JournalException.class)
            .hasMessageContaining("no segment files");
        assertThatThrownBy(() -> JournalReader.open(dir, 0, Duration.ofMillis(-1)))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
