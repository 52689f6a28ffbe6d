package io.ringwal.journal;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.format.SegmentFileNames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JournalRetentionTest
{
    @TempDir
    Path dir;

    private Path seg0;
    private Path seg10;
    private Path seg20;
    private Path seg30;

    @BeforeEach
    void writeFourSegments()
    {
        // Bases 0, 10, 20, 30; ten records in each of the first three, three in the active one.
        seg0 = SegmentFixture.segment(0).records(10, "r").padding().writeTo(dir);
        seg10 = SegmentFixture.segment(10).previous(0).records(10, "r").padding().writeTo(dir);
        seg20 = SegmentFixture.segment(20).previous(10).records(10, "r").padding().writeTo(dir);
        seg30 = SegmentFixture.segment(30).previous(20).records(3, "r").writeTo(dir);
    }

    @Test
    void shouldDeleteTheSegmentsEntirelyBelowTheSequence()
    {
        final JournalRetention.RetentionResult result = JournalRetention.deleteSegmentsBelow(dir, 25);

        assertThat(result.deleted()).containsExactly(seg0, seg10);
        assertThat(result.firstRemainingSequence()).isEqualTo(20);
        assertThat(result.keptForReaders()).isEmpty();
        assertThat(seg0).doesNotExist();
        assertThat(seg10).doesNotExist();
        assertThat(seg20).exists();
        assertThat(seg30).exists();
    }

    @Test
    void shouldTreatASegmentAsBelowWhenTheNextBaseEqualsTheSequence()
    {
        assertThat(JournalRetention.deleteSegmentsBelow(dir, 19).deleted()).containsExactly(seg0);
        assertThat(JournalRetention.deleteSegmentsBelow(dir, 20).deleted()).containsExactly(seg10);
        assertThat(seg20).exists();
    }

    @Test
    void shouldDeleteNothingWhenTheFirstSegmentIsStillNeeded()
    {
        final JournalRetention.RetentionResult result = JournalRetention.deleteSegmentsBelow(dir, 9);

        assertThat(result.deleted()).isEmpty();
        assertThat(result.firstRemainingSequence()).isEqualTo(0);
        assertThat(seg0).exists();
    }

    @Test
    void shouldNeverDeleteTheLastSegment()
    {
        final JournalRetention.RetentionResult result = JournalRetention.deleteSegmentsBelow(dir, Long.MAX_VALUE);

        assertThat(result.deleted()).containsExactly(seg0, seg10, seg20);
        assertThat(result.firstRemainingSequence()).isEqualTo(30);
        assertThat(seg30).exists();

        assertThat(JournalRetention.deleteSegmentsBelow(dir, Long.MAX_VALUE).deleted()).isEmpty();
        assertThat(seg30).exists();
    }

    @Test
    void shouldKeepTheWritersActiveSegmentAndLaterOnes()
    {
        final JournalRetention.RetentionResult result = JournalRetention.deleteSegmentsBelow(dir, 1000, 10);

        assertThat(result.deleted()).containsExactly(seg0);
        assertThat(result.firstRemainingSequence()).isEqualTo(10);
        assertThat(seg10).exists();
        assertThat(seg20).exists();
    }

    @Test
    void shouldKeepTheSegmentAReaderIsOnAndEveryLaterOne()
    {
        try (JournalReader reader = JournalReader.open(dir, 12))
        {
            assertThat(reader.nextSequence()).isEqualTo(12);

            final JournalRetention.RetentionResult result = JournalRetention.deleteSegmentsBelow(dir, 1000);

            assertThat(result.deleted()).containsExactly(seg0);
            assertThat(result.firstRemainingSequence()).isEqualTo(10);
            assertThat(result.keptForReaders()).containsExactly(seg10, seg20);
            assertThat(seg10).exists();

            final JournalReaderTest.Collector collector = new JournalReaderTest.Collector();
            assertThat(reader.poll(collector, 100)).isEqualTo(21);
            assertThat(collector.sequences.get(0)).isEqualTo(12L);
            assertThat(collector.sequences.get(20)).isEqualTo(32L);
        }

        final JournalRetention.RetentionResult afterClose = JournalRetention.deleteSegmentsBelow(dir, 1000);
        assertThat(afterClose.deleted()).containsExactly(seg10, seg20);
        assertThat(afterClose.keptForReaders()).isEmpty();
        assertThat(afterClose.firstRemainingSequence()).isEqualTo(30);
    }

    @Test
    void shouldFollowAReaderThatMovesForward()
    {
        try (JournalReader reader = JournalReader.open(dir, 0))
        {
            assertThat(reader.poll(new JournalReaderTest.Collector(), 15)).isEqualTo(15);

            final JournalRetention.RetentionResult result = JournalRetention.deleteSegmentsBelow(dir, 1000);

            assertThat(result.deleted()).containsExactly(seg0);
            assertThat(result.keptForReaders()).containsExactly(seg10, seg20);
        }
    }

    @Test
    void shouldKeepSegmentsOfAReaderOpenedThroughAnotherSpellingOfTheDirectory()
    {
        final Path spelledDifferently = dir.resolve("..").resolve(dir.getFileName()).resolve(".");
        try (JournalReader reader = JournalReader.open(spelledDifferently, 5))
        {
            assertThat(reader.nextSequence()).isEqualTo(5);
            final JournalRetention.RetentionResult result = JournalRetention.deleteSegmentsBelow(dir, 1000);

            assertThat(result.deleted()).isEmpty();
            assertThat(result.keptForReaders()).containsExactly(seg0, seg10, seg20);
        }
    }

    @Test
    void shouldMakeReadersOpenedAfterwardsReportTheFirstAvailableSequence()
    {
        JournalRetention.deleteSegmentsBelow(dir, 25);

        assertThatThrownBy(() -> JournalReader.open(dir, 15))
            .isInstanceOf(JournalException.class)
            .hasMessageContaining("first available sequence is 20");
        try (JournalReader reader = JournalReader.open(dir, 20))
        {
            assertThat(reader.poll(new JournalReaderTest.Collector(), 100)).isEqualTo(13);
        }
    }

    @Test
    void shouldIgnoreTemporaryAndForeignFiles() throws Exception
    {
        final Path temp = SegmentFixture.segment(40).previous(30).writeTo(dir, SegmentFileNames.segmentFileName(40) +
            ".tmp");
        final Path lock = Files.writeString(dir.resolve(SegmentFileNames.LOCK_FILE_NAME), "");

        final JournalRetention.RetentionResult result = JournalRetention.deleteSegmentsBelow(dir, 1000);

        assertThat(result.deleted()).containsExactly(seg0, seg10, seg20);
        assertThat(temp).exists();
        assertThat(lock).exists();
        assertThat(seg30).exists();
    }

    @Test
    void shouldRejectBadArguments()
    {
        assertThatThrownBy(() -> JournalRetention.deleteSegmentsBelow(dir, -1))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JournalRetention.deleteSegmentsBelow(dir.resolve("missing"), 10))
            .isInstanceOf(JournalException.class)
            .hasMessageContaining("does not exist");
    }
}
