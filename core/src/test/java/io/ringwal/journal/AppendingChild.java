package io.ringwal.journal;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Child JVM for crash tests: appends records with {@link #payload} contents forever (or up to a count), ending a
 * batch every few records, and prints "W seq D durable" after each batch. Killed by the parent.
 */
public final class AppendingChild
{
    private AppendingChild()
    {
    }

    static byte[] payload(final long sequence)
    {
        final int length = (int)(sequence * 7919 % 700) + 1;
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(sequence * 131 + i * 7);
        }
        return bytes;
    }

    /**
     * Entry point.
     *
     * @param args directory, force policy, record limit (-1 for none), segment size and, optionally, the write
     *             mode (the journal's default for the policy if absent).
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final Path dir = Path.of(args[0]);
        final ForcePolicy policy = ForcePolicy.parse(args[1]);
        final long limit = Long.parseLong(args[2]);
        final int segmentSize = Integer.parseInt(args[3]);
        final PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
        final JournalConfig.Builder builder = JournalConfig.builder().segmentSize(segmentSize).forcePolicy(policy);
        if (args.length > 4)
        {
            builder.writeMode(WriteMode.valueOf(args[4]));
        }
        final JournalConfig config = builder.build();
        final JournalWriter writer = JournalWriter.open(dir, config);
        out.println("OPEN " + writer.nextSequence());
        long sequence = writer.nextSequence();
        while (limit < 0 || sequence < limit)
        {
            final byte[] bytes = payload(sequence);
            sequence = writer.append(bytes, 0, bytes.length) + 1;
            if (sequence % 8 == 0)
            {
                writer.endOfBatch();
            }
            // the written watermark: with MAPPED every appended record, with STAGED those of ended batches
            out.println("W " + writer.writtenSequence() + " D " + writer.durableSequence());
        }
        writer.endOfBatch();
        out.println("W " + (sequence - 1) + " D " + writer.durableSequence());
        out.println("READY");
        Thread.sleep(Long.MAX_VALUE);
    }
}
