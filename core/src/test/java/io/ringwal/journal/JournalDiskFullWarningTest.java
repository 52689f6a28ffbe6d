package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.format.FrameDescriptor;
import io.ringwal.segment.AllocationListener;
import io.ringwal.segment.SegmentAllocationException;
import io.ringwal.segment.internal.SegmentAllocator;
import io.ringwal.testing.JournalFiles;
import io.ringwal.testing.LogCapture;
import io.ringwal.testing.Mounts;

/**
 * The early warning of a full disk, on a real, small, loop-mounted ext4 filesystem (root only): the allocator
 * reports "no space for the next segment" (counter, WARNING log line, listener) as soon as preparing fails, while
 * the writer still has room; the writer fails with the plain cause only at the rotation that finds no segment; a
 * reopen of the full journal appends into the room its last segment has left; space that comes back before the
 * writer needs it averts the failure.
 */
class JournalDiskFullWarningTest
{
    private static final int SEGMENT = 256 * 1024;
    private static final int RECORD = 1000;
    private static final int SMALL = 16;
    private static final long DISK = 8L * 1024 * 1024;
    private static final int RECORDS_PER_SEGMENT = SEGMENT / FrameDescriptor.alignedLength(
        FrameDescriptor.frameLength(RECORD)) - 1;

    @TempDir
    Path tmp;

    /** What the allocation listener was told, in order. */
    private final Queue<String> events = new ConcurrentLinkedQueue<>();
    private final AllocationListener listener = new AllocationListener()
    {
        @Override
        public void allocationFailed(final Path directory, final int segmentSize,
            final SegmentAllocationException cause)
        {
            events.add("failed " + segmentSize + ": " + cause.getMessage() + " / " + cause.getCause().getMessage());
        }

        @Override
        public void allocationRecovered(final Path directory)
        {
            events.add("recovered");
        }
    };

    @Test
    void shouldWarnWhileTheWriterHasRoomAndFailWithThePlainMessageOnlyAtTheRotation() throws Exception
    {
        Mounts.requireRoot("disk-full early warning (loop-mounted ext4)");
        final Path mount = mount();
        try (LogCapture log = LogCapture.start())
        {
            final Path dir = mount.resolve("journal");
            final JournalWriter writer = JournalWriter.open(dir, config());
            final Fill fill = fillUntilFailure(writer);

            assertThat(fill.warnedAt).as("the warning came before the writer failed").isGreaterThanOrEqualTo(0);
            assertThat(fill.allocationFailuresAtWarning).as("the counter rose with the warning").isEqualTo(1);
            assertThat(fill.failedAt - fill.warnedAt - 1)
                .as("records appended after the warning: the active segment had room, and the one prepared before")
                .isGreaterThanOrEqualTo(RECORDS_PER_SEGMENT);
            assertThat(fill.recordsInWarnedSegmentAfterWarning)
                .as("records that went into the segment active at the warning, after it").isPositive();

            final String plain = "no space left on device in " + dir + ": next segment of " + SEGMENT +
                " bytes could not be allocated";
            assertThat(fill.failure).hasMessageContaining(plain).hasCauseInstanceOf(IOException.class);
            assertThat(fill.failure.getCause()).hasMessageContaining("No space left on device")
                .hasMessageContaining(".seg.tmp");
            assertThatThrownBy(() -> writer.append(new byte[8], 0, 8)).isInstanceOf(JournalFailedException.class)
                .hasMessageContaining(plain);

            // the allocator goes on retrying; the warning stays one per episode
            Thread.sleep(SegmentAllocator.RETRY_INTERVAL_MILLIS + 500);
            assertThat(events).hasSize(1);
            assertThat(events.peek()).startsWith("failed " + SEGMENT + ": " + plain);
            assertThat(writer.counters().allocationFailures()).isEqualTo(1);
            assertThat(log.at(Level.WARNING, plain)).as("WARNING lines").hasSize(1);
            writer.close();
        }
        finally
        {
            assertThat(Mounts.unmount(mount)).as("unmount " + mount).isTrue();
        }
    }

    @Test
    void shouldReopenAFullJournalIntoTheRoomOfItsLastSegmentAndFailPlainlyWhenItMustAllocate() throws Exception
    {
        Mounts.requireRoot("disk-full reopen (loop-mounted ext4)");
        final Path image = tmp.resolve("disk.img");
        final Path mount = mount();
        boolean mounted = true;
        try
        {
            final Path dir = mount.resolve("journal");
            final JournalWriter first = JournalWriter.open(dir, config());
            final Fill fill = fillUntilFailure(first);
            assertThat(fill.failure).isNotNull();
            first.close();
            final List<Path> segments = JournalFiles.segments(dir);
            final Path last = segments.get(segments.size() - 1);

            assertThat(Mounts.unmount(mount)).isTrue();
            mounted = false;
            Mounts.mountExistingExt4(image, mount);
            mounted = true;

            events.clear();
            final String plain = "no space left on device in " + dir + ": next segment of " + SEGMENT +
                " bytes could not be allocated";
            final JournalWriter reopened = JournalWriter.open(dir, config());
            assertThat(reopened.activeSegment()).as("continues in the last segment").isEqualTo(last);
            long small = 0;
            JournalFailedException failure = null;
            while (failure == null)
            {
                try
                {
                    final long next = reopened.nextSequence();
                    assertThat(reopened.append(JournalFiles.payload(next, SMALL), 0, SMALL)).isEqualTo(next);
                    reopened.endOfBatch();
                    assertThat(reopened.activeSegment()).isEqualTo(last);
                    small++;
                }
                catch (final JournalFailedException ex)
                {
                    failure = ex;
                }
            }
            assertThat(small).as("records appended into the remaining room of the last segment").isPositive();
            assertThat(failure).hasMessageContaining(plain).hasCauseInstanceOf(IOException.class);
            assertThat(failure.getCause()).as("failed at once, on the usable space the file system reports")
                .hasMessageContaining("No space left on device").hasMessageEndingWith(" bytes usable)");
            try (var files = Files.list(dir))
            {
                assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".seg.tmp"));
            }
            assertThat(events).as("the reopened writer was warned too").isNotEmpty();
            assertThat(events.peek()).startsWith("failed " + SEGMENT + ": " + plain);
            reopened.close();

            final List<byte[]> records = JournalFiles.readAll(dir);
            assertThat(records).hasSize((int)(fill.failedAt + small));
            for (int i = 0; i < records.size(); i++)
            {
                assertThat(records.get(i)).as("record %d", i)
                    .isEqualTo(JournalFiles.payload(i, i < fill.failedAt ? RECORD : SMALL));
            }

            // a journal that must start with a new segment cannot open, and says why in plain words
            final Path other = mount.resolve("other");
            assertThatThrownBy(() -> JournalWriter.open(other, config())).isExactlyInstanceOf(JournalException.class)
                .hasMessage("no space left on device in " + other + ": next segment of " + SEGMENT +
                    " bytes could not be allocated")
                .cause().isInstanceOf(IOException.class).hasMessageContaining("No space left on device");
        }
        finally
        {
            if (mounted)
            {
                assertThat(Mounts.unmount(mount)).as("unmount " + mount).isTrue();
            }
        }
    }

    @Test
    void shouldCarryOnWithoutFailingWhenSpaceComesBackBeforeTheWriterNeedsTheSegment() throws Exception
    {
        Mounts.requireRoot("disk-full recovery (loop-mounted ext4)");
        final Path mount = mount();
        try (LogCapture log = LogCapture.start())
        {
            final Path ballast = Files.write(mount.resolve("ballast"), new byte[1024 * 1024]);
            final Path dir = mount.resolve("journal");
            try (JournalWriter writer = JournalWriter.open(dir, config()))
            {
                long i = 0;
                while (events.isEmpty())
                {
                    appendOne(writer, i++);
                }
                final long rotationsAtWarning = writer.counters().rotations();
                Files.delete(ballast);
                final long deadline = System.nanoTime() + 10_000_000_000L;
                while (events.size() < 2 && System.nanoTime() < deadline)
                {
                    Thread.sleep(10);
                }
                assertThat(events).as("told of the recovery").hasSize(2).last().isEqualTo("recovered");
                // the freed megabyte holds three more segments: the writer rotates past the point it would have failed
                for (int k = 0; k < 3 * RECORDS_PER_SEGMENT; k++)
                {
                    appendOne(writer, i++);
                }
                assertThat(writer.counters().rotations()).isGreaterThanOrEqualTo(rotationsAtWarning + 2);
                assertThat(writer.failure()).isNull();
                assertThat(writer.counters().allocationFailures()).isEqualTo(1);
                assertThat(log.at(Level.INFO, "segments can be allocated in " + dir + " again")).hasSize(1);
            }
        }
        finally
        {
            assertThat(Mounts.unmount(mount)).as("unmount " + mount).isTrue();
        }
    }

    private Path mount() throws IOException
    {
        final Path image = tmp.resolve("disk.img");
        final Path mount = Files.createDirectory(tmp.resolve("mnt"));
        Mounts.mountExt4(image, DISK, mount);
        return mount;
    }

    private JournalConfig config()
    {
        return JournalConfig.builder().segmentSize(SEGMENT).forcePolicy(ForcePolicy.everyBatch())
            .allocationListener(listener).build();
    }

    private static void appendOne(final JournalWriter writer, final long sequence)
    {
        assertThat(writer.append(JournalFiles.payload(sequence, RECORD), 0, RECORD)).isEqualTo(sequence);
        if (sequence % 16 == 15)
        {
            writer.endOfBatch();
        }
    }

    /** How a fill went: where the warning came and where the writer failed. */
    private static final class Fill
    {
        long warnedAt = -1;
        long allocationFailuresAtWarning;
        long recordsInWarnedSegmentAfterWarning;
        long failedAt = -1;
        JournalFailedException failure;
    }

    /**
     * Appends records until the writer fails. After each rotation it waits until the allocator has caught up
     * (prepared its segments or failed), so that the warning comes at the first rotation that cannot be prepared
     * for, however fast this thread appends.
     */
    private Fill fillUntilFailure(final JournalWriter writer) throws InterruptedException
    {
        final Fill fill = new Fill();
        long rotations = writer.counters().rotations();
        Path warnedSegment = null;
        for (long i = 0; i < 100_000; i++)
        {
            try
            {
                appendOne(writer, i);
            }
            catch (final JournalFailedException ex)
            {
                fill.failure = ex;
                fill.failedAt = i;
                return fill;
            }
            if (warnedSegment != null && writer.activeSegment().equals(warnedSegment))
            {
                fill.recordsInWarnedSegmentAfterWarning++;
            }
            final JournalCounters counters = writer.counters();
            if (counters.rotations() != rotations)
            {
                rotations = counters.rotations();
                awaitAllocator(writer, rotations);
            }
            if (fill.warnedAt < 0 && !events.isEmpty())
            {
                fill.warnedAt = i;
                fill.allocationFailuresAtWarning = writer.counters().allocationFailures();
                warnedSegment = writer.activeSegment();
            }
        }
        throw new AssertionError("the disk never filled up");
    }

    private void awaitAllocator(final JournalWriter writer, final long rotations) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (events.isEmpty() && System.nanoTime() < deadline)
        {
            final JournalCounters counters = writer.counters();
            if (counters.segmentsDirect() + counters.segmentsBufferedPages() + counters.segmentsBuffered() +
                counters.segmentsRecycled() >=
                rotations + writer.config().preparedSegments())
            {
                return;
            }
            Thread.sleep(1);
        }
    }
}
