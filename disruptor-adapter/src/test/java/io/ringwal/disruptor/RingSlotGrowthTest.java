package io.ringwal.disruptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.lmax.disruptor.dsl.ProducerType;

import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalReader;

/**
 * Ring slots start at the slot size and grow, per slot, to the records they carry: every record up to the maximum
 * gets through small slots intact by every publish path and both framings, the ring's memory follows the records,
 * and once the slots have grown publishing allocates nothing.
 */
class RingSlotGrowthTest
{
    private static final int STRIDE_OF_A_256_BYTE_SLOT = 320;

    @TempDir
    Path dir;

    private static JournalConfig config()
    {
        return JournalConfig.builder().segmentSize(1024 * 1024).forcePolicy(ForcePolicy.never()).build();
    }

    private static byte[] record(final long sequence, final int length)
    {
        final byte[] bytes = new byte[length];
        final SplittableRandom random = new SplittableRandom(sequence);
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)random.nextInt();
        }
        return bytes;
    }

    private static List<byte[]> readAll(final Path dir)
    {
        final List<byte[]> records = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir, 0))
        {
            while (reader.poll((seq, buf, off, len) ->
            {
                final byte[] bytes = new byte[len];
                buf.getBytes(off, bytes);
                records.add(bytes);
            }, 1000) > 0)
            {
                // drain
            }
        }
        return records;
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void shouldCarryRecordsOfEverySizeUpToTheMaximumThroughSixteenByteSlots(final Framing framing)
    {
        final int maxRecordSize = 3000;
        final SplittableRandom random = new SplittableRandom(7);
        final List<byte[]> expected = new ArrayList<>();
        final RecordTranslator<byte[]> copying = (buffer, arg) ->
        {
            buffer.putBytes(0, arg);
            return arg.length;
        };
        final SequencedRecordTranslator<Integer> sequenced = (buffer, sequence, length) ->
        {
            final byte[] bytes = record(sequence, length);
            for (int i = 0; i < bytes.length; i++)
            {
                buffer.putByte(i, bytes[i]); // byte by byte: grows the slot one put at a time
            }
            return bytes.length;
        };
        try (JournalPipeline pipeline = JournalPipeline.builder(dir).journalConfig(config()).ringSize(64)
            .maxRecordSize(maxRecordSize).slotSize(16).framing(framing).build().start())
        {
            assertThat(pipeline.slotSize()).isEqualTo(16);
            for (int i = 0; i < 2000; i++)
            {
                final int length = i % 100 == 0 ? maxRecordSize : random.nextInt(maxRecordSize + 1);
                final long sequence = expected.size();
                final byte[] bytes = record(sequence, length);
                final long published;
                switch (i % 5)
                {
                    case 0:
                        published = pipeline.publish(bytes, 0, length);
                        break;
                    case 1:
                        published = pipeline.publish(new UnsafeBuffer(ByteBuffer.allocateDirect(length + 3)
                            .put(3, bytes)), 3, length);
                        break;
                    case 2:
                        published = pipeline.publish(ByteBuffer.wrap(bytes));
                        break;
                    case 3:
                        published = pipeline.publish(copying, bytes);
                        break;
                    default:
                        published = pipeline.publish(sequenced, length);
                        break;
                }
                assertThat(published).isEqualTo(sequence);
                expected.add(bytes);
            }
            assertThat(pipeline.slotGrowths()).as("slots grew").isPositive();
            assertThat(pipeline.ringMemoryBytes())
                .as("at most the ring's own buffer plus twice a full-size region per slot (a slot that grows " +
                    "again leaves its earlier region behind), plus the chunk being filled")
                .isLessThanOrEqualTo(64L * 64 + 2 * 64L * align64(32 + maxRecordSize) +
                    RingMemory.chunkSizeFor(64, 32 + maxRecordSize));
        }
        final List<byte[]> read = readAll(dir);
        assertThat(read).hasSize(expected.size());
        for (int i = 0; i < read.size(); i++)
        {
            assertThat(read.get(i)).as("record %d", i).isEqualTo(expected.get(i));
        }
    }

    @Test
    void shouldGrowTheSlotForATranslatorThatWritesThroughTheByteBufferAfterCheckLimit()
    {
        final RecordTranslator<byte[]> throughByteBuffer = (buffer, line) ->
        {
            buffer.checkLimit(line.length);
            final ByteBuffer view = buffer.byteBuffer().duplicate();
            view.position(buffer.wrapAdjustment());
            view.put(line);
            return line.length;
        };
        final byte[] line = record(0, 1000);
        try (JournalPipeline pipeline = JournalPipeline.builder(dir).journalConfig(config()).ringSize(8)
            .slotSize(100).build().start())
        {
            assertThat(pipeline.publish(throughByteBuffer, line)).isEqualTo(0);
        }
        assertThat(readAll(dir)).singleElement().isEqualTo(line);
    }

    @Test
    void shouldJournalASkippedSequenceWhenATranslatorWritesBeyondTheMaximumAndCarryOn()
    {
        final RecordTranslator<Integer> writing = (buffer, length) ->
        {
            buffer.setMemory(0, length, (byte)'x');
            return length;
        };
        try (JournalPipeline pipeline = JournalPipeline.builder(dir).journalConfig(config()).ringSize(8)
            .maxRecordSize(500).slotSize(64).build().start())
        {
            assertThat(pipeline.publish(writing, 500)).isEqualTo(0);
            assertThatThrownBy(() -> pipeline.publish(writing, 501))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("501").hasMessageContaining("maxRecordSize=500");
            assertThat(pipeline.publish(writing, 3)).isEqualTo(2);
        }
        assertThat(readAll(dir)).extracting(bytes -> bytes.length).containsExactly(500, 3);
    }

    @Test
    void shouldJournalASkippedSequenceAndThrowWhenNoDirectMemoryIsLeftToGrowASlot() throws Exception
    {
        final String java = ProcessHandle.current().info().command().orElseGet(
            () -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        final Process child = new ProcessBuilder(java, "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-XX:MaxDirectMemorySize=4m", "-Xmx128m", "-cp", System.getProperty("java.class.path"),
            SlotGrowthOutOfMemoryChild.class.getName(), dir.toString(), Integer.toString(6 * 1024 * 1024))
            .redirectErrorStream(true).start();
        final String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("error java.lang.OutOfMemoryError").contains("next 1").contains("closed")
            .as("the pipeline did not hang on the claimed slot").doesNotContain("published the large record");
        final List<Long> sequences = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir, 0))
        {
            reader.poll((seq, buf, off, len) -> sequences.add(seq), 100);
        }
        assertThat(sequences).as("sequence 0 journaled as skipped, not as a record").containsExactly(1L);
    }

    @Test
    void shouldRefuseASlotSizeOutsideOneToTheMaximumRecordSize()
    {
        assertThatThrownBy(() -> JournalPipeline.builder(dir).maxRecordSize(100).slotSize(101).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("slotSize=101").hasMessageContaining("maxRecordSize=100");
        assertThatThrownBy(() -> JournalPipeline.builder(dir).slotSize(0).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("slotSize=0");
        assertThatThrownBy(() -> JournalPipeline.builder(dir).ringSize(1 << 18).slotSize(64).build())
            .as("the worst case, every slot grown to the 4 KiB maximum, is bounded even with small slots")
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("ringSize=262144 x maxRecordSize=4096 needs 1090519040 bytes")
            .hasMessageContaining("more than the 1073741824 a pipeline allows");
        try (JournalPipeline pipeline = JournalPipeline.builder(dir).maxRecordSize(100).build())
        {
            assertThat(pipeline.slotSize()).as("the default, capped at the maximum record size").isEqualTo(100);
        }
    }

    @Test
    void shouldHoldRingMemoryInProportionToTheRecords()
    {
        try (JournalPipeline pipeline = JournalPipeline.builder(dir).journalConfig(config())
            .producerType(ProducerType.SINGLE).build().start())
        {
            final int ringSize = pipeline.ringSize();
            final long ringBytes = (long)ringSize * STRIDE_OF_A_256_BYTE_SLOT;
            assertThat(pipeline.slotSize()).isEqualTo(JournalPipelineBuilder.DEFAULT_SLOT_SIZE);
            assertThat(pipeline.ringMemoryBytes()).as("8,192 slots of 256 bytes: 2.5 MiB, not 32 MiB")
                .isEqualTo(ringBytes);
            final byte[] small = new byte[64];
            for (int i = 0; i < 3 * ringSize; i++)
            {
                pipeline.publish(small, 0, small.length);
            }
            assertThat(pipeline.slotGrowths()).isZero();
            assertThat(pipeline.ringMemoryBytes()).isEqualTo(ringBytes);

            final byte[] kib = new byte[1024];
            for (int i = 0; i < 3 * ringSize; i++)
            {
                pipeline.publish(kib, 0, kib.length);
            }
            assertThat(pipeline.slotGrowths()).as("each slot grew once, straight to 1 KiB").isEqualTo(ringSize);
            final long grownRegions = (long)ringSize * align64(32 + 1024);
            assertThat(pipeline.ringMemoryBytes())
                .as("each slot holds a 1 KiB record, not a 4 KiB one (regions carved from 64 KiB chunks)")
                .isBetween(ringBytes + grownRegions, ringBytes + grownRegions + RingMemory.MAX_CHUNK_SIZE);
        }
    }

    @Test
    void shouldAllocateNothingPublishingMixedSizesOnceTheSlotsHaveGrown() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final RecordTranslator<byte[]> copying = (MutableDirectBuffer buffer, byte[] arg) ->
        {
            buffer.putBytes(0, arg, 0, arg.length);
            return arg.length;
        };
        final byte[][] sizes = {new byte[16], new byte[200], new byte[700], new byte[2048]};
        final int[] order = new SplittableRandom(11).ints(4096, 0, sizes.length).toArray();
        try (JournalPipeline pipeline = JournalPipeline.builder(dir)
            .journalConfig(JournalConfig.builder().segmentSize(64 * 1024 * 1024).forcePolicy(ForcePolicy.never())
                .build())
            .ringSize(1024).maxRecordSize(2048).slotSize(64).producerType(ProducerType.SINGLE).build().start())
        {
            // the same size sequence again and again: each slot meets the same four sizes in every lap of 4,096
            final int warmUp = 25 * order.length;
            for (int i = 0; i < warmUp; i++)
            {
                publishOne(pipeline, i, sizes[order[i & 4095]], copying);
            }
            final long growths = pipeline.slotGrowths();
            final long before = threads.getThreadAllocatedBytes(threadId);
            for (int i = warmUp; i < warmUp + 500_000; i++)
            {
                publishOne(pipeline, i, sizes[order[i & 4095]], copying);
            }
            final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
            assertThat(pipeline.slotGrowths()).as("no slot grew after the warm-up laps").isEqualTo(growths);
            assertThat(allocated).as("bytes allocated publishing 500,000 records of 16 B to 2 KiB")
                .isLessThan(4096);
        }
    }

    private static void publishOne(
        final JournalPipeline pipeline, final int i, final byte[] record, final RecordTranslator<byte[]> copying)
    {
        if ((i & 1) == 0)
        {
            pipeline.publish(record, 0, record.length);
        }
        else
        {
            pipeline.publish(copying, record);
        }
    }

    private static int align64(final int value)
    {
        return (value + 63) & -64;
    }
}
