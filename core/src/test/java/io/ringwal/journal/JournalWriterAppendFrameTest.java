package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.format.FrameChecksum;
import io.ringwal.format.FrameDescriptor;

class JournalWriterAppendFrameTest
{
    @TempDir
    Path dir;

    private final ByteBuffer memory = ByteBuffer.allocateDirect(4096);
    private final UnsafeBuffer frame = new UnsafeBuffer(memory);
    private final FrameChecksum checksum = new FrameChecksum();

    private void buildFrame(final long sequence, final int length, final byte fill)
    {
        frame.setMemory(0, frame.capacity(), (byte)0);
        frame.setMemory(FrameDescriptor.HEADER_LENGTH, length, fill);
        final int frameLength = FrameDescriptor.frameLength(length);
        frame.putLong(FrameDescriptor.SEQUENCE_OFFSET, sequence, FrameDescriptor.BYTE_ORDER);
        frame.putShort(FrameDescriptor.TYPE_OFFSET, FrameDescriptor.TYPE_DATA, FrameDescriptor.BYTE_ORDER);
        frame.putInt(FrameDescriptor.CRC_OFFSET,
            checksum.compute(memory.duplicate(), 0, frameLength, FrameDescriptor.TYPE_DATA),
            FrameDescriptor.BYTE_ORDER);
        frame.putInt(FrameDescriptor.LENGTH_OFFSET, frameLength, FrameDescriptor.BYTE_ORDER);
    }

    @Test
    void shouldAppendProducerBuiltFramesThatReadBackWithValidCrc()
    {
        final JournalConfig config = JournalConfig.builder().segmentSize(64 * 1024).build();
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            for (int i = 0; i < 200; i++)
            {
                buildFrame(i, 1000 + i, (byte)i);
                assertThat(writer.appendFrame(frame, 0)).isEqualTo(i);
            }
            writer.endOfBatch();
            assertThat(writer.counters().rotations()).isGreaterThan(1);
        }
        final List<Integer> lengths = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir, 0))
        {
            while (reader.poll((seq, buf, off, len) ->
            {
                assertThat(buf.getByte(off + len - 1)).isEqualTo((byte)seq);
                lengths.add(len);
            }, 100) > 0)
            {
                // drain
            }
        }
        assertThat(lengths).hasSize(200);
        assertThat(lengths.get(199)).isEqualTo(1199);
    }

    @Test
    void shouldRefuseFrameWithWrongSequenceOrLength()
    {
        final JournalConfig config = JournalConfig.builder().segmentSize(64 * 1024).maxRecordSize(1024).build();
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            buildFrame(5, 10, (byte)1);
            assertThatThrownBy(() -> writer.appendFrame(frame, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sequence 5").hasMessageContaining("next sequence 0");
            buildFrame(0, 2000, (byte)1);
            assertThatThrownBy(() -> writer.appendFrame(frame, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxRecordSize=1024");
            frame.putInt(FrameDescriptor.LENGTH_OFFSET, 3, FrameDescriptor.BYTE_ORDER);
            assertThatThrownBy(() -> writer.appendFrame(frame, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shorter than the header");
            assertThat(writer.nextSequence()).isZero();
        }
    }
}
