package io.ringwal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.format.FrameDescriptor;
import io.ringwal.format.SegmentFileNames;
import io.ringwal.format.SegmentHeaderDescriptor;

/**
 * {@code ringwal verify --json}: one JSON object with what the text report says, and the same exit codes.
 */
class VerifyJsonTest
{
    @TempDir
    Path tmp;

    @Test
    void shouldPrintOneObjectForAnIntactJournalAndExitZero()
    {
        final Path dir = tmp.resolve("journal");
        Journals.write(dir, 1000, 200);

        final CliRun run = CliRun.run("verify", dir.toString(), "--json");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out().trim().lines()).as("one line").hasSize(1);
        final Map<String, Object> report = asMap(MiniJson.parse(run.out().trim()));
        assertThat(report).containsEntry("directory", dir.toAbsolutePath().toString())
            .containsEntry("result", "intact").containsEntry("records", 1000.0)
            .containsEntry("firstSequence", 0.0).containsEntry("lastSequence", 999.0)
            .containsEntry("closedCleanly", Boolean.TRUE).containsEntry("damage", null)
            .containsEntry("tornTail", null).containsEntry("firstSegment", SegmentFileNames.segmentFileName(0))
            .containsEntry("seekIndexWarnings", List.of()).containsKeys("journalId", "segments", "segmentBytes",
            "frameBytes", "tempFiles", "otherFiles", "seekIndexesChecked", "lastSegment");
        assertThat((Double)report.get("segments")).isGreaterThanOrEqualTo(4.0);
    }

    @Test
    void shouldNameTheDamagedFileAndOffsetAndExitOne() throws IOException
    {
        final Path dir = tmp.resolve("journal");
        Journals.write(dir, 1000, 200);
        final Path first = dir.resolve(SegmentFileNames.segmentFileName(0));
        final long frameOffset = SegmentHeaderDescriptor.HEADER_LENGTH;
        InspectCommandsTest.flipByte(first, frameOffset + FrameDescriptor.HEADER_LENGTH + 3);

        final CliRun run = CliRun.run("verify", dir.toString(), "--json");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(1);
        final Map<String, Object> report = asMap(MiniJson.parse(run.out().trim()));
        assertThat(report).containsEntry("result", "damaged");
        final Map<String, Object> damage = asMap(report.get("damage"));
        assertThat(damage).containsEntry("file", first.toString()).containsEntry("offset", (double)frameOffset);
        assertThat((String)damage.get("problem")).isNotBlank();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(final Object value)
    {
        return (Map<String, Object>)value;
    }
}
