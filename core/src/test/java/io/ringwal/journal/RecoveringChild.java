package io.ringwal.journal;

import java.nio.file.Path;

/**
 * Child JVM for {@link JournalRecoveryIdempotenceTest}: prints {@code START}, opens (recovers) the journal,
 * prints {@code OPENED last}, closes it and exits. The parent kills it at random moments during the open.
 */
public final class RecoveringChild
{
    private RecoveringChild()
    {
    }

    /**
     * Entry point.
     *
     * @param args directory, segment size.
     */
    public static void main(final String[] args)
    {
        final Path dir = Path.of(args[0]);
        final JournalConfig config = JournalConfig.builder().segmentSize(Integer.parseInt(args[1])).build();
        System.out.println("START");
        System.out.flush();
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            System.out.println("OPENED " + writer.recoveryReport().lastSequence());
            System.out.flush();
        }
        System.out.println("CLOSED");
        System.out.flush();
    }
}
