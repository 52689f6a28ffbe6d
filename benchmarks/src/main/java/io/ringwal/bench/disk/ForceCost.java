package io.ringwal.bench.disk;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

import org.agrona.concurrent.UnsafeBuffer;

import io.ringwal.segment.internal.MappedSegment;
import io.ringwal.segment.PretouchMode;
import io.ringwal.segment.PreallocationMode;
import io.ringwal.segment.internal.SegmentPreallocator;

/**
 * Measures what one force of a freshly written range costs, and how many bytes the disk really writes for it,
 * for each way a segment can be preallocated.
 *
 * <p>For each preallocation mode (DIRECT, BUFFERED_PAGES, BUFFERED, SPARSE, and a file given unwritten extents by
 * {@code fallocate(1)}) and each range size (4 KiB, 16 KiB, 64 KiB, 1 MiB by default) it preallocates a segment
 * with {@link SegmentPreallocator}, maps it with {@link MappedSegment#map}
 * (pretouched, as the journal's allocator does), and then, as a journal does, writes the next range sequentially
 * through the mapping and forces exactly that range ({@link MappedSegment#force}), {@code forces} times, in the
 * last part of the file (see {@link #firstOffset}). Around
 * each force it reads the device's sectors-written counter ({@link BlockDeviceStats}). It reports the force time
 * (median, p90, max, mean) and the disk bytes written per force (median and mean) and their ratio to the range.
 * The median of the per-force disk bytes is robust to other processes writing to the same device now and then;
 * the mean is not.
 *
 * <p>A last row does the same with no mapping: {@code FileChannel.write} of the range then {@code force(false)}
 * (pwrite + fdatasync) on a DIRECT-preallocated file, the classic group-commit baseline.
 */
public final class ForceCost
{
    private static final int WARMUP_FORCES = 5;
    private static final int FIRST_OFFSET = 4096;

    private ForceCost()
    {
    }

    /**
     * Runs the measurement.
     *
     * @param directory where the segment files go (created if absent; must be on a block device).
     * @param sizes     the range sizes, each a multiple of 4096.
     * @param forces    forces per mode and size.
     * @param segmentSize the smallest segment file size (larger when the forces need more room); the default
     *                  journal segment size, 64 MiB, reproduces what the journal's segments get from the page cache.
     * @param out       where the table goes.
     * @throws IOException if a file cannot be created or the device statistics cannot be read.
     */
    public static void run(
        final Path directory, final int[] sizes, final int forces, final int segmentSize, final PrintStream out)
        throws IOException
    {
        Files.createDirectories(directory);
        final BlockDeviceStats stats = BlockDeviceStats.of(directory);
        out.println("force-cost: directory " + directory.toAbsolutePath() + " on " +
            Files.getFileStore(directory).type() + ", device " + stats.device() + " (" + stats.statFile() + ")");
        out.println("force-cost: segment files of at least " + (segmentSize >> 20) + " MiB, pretouched");
        out.println("force-cost: " + forces + " forces per row; each force covers a freshly written range right " +
            "after the previous one; disk bytes are device-wide (other writers count too)");
        out.printf(Locale.ROOT, "%-18s %8s %10s %10s %10s %10s %14s %14s %9s%n", "mode", "range", "median us",
            "p90 us", "max us", "mean us", "disk B/force", "mean B/force", "median x");
        final PreallocationMode[] modes = {PreallocationMode.DIRECT, PreallocationMode.BUFFERED_PAGES,
            PreallocationMode.BUFFERED, PreallocationMode.SPARSE};
        for (final PreallocationMode mode : modes)
        {
            for (final PretouchMode pretouch : new PretouchMode[]{PretouchMode.READ, PretouchMode.WRITE})
            {
                for (final int size : sizes)
                {
                    final Row row = measureMapped(directory, mode, pretouch, false, size, forces, segmentSize,
                        stats);
                    row.print(out);
                }
            }
        }
        for (final int size : sizes)
        {
            measureMapped(directory, PreallocationMode.DIRECT, PretouchMode.WRITE, true, size, forces, segmentSize,
                stats).print(out);
        }
        for (final int size : sizes)
        {
            measureFallocated(directory, size, forces, segmentSize, stats, out);
        }
        for (final int size : sizes)
        {
            measureWriteFdatasync(directory, size, forces, segmentSize, stats).print(out);
        }
    }

    /**
     * The same as {@link #measureMapped} with WRITE pretouch, on a file that {@code fallocate(1)} gave unwritten
     * extents instead of zero-filled blocks (Java has no {@code fallocate}; the journal does not offer it because
     * of what this row shows: the first write to an unwritten extent makes each force commit metadata).
     */
    private static void measureFallocated(
        final Path directory, final int size, final int forces, final int minimumSize, final BlockDeviceStats stats,
        final PrintStream out) throws IOException
    {
        final Path file = directory.resolve("force-cost-fallocate-" + size + ".seg");
        Files.deleteIfExists(file);
        final int segmentSize = segmentSizeFor(size, forces, minimumSize);
        final Process process;
        try
        {
            process = new ProcessBuilder("fallocate", "-l", Integer.toString(segmentSize), file.toString())
                .redirectErrorStream(true).start();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0)
            {
                out.println("FALLOCATE+WRITE    skipped: fallocate -l " + segmentSize + " " + file + " failed: " +
                    output.strip());
                Files.deleteIfExists(file);
                return;
            }
        }
        catch (final IOException ex)
        {
            out.println("FALLOCATE+WRITE    skipped: cannot run fallocate(1): " + ex.getMessage());
            return;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            Files.deleteIfExists(file);
            throw new IOException("interrupted while running fallocate on " + file, ex);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.force(true);
        }
        forceThroughMapping(file, "FALLOCATE+WRITE", PretouchMode.WRITE, size, forces, stats).print(out);
    }

    /**
     * Where the measured ranges start: as near the end of the file as they fit, because how the page cache holds a
     * page depends on where it is: pages faulted in through the mapping come as ever larger folios the further
     * into the file sequential faults go (readahead ramps the folio size up), and most of a 64 MiB segment is in
     * large folios. Ranges at the start of the file would measure only small ones.
     */
    private static int firstOffset(final int segmentSize, final int size, final int forces)
    {
        final long needed = (long)size * (forces + WARMUP_FORCES);
        return (int)Math.max(FIRST_OFFSET, (segmentSize - needed) & -4096L);
    }

    private static int segmentSizeFor(final int size, final int forces, final int minimum)
    {
        final long needed = FIRST_OFFSET + (long)size * (forces + WARMUP_FORCES);
        long segment = minimum;
        while (segment < needed)
        {
            segment <<= 1;
        }
        return (int)segment;
    }

    /**
     * One row: a file preallocated with {@code mode}, then, if {@code prime}, its page cache primed with single-page
     * folios ({@link MappedSegment#primeUncachedPages()}, what the allocator does under small forces), then mapped
     * and pretouched.
     */
    private static Row measureMapped(
        final Path directory, final PreallocationMode mode, final PretouchMode pretouch, final boolean prime,
        final int size, final int forces, final int minimumSize, final BlockDeviceStats stats) throws IOException
    {
        final Path file = directory.resolve("force-cost-" + mode.name().toLowerCase(Locale.ROOT) +
            (prime ? "-primed-" : "-") + size + ".seg");
        Files.deleteIfExists(file);
        final int segmentSize = segmentSizeFor(size, forces, minimumSize);
        final PreallocationMode used = SegmentPreallocator.preallocate(file, segmentSize, mode);
        if (prime)
        {
            try (MappedSegment segment = MappedSegment.map(file, PretouchMode.NONE))
            {
                segment.primeUncachedPages();
            }
        }
        return forceThroughMapping(file, (used == mode ? mode.name() : mode.name() + "->" + used.name()) +
            (prime ? "+PRIMED+" : "+") + pretouch.name(), pretouch, size, forces, stats);
    }

    private static Row forceThroughMapping(
        final Path file, final String label, final PretouchMode pretouch, final int size, final int forces,
        final BlockDeviceStats stats) throws IOException
    {
        final long[] nanos = new long[forces];
        final long[] disk = new long[forces];
        try (MappedSegment segment = MappedSegment.map(file, pretouch))
        {
            final UnsafeBuffer buffer = segment.buffer();
            int offset = firstOffset(segment.size(), size, forces);
            for (int i = -WARMUP_FORCES; i < forces; i++)
            {
                buffer.setMemory(offset, size, (byte)(i + 100));
                final long before = stats.bytesWritten();
                final long start = System.nanoTime();
                segment.force(offset, size);
                final long end = System.nanoTime();
                final long after = stats.bytesWritten();
                if (i >= 0)
                {
                    nanos[i] = end - start;
                    disk[i] = after - before;
                }
                offset += size;
            }
        }
        finally
        {
            Files.deleteIfExists(file);
        }
        return new Row(label, size, nanos, disk);
    }

    private static Row measureWriteFdatasync(
        final Path directory, final int size, final int forces, final int minimumSize, final BlockDeviceStats stats)
        throws IOException
    {
        final Path file = directory.resolve("force-cost-pwrite-" + size + ".seg");
        Files.deleteIfExists(file);
        final int segmentSize = segmentSizeFor(size, forces, minimumSize);
        SegmentPreallocator.preallocate(file, segmentSize, PreallocationMode.DIRECT);
        final long[] nanos = new long[forces];
        final long[] disk = new long[forces];
        final ByteBuffer source = ByteBuffer.allocateDirect(size);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            long offset = firstOffset(segmentSize, size, forces);
            for (int i = -WARMUP_FORCES; i < forces; i++)
            {
                final byte fill = (byte)(i + 100);
                source.clear();
                while (source.hasRemaining())
                {
                    source.put(fill);
                }
                source.flip();
                final long before = stats.bytesWritten();
                final long start = System.nanoTime();
                while (source.hasRemaining())
                {
                    channel.write(source, offset + source.position());
                }
                channel.force(false);
                final long end = System.nanoTime();
                final long after = stats.bytesWritten();
                if (i >= 0)
                {
                    nanos[i] = end - start;
                    disk[i] = after - before;
                }
                offset += size;
            }
        }
        finally
        {
            Files.deleteIfExists(file);
        }
        return new Row("pwrite+fdatasync", size, nanos, disk);
    }

    private static final class Row
    {
        private final String mode;
        private final int size;
        private final long[] nanos;
        private final long[] disk;

        Row(final String mode, final int size, final long[] nanos, final long[] disk)
        {
            this.mode = mode;
            this.size = size;
            this.nanos = nanos.clone();
            this.disk = disk.clone();
            Arrays.sort(this.nanos);
            Arrays.sort(this.disk);
        }

        void print(final PrintStream out)
        {
            final double medianDisk = percentile(disk, 50);
            out.printf(Locale.ROOT, "%-18s %8s %10.0f %10.0f %10.0f %10.0f %,14.0f %,14.0f %9.2f%n", mode,
                size >= 1 << 20 ? (size >> 20) + " MiB" : (size >> 10) + " KiB", percentile(nanos, 50) / 1e3,
                percentile(nanos, 90) / 1e3, nanos[nanos.length - 1] / 1e3, mean(nanos) / 1e3, medianDisk,
                mean(disk), medianDisk / size);
        }

        private static double percentile(final long[] sorted, final double percentile)
        {
            final int index = (int)Math.min(sorted.length - 1, Math.round(percentile / 100.0 * (sorted.length - 1)));
            return sorted[index];
        }

        private static double mean(final long[] values)
        {
            double sum = 0;
            for (final long value : values)
            {
                sum += value;
            }
            return sum / values.length;
        }
    }
}
