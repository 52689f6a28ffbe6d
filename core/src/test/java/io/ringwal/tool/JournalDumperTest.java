package io.ringwal.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

import io.ringwal.format.GoldenJournal;
import io.ringwal.journal.JournalException;

class JournalDumperTest
{
    private final Path golden = GoldenJournal.committedDirectory();
    private final List<Long> sequences = new ArrayList<>();
    private final List<byte[]> payloads = new ArrayList<>();

    private boolean collect(final long sequence, final DirectBuffer buffer, final int offset,
        final int length)
    {
        sequences.add(sequence);
        final byte[] payload = new byte[length];
        buffer.getBytes(offset, payload);
        payloads.add(payload);
        return true;
    }

    @Test
    void shouldDumpFromSequenceWithLimit()
    {
        final JournalDumper.DumpResult result = JournalDumper.dump(golden, 10, 5, this::collect);

        assertThat(result.records()).isEqualTo(5);
        assertThat(result.nextSequence()).isEqualTo(15);
        assertThat(result.stopReason()).isEqualTo(JournalDumper.StopReason.LIMIT);
        assertThat(sequences).containsExactly(10L, 11L, 12L, 13L, 14L);
        for (int i = 0; i < 5; i++)
        {
            assertThat(payloads.get(i)).isEqualTo(GoldenJournal.payload(10 + i));
        }
    }

    @Test
    void shouldDumpAcrossSegmentBoundariesToTheEnd()
    {
        final long from = GoldenJournal.SEGMENT_BASES[1] - 2;
        final int total = GoldenJournal.lengths().size();

        final JournalDumper.DumpResult result = JournalDumper.dump(golden, from, Long.MAX_VALUE, this::collect);

        assertThat(result.stopReason()).isEqualTo(JournalDumper.StopReason.END);
        assertThat(result.records()).isEqualTo(total - from);
        assertThat(result.nextSequence()).isEqualTo(total);
        for (int i = 0; i < sequences.size(); i++)
        {
            assertThat(sequences.get(i)).isEqualTo(from + i);
            assertThat(payloads.get(i)).isEqualTo(GoldenJournal.payload(from + i));
        }
    }

    @Test
    void shouldStopBeforeToSequence()
    {
        final long to = GoldenJournal.SEGMENT_BASES[2] + 1;

        final JournalDumper.DumpResult result = JournalDumper.dump(golden, to - 3, to, 100, this::collect);

        assertThat(result.stopReason()).isEqualTo(JournalDumper.StopReason.TO_SEQUENCE);
        assertThat(sequences).containsExactly(to - 3, to - 2, to - 1);
        assertThat(result.nextSequence()).isEqualTo(to);
    }

    @Test
    void shouldStopWhenHandlerSaysSo()
    {
        final JournalDumper.DumpResult result = JournalDumper.dump(golden, 0, 100,
            (sequence, buffer, offset, length) -> collect(sequence, buffer, offset, length) && sequence < 2);

        assertThat(result.stopReason()).isEqualTo(JournalDumper.StopReason.HANDLER);
        assertThat(sequences).containsExactly(0L, 1L, 2L);
        assertThat(result.records()).isEqualTo(3);
        assertThat(result.nextSequence()).isEqualTo(3);
    }

    @Test
    void shouldDumpNothingFromBeyondTheEndOrWithZeroLimit()
    {
        final int total = GoldenJournal.lengths().size();

        final JournalDumper.DumpResult beyond = JournalDumper.dump(golden, total + 5, 10, this::collect);
        assertThat(beyond.records()).isZero();
        assertThat(beyond.stopReason()).isEqualTo(JournalDumper.StopReason.END);
        assertThat(beyond.nextSequence()).isEqualTo(total + 5);

        final JournalDumper.DumpResult none = JournalDumper.dump(golden, 3, 0, this::collect);
        assertThat(none.records()).isZero();
        assertThat(none.stopReason()).isEqualTo(JournalDumper.StopReason.LIMIT);
        assertThat(sequences).isEmpty();
    }

    @Test
    void shouldRejectBadArgumentsAndMissingJournal()
    {
        assertThatThrownBy(() -> JournalDumper.dump(golden, -1, 1, this::collect))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fromSequence=-1");
        assertThatThrownBy(() -> JournalDumper.dump(golden, 5, 4, 1, this::collect))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("toSequence=4");
        assertThatThrownBy(() -> JournalDumper.dump(golden, 0, -1, this::collect))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRecords=-1");
        assertThatThrownBy(() -> JournalDumper.dump(golden.resolve("absent"), 0, 1, this::collect))
            .isInstanceOf(JournalException.class).hasMessageContaining("does not exist");
    }
}
