package io.ringwal.logging.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalWriter;
import io.ringwal.testing.ChildJvm;

/**
 * Kills a child JVM that logs at full speed through an appender (SIGKILL, no shutdown hook runs), recovers the
 * journal and checks it against what the child printed before it died.
 *
 * <p>The child ({@link #childMain}) prints {@code READY} once logging, {@code WRITTEN <n>} every few milliseconds
 * ({@code n} lines are in the journal's mapped segments: the pipeline's written watermark plus one), and in
 * durable mode {@code ACK <thread> <index>} whenever a logging call of that thread has returned.
 */
public final class KillNine
{
    private KillNine()
    {
    }

    /** What the child said and what the recovered journal holds. */
    public static final class Verdict
    {
        /** Lines in the journal after recovery. */
        public final int linesAfterRecovery;
        /** The last {@code WRITTEN} value the child printed. */
        public final long lastWritten;
        /** Per thread, the highest index whose logging call had returned (durable mode), or absent. */
        public final Map<String, Integer> acknowledged;
        /** Per thread, how many lines the journal holds (a gap-free prefix of the thread's lines). */
        public final Map<String, Integer> present;

        Verdict(final int lines, final long lastWritten, final Map<String, Integer> acknowledged,
            final Map<String, Integer> present)
        {
            this.linesAfterRecovery = lines;
            this.lastWritten = lastWritten;
            this.acknowledged = acknowledged;
            this.present = present;
        }

        @Override
        public String toString()
        {
            return "lines after recovery " + linesAfterRecovery + ", last WRITTEN " + lastWritten +
                ", acknowledged " + acknowledged + ", present " + present;
        }
    }

    /**
     * Starts the child, lets it log for {@code runMillis}, kills it with SIGKILL, recovers the journal and checks
     * that each thread's lines are a gap-free prefix in order, that at least every line the child last reported
     * written is there, and that every acknowledged line (durable mode) is there.
     *
     * @param childMain  the child's main class (from the appender module's tests).
     * @param jvmFlags   flags for the child (system properties that configure it).
     * @param dir        the journal directory.
     * @param runMillis  how long the child logs before the kill.
     * @return the verdict.
     * @throws Exception if the child cannot be run.
     */
    public static Verdict run(final Class<?> childMain, final List<String> jvmFlags, final Path dir,
        final long runMillis) throws Exception
    {
        final ChildJvm child = ChildJvm.start(childMain, jvmFlags, dir.toString());
        try
        {
            child.awaitLine("READY", 60, TimeUnit.SECONDS);
            Thread.sleep(runMillis);
            child.process().destroyForcibly();
            child.awaitExit(30, TimeUnit.SECONDS);
        }
        finally
        {
            child.close();
        }
        long lastWritten = -1;
        final Map<String, Integer> acknowledged = new HashMap<>();
        for (final String line : child.output().split("\n"))
        {
            if (line.startsWith("WRITTEN "))
            {
                lastWritten = Long.parseLong(line.substring(8).trim());
            }
            else if (line.startsWith("ACK "))
            {
                final String[] parts = line.trim().split(" ");
                if (parts.length == 3)
                {
                    acknowledged.merge(parts[1], Integer.parseInt(parts[2]), Math::max);
                }
            }
        }
        try (JournalWriter recovered = JournalWriter.open(dir, JournalConfig.builder().segmentSize(1 << 20).build()))
        {
            assertThat(recovered.nextSequence()).isPositive();
        }
        final List<String> lines = JournalLines.read(dir);
        final Map<String, Integer> present = JournalLines.checkPerThreadOrder(lines);
        final Verdict verdict = new Verdict(lines.size(), lastWritten, acknowledged, present);
        assertThat(lastWritten).as("the child reported progress: " + child.output()).isPositive();
        assertThat((long)lines.size()).as("every line written before the kill: " + verdict)
            .isGreaterThanOrEqualTo(lastWritten);
        acknowledged.forEach((thread, index) -> assertThat(present.getOrDefault(thread, 0))
            .as("every acknowledged line of " + thread + ": " + verdict).isGreaterThan(index));
        return verdict;
    }

    /**
     * The logging loop of a child: starts {@code threads} threads that log {@code <index>} as fast as they can
     * through {@code logLine}, prints {@code READY}, then {@code WRITTEN <n>} every 5 ms until killed.
     *
     * @param threads  how many logging threads.
     * @param ack      whether to print {@code ACK <thread> <index>} after every 64th returned call.
     * @param logLine  logs one line with the given index on the calling thread.
     * @param written  reads the journal's written line count.
     * @throws InterruptedException never in practice (the child is killed).
     */
    public static void childMain(final int threads, final boolean ack, final java.util.function.IntConsumer logLine,
        final java.util.function.LongSupplier written) throws InterruptedException
    {
        for (int t = 0; t < threads; t++)
        {
            final String name = "w" + t;
            final Thread thread = new Thread(() ->
            {
                for (int i = 0; ; i++)
                {
                    logLine.accept(i);
                    if (ack && (i & 63) == 63)
                    {
                        System.out.println("ACK " + name + " " + i);
                    }
                }
            }, name);
            thread.setDaemon(true);
            thread.start();
        }
        System.out.println("READY");
        while (true)
        {
            System.out.println("WRITTEN " + written.getAsLong());
            Thread.sleep(5);
        }
    }
}
