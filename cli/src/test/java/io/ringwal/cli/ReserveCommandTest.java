package io.ringwal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalSpace;
import io.ringwal.journal.JournalWriter;

/**
 * {@code ringwal reserve}: free segment files of the journal's own segment size, plain errors for bad arguments and
 * for a journal a writer holds.
 */
class ReserveCommandTest
{
    @TempDir
    Path tmp;

    @Test
    void shouldReserveFreeFilesOfTheJournalsOwnSegmentSize()
    {
        final Path dir = tmp.resolve("journal");
        Journals.write(dir, 10, 100);

        final CliRun run = CliRun.run("reserve", dir.toString(), "--segments", "3");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out()).contains("reserved    3 new free segment files of " +
            String.format(java.util.Locale.ROOT, "%,d", Journals.SEGMENT_SIZE) + " bytes").contains("free files  3");
        assertThat(JournalSpace.freeSegments(dir, Journals.SEGMENT_SIZE)).isEqualTo(3);
        final CliRun again = CliRun.run("reserve", dir.toString(), "--segments", "3");
        assertThat(again.out()).as(again.toString()).contains("reserved    0 new free segment files");
    }

    @Test
    void shouldUseTheGivenSizeForANewDirectory()
    {
        final Path dir = tmp.resolve("new");

        final CliRun run = CliRun.run("reserve", dir.toString(), "--segments", "2", "--segment-size", "128KiB");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(JournalSpace.freeSegments(dir, 128 * 1024)).isEqualTo(2);
    }

    @Test
    void shouldReserveForEitherWriteModeAndRefuseAnUnknownOne()
    {
        final Path staged = tmp.resolve("staged");
        final Path mapped = tmp.resolve("mapped");

        final CliRun forStaged = CliRun.run("reserve", staged.toString(), "--segments", "2", "--segment-size",
            "128KiB");
        final CliRun forMapped = CliRun.run("reserve", mapped.toString(), "--segments", "2", "--segment-size",
            "128KiB", "--write-mode", "mapped");
        final CliRun unknown = CliRun.run("reserve", tmp.resolve("x").toString(), "--segments", "1",
            "--write-mode", "scattered");

        assertThat(forStaged.exitCode).as(forStaged.toString()).isZero();
        assertThat(forMapped.exitCode).as(forMapped.toString()).isZero();
        assertThat(JournalSpace.freeSegments(staged, 128 * 1024)).isEqualTo(2);
        assertThat(JournalSpace.freeSegments(mapped, 128 * 1024)).isEqualTo(2);
        assertThat(unknown.exitCode).isEqualTo(RingwalCommand.EXIT_USAGE);
        assertThat(unknown.err()).contains("--write-mode").contains("scattered");
    }

    @Test
    void shouldRefuseASizeOtherThanTheJournalsAndBadCounts() throws java.io.IOException
    {
        final Path dir = tmp.resolve("journal");
        Journals.write(dir, 10, 100);

        final CliRun otherSize = CliRun.run("reserve", dir.toString(), "--segments", "2", "--segment-size", "1MiB");
        final CliRun negative = CliRun.run("reserve", dir.toString(), "--segments", "-1");
        final CliRun badSize = CliRun.run("reserve", tmp.resolve("x").toString(), "--segments", "1",
            "--segment-size", "1000");
        final Path file = Files.writeString(tmp.resolve("file"), "not a journal");
        final CliRun notADirectory = CliRun.run("reserve", file.toString(), "--segments", "1");

        assertThat(otherSize.exitCode).isEqualTo(RingwalCommand.EXIT_USAGE);
        assertThat(otherSize.err()).contains("--segment-size=1048576 differs from the " + Journals.SEGMENT_SIZE +
            "-byte segments");
        assertThat(negative.exitCode).isEqualTo(RingwalCommand.EXIT_USAGE);
        assertThat(negative.err()).contains("--segments=-1 must be from 0 to");
        assertThat(badSize.exitCode).isEqualTo(RingwalCommand.EXIT_USAGE);
        assertThat(badSize.err()).contains("segmentSize=1000 must be a power of two");
        assertThat(notADirectory.exitCode).isEqualTo(RingwalCommand.EXIT_USAGE);
        assertThat(notADirectory.err()).contains(file + " is not a directory");
    }

    @Test
    void shouldFailPlainlyWhileAWriterHoldsTheJournal()
    {
        final Path dir = tmp.resolve("journal");
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.builder().segmentSize(64 * 1024).build()))
        {
            final CliRun run = CliRun.run("reserve", dir.toString(), "--segments", "1");

            assertThat(run.exitCode).as(run.toString()).isEqualTo(RingwalCommand.EXIT_FAILED);
            assertThat(run.err()).contains("reserve: ").contains(dir.toAbsolutePath().toString());
            assertThat(writer.nextSequence()).isZero();
        }
        assertThat(Files.exists(dir)).isTrue();
    }
}
