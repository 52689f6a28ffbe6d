package io.ringwal.testing;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalLockedException;
import io.ringwal.journal.JournalWriter;

/**
 * Child-process main for the lock contention test: {@code args[1]} threads open and close a writer on
 * {@code args[0]} for {@code args[2]} milliseconds. A thread that got a writer creates the file {@code holder} in
 * the journal directory with an exclusive create and deletes it before it closes, so a second holder anywhere, in
 * this process or another, finds the file there. Prints {@code RESULT opens=N refused=N twoHolders=N failures=N}
 * and, for each problem, a line starting {@code PROBLEM}.
 */
public final class LockContenderMain
{
    private LockContenderMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args directory, threads, milliseconds.
     * @throws Exception if a thread cannot be joined.
     */
    public static void main(final String[] args) throws Exception
    {
        final Path dir = Path.of(args[0]);
        final int threadCount = Integer.parseInt(args[1]);
        final long end = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000L;
        final JournalConfig config = JournalConfig.builder().segmentSize(64 * 1024).build();
        final AtomicLong opens = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final AtomicLong twoHolders = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        final Thread[] threads = new Thread[threadCount];
        for (int t = 0; t < threadCount; t++)
        {
            threads[t] = new Thread(() ->
            {
                final Path holder = dir.resolve("holder");
                while (System.nanoTime() < end)
                {
                    try (JournalWriter writer = JournalWriter.open(dir, config))
                    {
                        opens.incrementAndGet();
                        try
                        {
                            Files.createFile(holder);
                        }
                        catch (final FileAlreadyExistsException ex)
                        {
                            twoHolders.incrementAndGet();
                            System.out.println("PROBLEM two writers hold the journal at once");
                            continue;
                        }
                        writer.append(new byte[8], 0, 8);
                        Files.delete(holder);
                    }
                    catch (final JournalLockedException expected)
                    {
                        refused.incrementAndGet();
                    }
                    catch (final Exception | AssertionError ex)
                    {
                        failures.incrementAndGet();
                        System.out.println("PROBLEM " + ex);
                    }
                }
            });
            threads[t].start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        System.out.println("RESULT opens=" + opens + " refused=" + refused + " twoHolders=" + twoHolders +
            " failures=" + failures);
    }
}
