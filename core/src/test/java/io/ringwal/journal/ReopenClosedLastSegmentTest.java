package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.format.SegmentFileNames;
import io.ringwal.segment.PreallocationMode;
import io.ringwal.segment.PretouchMode;

/**
 * Regression: opening a journal whose last segment is closed (exactly full, or ended by a padding frame) creates a
 * new segment whose previous-base field must name that last segment, or the next open fails with "a segment is
 * missing".
 */
class ReopenClosedLastSegmentTest
{
    private static final int SEGMENT_SIZE = 64 * 1024;

    @TempDir
    Path dir;

    private final JournalConfig config = JournalConfig.builder()
        .segmentSize(SEGMENT_SIZE)
        .preallocationMode(PreallocationMode.BUFFERED)
        .pretouchMode(PretouchMode.NONE)
        .build();

    @Test
    void shouldReopenTwiceWhenLastSegmentWasExactlyFull()
    {
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            final byte[] payload = new byte[JournalConfig.maxPayloadFor(SEGMENT_SIZE)];
            writer.append(payload, 0, payload.length);
        }
        appendOneAndReopen(1);
    }

    @Test
    void shouldReopenTwiceWhenLastSegmentEndsWithPadding() throws IOException
    {
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            final byte[] payload = new byte[40_000];
            writer.append(payload, 0, payload.length);
            writer.append(payload, 0, payload.length);
        }
        // as if the writer had crashed after padding segment 0 and before renaming segment 1 into place
        Files.delete(dir.resolve(SegmentFileNames.segmentFileName(1)));
        appendOneAndReopen(1);
    }

    private void appendOneAndReopen(final long expectedSequence)
    {
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            assertThat(writer.append(new byte[10], 0, 10)).isEqualTo(expectedSequence);
        }
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            assertThat(writer.recoveryReport().segments()).isEqualTo(2);
            assertThat(writer.recoveryReport().lastSequence()).isEqualTo(expectedSequence);
            assertThat(writer.append(new byte[10], 0, 10)).isEqualTo(expectedSequence + 1);
        }
    }
}
