package io.ringwal.disruptor;

import java.nio.file.Path;

import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.WriteMode;

/**
 * Child JVM of {@link RingSlotGrowthTest}, started with a small {@code -XX:MaxDirectMemorySize}: publishes a record
 * whose slot cannot grow for want of direct memory, then a small one, and prints what happened.
 * Arguments: the journal directory and the large record's size.
 */
public final class SlotGrowthOutOfMemoryChild
{
    private SlotGrowthOutOfMemoryChild()
    {
    }

    /**
     * Runs the child.
     *
     * @param args directory, record size.
     * @throws Exception if the pipeline fails otherwise.
     */
    public static void main(final String[] args) throws Exception
    {
        final int large = Integer.parseInt(args[1]);
        // mapped writes: a staged writer's stage holds twice the largest record in direct memory, and the child's
        // 4 MiB of direct memory are for the ring's slots
        final JournalConfig config = JournalConfig.builder().segmentSize(64 * 1024 * 1024).maxRecordSize(large)
            .forcePolicy(ForcePolicy.never()).writeMode(WriteMode.MAPPED).build();
        try (JournalPipeline pipeline = JournalPipeline.builder(Path.of(args[0])).journalConfig(config).ringSize(16)
            .maxRecordSize(large).slotSize(64).build().start())
        {
            try
            {
                pipeline.publish(new byte[large], 0, large);
                System.out.println("published the large record");
            }
            catch (final OutOfMemoryError expected)
            {
                System.out.println("error " + expected);
            }
            final byte[] small = "after".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            System.out.println("next " + pipeline.publish(small, 0, small.length));
        }
        System.out.println("closed");
    }
}
