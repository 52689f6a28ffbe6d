package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.format.SegmentHeaderDescriptor;
import io.ringwal.testing.JournalFiles;

/**
 * Regression: a writer opened on a journal whose last segment is closed (padded or full) starts a new segment at
 * open; that segment's header must name the closed last segment as its previous one, or the next open finds a
 * broken chain ("a segment is missing").
 */
class JournalReopenChainTest
{
    private static final int SEGMENT = 64 * 1024;
    private static final int MAX_PAYLOAD = JournalConfig.maxPayloadFor(SEGMENT);

    @TempDir
    Path dir;

    @Test
    void shouldChainTheSegmentStartedAtOpenAfterAClosedLastSegment()
    {
        final JournalConfig config = JournalConfig.builder().segmentSize(SEGMENT).build();
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            writer.append(JournalFiles.payload(0, 100), 0, 100);
            writer.append(JournalFiles.payload(1, MAX_PAYLOAD), 0, MAX_PAYLOAD); // pads segment 0, fills segment 1
        }
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            assertThat(writer.recoveryReport().segments()).isEqualTo(2);
            assertThat(writer.activeSegmentBase()).isEqualTo(2); // segment 1 is full: a new one at open
            writer.append(JournalFiles.payload(2, 10), 0, 10);
        }
        final byte[] header = JournalFiles.read(JournalFiles.segments(dir).get(2));
        assertThat(SegmentHeaderDescriptor.previousBaseSequence(new UnsafeBuffer(header))).isEqualTo(1);
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            assertThat(writer.recoveryReport().lastSequence()).isEqualTo(2);
            assertThat(writer.append(JournalFiles.payload(3, 10), 0, 10)).isEqualTo(3);
        }
        assertThat(JournalFiles.readAll(dir)).hasSize(4);
    }
}
