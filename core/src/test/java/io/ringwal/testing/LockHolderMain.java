package io.ringwal.testing;

import java.nio.file.Path;

import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalWriter;

/**
 * Child-process main for the cross-process lock test: opens a writer on {@code args[0]}, prints
 * {@code LOCKED <pid>}, and holds the journal until its stdin closes (or it is killed).
 */
public final class LockHolderMain
{
    private LockHolderMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args the journal directory.
     * @throws Exception on any failure (the parent sees the output).
     */
    public static void main(final String[] args) throws Exception
    {
        final JournalConfig config = JournalConfig.builder().segmentSize(64 * 1024).build();
        try (JournalWriter writer = JournalWriter.open(Path.of(args[0]), config))
        {
            writer.append(new byte[] {1, 2, 3}, 0, 3);
            writer.force();
            System.out.println("LOCKED " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() >= 0)
            {
                // hold the lock until stdin closes
            }
        }
    }
}
