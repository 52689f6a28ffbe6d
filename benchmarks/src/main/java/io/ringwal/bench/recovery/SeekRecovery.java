package io.ringwal.bench.recovery;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import org.agrona.concurrent.UnsafeBuffer;

import io.ringwal.format.SegmentFileNames;
import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalReader;
import io.ringwal.journal.JournalWriter;
import io.ringwal.journal.RecoveryReport;
import io.ringwal.segment.PreallocationMode;

/**
 * Times two things a restart pays for, on a journal whose first segment is full:
 * <ul>
 *     <li><b>seek</b>: {@link JournalReader#open(Path, long)} for a sequence near the end of the full segment
 *     (the reader reads the header, maps the segment and walks the frame lengths up to the sequence; the first
 *     seek of the process starts at the segment's seek index file, or without one walks from the first frame, and
 *     records a sparse in-memory index on the way; later ones start at the in-memory index), then close;</li>
 *     <li><b>first seek</b>: the same, but each repetition opens the journal through a fresh directory of hard
 *     links to its files, so that the process-wide in-memory index ({@code SeekIndex}, keyed by the path) knows
 *     nothing of the segment: what the first seek of a process costs, with the code already compiled and the
 *     page cache warm (the links share the files' pages);</li>
 *     <li><b>recovery</b>: {@link JournalWriter#open(Path, JournalConfig)} on the journal (lock, list, validate
 *     headers, verify every frame's CRC in every segment by default, map and pretouch the last segment, start
 *     the allocator). Only the open is timed, not the close. The reopen uses SPARSE preallocation so that each
 *     repetition does not zero-fill a new segment in the background; the recovery work itself does not depend
 *     on the mode.</li>
 * </ul>
 * The journal is built once (the first segment filled with records of {@code recordSize} bytes, the next one
 * holding one record), and kept between runs in {@code directory} unless deleted. With {@code dropCaches} the
 * page cache is dropped before each timed repetition (needs root), to show the cold-cache cost.
 */
public final class SeekRecovery
{
    private SeekRecovery()
    {
    }

    /**
     * Builds the journal if needed, then times seeks and recoveries.
     *
     * @param directory     the journal directory.
     * @param segmentSize   the segment size.
     * @param recordSize    the payload size.
     * @param seeks         seek repetitions.
     * @param recoveries    recovery repetitions.
     * @param dropCaches    whether to drop the page cache before each repetition.
     * @param out           where results go.
     * @throws IOException if dropping caches fails.
     */
    public static void run(
        final Path directory,
        final int segmentSize,
        final int recordSize,
        final int seeks,
        final int recoveries,
        final boolean dropCaches,
        final PrintStream out) throws IOException
    {
        final long firstSegmentRecords = buildIfNeeded(directory, segmentSize, recordSize, out);
        final long target = firstSegmentRecords - 10;
        out.printf(Locale.ROOT, "seek-recovery: journal %s, segment %d MiB, %,d records of %d B in the first " +
            "segment; seeking to sequence %,d%n", directory.toAbsolutePath(), segmentSize >> 20, firstSegmentRecords,
            recordSize, target);

        final long[] seekNanos = new long[seeks];
        for (int i = 0; i < seeks; i++)
        {
            if (dropCaches)
            {
                dropCaches();
            }
            final long start = System.nanoTime();
            try (JournalReader reader = JournalReader.open(directory, target))
            {
                seekNanos[i] = System.nanoTime() - start;
                if (reader.nextSequence() != target)
                {
                    throw new IllegalStateException("reader positioned at " + reader.nextSequence() + ", not " +
                        target);
                }
            }
        }
        print(out, "seek (JournalReader.open near the end of a full segment)", seekNanos);
        print(out, "first seek of the process into the segment", firstSeeks(directory, target, seeks));

        final JournalConfig reopen = JournalConfig.builder()
            .segmentSize(segmentSize)
            .forcePolicy(ForcePolicy.never())
            .preallocationMode(PreallocationMode.SPARSE)
            .build();
        final long[] openNanos = new long[recoveries];
        final long[] scanNanos = new long[recoveries];
        for (int i = 0; i < recoveries; i++)
        {
            if (dropCaches)
            {
                dropCaches();
            }
            final long start = System.nanoTime();
            try (JournalWriter writer = JournalWriter.open(directory, reopen))
            {
                openNanos[i] = System.nanoTime() - start;
                final RecoveryReport report = writer.recoveryReport();
                scanNanos[i] = report.durationNanos();
                if (i == 0)
                {
                    out.println("seek-recovery: " + report);
                }
            }
        }
        print(out, "recovery (JournalWriter.open, whole call)", openNanos);
        print(out, "recovery (RecoveryReport.durationNanos, the scan)", scanNanos);
    }

    private static long[] firstSeeks(final Path directory, final long target, final int seeks) throws IOException
    {
        final Path links = directory.resolveSibling(directory.getFileName() + "-links");
        final long[] nanos = new long[seeks];
        for (int i = 0; i < seeks; i++)
        {
            final Path view = links.resolve(Integer.toString(i));
            Files.createDirectories(view);
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory))
            {
                for (final Path entry : entries)
                {
                    final String name = entry.getFileName().toString();
                    if (SegmentFileNames.isSegmentFileName(name) || SegmentFileNames.isIndexFileName(name))
                    {
                        Files.createLink(view.resolve(name), entry);
                    }
                }
            }
            final long start = System.nanoTime();
            try (JournalReader reader = JournalReader.open(view, target))
            {
                nanos[i] = System.nanoTime() - start;
                if (reader.nextSequence() != target)
                {
                    throw new IllegalStateException("reader positioned at " + reader.nextSequence() + ", not " +
                        target);
                }
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(view))
            {
                for (final Path entry : entries)
                {
                    Files.delete(entry);
                }
            }
            Files.delete(view);
        }
        Files.deleteIfExists(links);
        return nanos;
    }

    private static long buildIfNeeded(
        final Path directory, final int segmentSize, final int recordSize, final PrintStream out) throws IOException
    {
        final long existing = secondSegmentBase(directory);
        if (existing > 0)
        {
            out.println("seek-recovery: reusing the journal in " + directory);
            return existing;
        }
        final JournalConfig config = JournalConfig.builder()
            .segmentSize(segmentSize)
            .forcePolicy(ForcePolicy.never())
            .build();
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[recordSize]);
        final long start = System.nanoTime();
        try (JournalWriter writer = JournalWriter.open(directory, config))
        {
            if (writer.nextSequence() != 0)
            {
                throw new IllegalStateException(directory + " holds a journal whose first segment is not full; " +
                    "delete it or choose another --dir");
            }
            out.println("seek-recovery: building the journal (first segment full) ...");
            while (writer.activeSegmentBase() == 0)
            {
                writer.append(payload, 0, recordSize);
            }
            writer.force();
            out.printf(Locale.ROOT, "seek-recovery: built in %.1f s%n", (System.nanoTime() - start) / 1e9);
            return writer.activeSegmentBase();
        }
    }

    private static long secondSegmentBase(final Path directory) throws IOException
    {
        if (!Files.isDirectory(directory))
        {
            return 0;
        }
        final long[] bases = SegmentFileNames.listSegmentBases(directory);
        return bases.length >= 2 && bases[0] == 0 ? bases[1] : 0;
    }

    private static void dropCaches() throws IOException
    {
        try
        {
            new ProcessBuilder("sync").inheritIO().start().waitFor();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3");
    }

    private static void print(final PrintStream out, final String what, final long[] nanos)
    {
        final long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        final StringBuilder all = new StringBuilder();
        for (final long n : nanos)
        {
            all.append(String.format(Locale.ROOT, " %.1f", n / 1e6));
        }
        out.printf(Locale.ROOT, "%-52s n=%d median %.1f ms  min %.1f ms  max %.1f ms  (all ms:%s)%n", what,
            nanos.length, sorted[sorted.length / 2] / 1e6, sorted[0] / 1e6, sorted[sorted.length - 1] / 1e6, all);
    }
}
