package io.ringwal.bench.jmh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import io.ringwal.bench.load.CounterSnapshot;
import io.ringwal.journal.JournalWriter;
import org.agrona.IoUtil;

/**
 * Where benchmark files go: a fresh directory under {@code -Dringwal.bench.dir} (default
 * {@code ./ringwal-data/jmh}, on the disk the command runs from; keep it off tmpfs), deleted after each trial.
 */
public final class BenchDirs
{
    /** The system property that moves benchmark files. */
    public static final String DIR_PROPERTY = "ringwal.bench.dir";

    private BenchDirs()
    {
    }

    /**
     * Creates a fresh directory for one trial.
     *
     * @param prefix a name prefix.
     * @return the new directory.
     */
    public static Path fresh(final String prefix)
    {
        try
        {
            final Path base = Paths.get(System.getProperty(DIR_PROPERTY, "ringwal-data/jmh"));
            Files.createDirectories(base);
            return Files.createTempDirectory(base.toAbsolutePath(), prefix + "-");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Deletes a directory and everything in it; ignores a null or missing directory.
     *
     * @param directory the directory.
     */
    public static void delete(final Path directory)
    {
        if (directory != null)
        {
            IoUtil.delete(directory.toFile(), false);
        }
    }

    /**
     * Prints what the writer did during one iteration: the share of the iteration's wall time spent forcing,
     * rotating and waiting for the allocator, so that rotation cost can be separated from append cost.
     *
     * @param label     what is measured.
     * @param writer    the writer.
     * @param start     the counters at the iteration start.
     * @param iterNanos the iteration's wall time.
     */
    public static void printIteration(
        final String label, final JournalWriter writer, final CounterSnapshot start, final long iterNanos)
    {
        final CounterSnapshot end = new CounterSnapshot().copyFrom(writer.counters());
        final CounterSnapshot d = new CounterSnapshot().difference(end, start);
        // JournalWriter's rotation time is measured from before it takes the next segment from the allocator,
        // so it already includes the allocator wait; the force at rotation is counted as a force.
        final long stalled = d.forceNanos + d.rotationNanos;
        System.out.printf(java.util.Locale.ROOT,
            "%n  [%s] records=%,d rotations=%d forces=%d force=%.0fms rotation=%.0fms (of which allocator " +
            "wait=%.0fms); %.1f%% of %.2fs; rate excluding forces and rotations: %,.0f rec/s%n", label, d.records,
            d.rotations, d.forces, d.forceNanos / 1e6, d.rotationNanos / 1e6, d.allocatorWaitNanos / 1e6,
            100.0 * stalled / iterNanos, iterNanos / 1e9, d.records * 1e9 / Math.max(1, iterNanos - stalled));
    }
}
