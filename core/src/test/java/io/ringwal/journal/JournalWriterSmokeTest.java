package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalWriterSmokeTest
{
    @TempDir
    Path dir;

    @Test
    void shouldAppendRotateReopenAndRead()
    {
        final JournalConfig config = JournalConfig.builder().segmentSize(64 * 1024).build();
        final byte[] payload = new byte[1000];
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            for (int i = 0; i < 300; i++)
            {
                payload[0] = (byte)i;
                assertThat(writer.append(payload, 0, payload.length)).isEqualTo(i);
                if (i % 10 == 9)
                {
                    writer.endOfBatch();
                }
            }
            writer.endOfBatch();
            assertThat(writer.durableSequence()).isEqualTo(299);
            assertThat(writer.counters().rotations()).isGreaterThan(3);
        }
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            assertThat(writer.recoveryReport().lastSequence()).isEqualTo(299);
            assertThat(writer.append(payload, 0, 10)).isEqualTo(300);
        }
        final List<Long> seen = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir, 0))
        {
            while (reader.poll((seq, buf, off, len) -> seen.add(seq), 100) > 0)
            {
                // drain
            }
        }
        assertThat(seen).hasSize(301);
        assertThat(seen.get(300)).isEqualTo(300L);
    }
}
