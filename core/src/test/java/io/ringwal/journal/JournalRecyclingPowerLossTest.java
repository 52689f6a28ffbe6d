package io.ringwal.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;
import net.jqwik.api.statistics.Statistics;

import io.ringwal.format.SegmentFileNames;
import io.ringwal.segment.PreallocationMode;
import io.ringwal.segment.PretouchMode;
import io.ringwal.testing.JournalFiles;
import io.ringwal.testing.QuietLogs;

/**
 * Simulated power loss with retention and segment recycling: the {@link JournalPowerLossTest} model, extended to
 * retired segments that are renamed to free files and come back as new segments holding the stale frames of
 * their earlier use.
 *
 * <p>The model tracks files by inode, not by name. The durable content of an inode is what its last observed
 * forces wrote (a recycled file starts its new use with the durable content of its old one). The directory is
 * modelled as the sequence of directory states listed at every observer callback and between calls: a crash image
 * takes one of the states since the last point known to be durable (a directory force of the writer, or the
 * retention run's directory force, known to have completed once the allocator took a retired file under a
 * temporary name), so renames of segments to free names, free files to temporary names and temporary files to
 * segments each may or may not have reached the disk, in the order they were made. Each file of the chosen state
 * gets its inode's durable bytes plus any subset of the 4 KiB pages written since and one torn sector.
 *
 * <p>Property: recovery returns every record from the first segment present in the image up to at least the
 * durable watermark, byte-identical; the image keeps at least as many segments as the byte limit asks (retention
 * only retires whole segments from the oldest end); no record is invented (no stale frame of an earlier use is
 * returned, the reader never fails on one) and the next append gets last + 1, also when it goes into a recycled
 * file left in the image.
 */
class JournalRecyclingPowerLossTest
{
    static final int SEGMENT = 64 * 1024;
    static final int PAGE = 4096;
    static final int SECTOR = 512;
    private static final int MAX_PAYLOAD = JournalConfig.maxPayloadFor(SEGMENT);

    /** One generated case: {@code keepSegments} is the retention byte limit in segments. */
    record Workload(long seed, JournalPowerLossTest.Policy policy, WriteMode writeMode, int records, int maxBatch,
        int keepSegments)
    {
    }

    /** Where a crash image was taken. */
    enum CrashPoint
    {
        BETWEEN_CALLS,
        DIRECTORY_CHANGED,
        BEFORE_DATA_FORCE,
        AFTER_DATA_FORCE,
        BEFORE_ROTATION_FORCE,
        AFTER_ROTATION_FORCE,
        BEFORE_RECYCLED_HEADER_FORCE,
        AFTER_RECYCLED_HEADER_FORCE,
        BEFORE_FRESH_HEADER_FORCE,
        AFTER_FRESH_HEADER_FORCE,
        BEFORE_DIRECTORY_FORCE,
        AFTER_DIRECTORY_FORCE
    }

    /** A post-crash directory image; {@code minSegments}: fewer segment files means retention retired too much. */
    record Image(CrashPoint point, long watermark, int appended, int minSegments, Map<String, byte[]> files,
        String notes)
    {
    }

    @Provide
    Arbitrary<Workload> workloads()
    {
        return Combinators.combine(
            Arbitraries.longs(),
            Arbitraries.of(JournalPowerLossTest.Policy.class),
            Arbitraries.of(WriteMode.class),
            Arbitraries.integers().between(250, 600),
            Arbitraries.integers().between(1, 16),
            Arbitraries.integers().between(3, 5))
            .as(Workload::new);
    }

    @Property(tries = 100, shrinking = ShrinkingMode.OFF)
    void shouldNeverReturnStaleFramesOrLoseDurableRecordsWhenRecycledSegmentsCrash(
        @ForAll("workloads") final Workload workload)
    {
        runAndCheck(workload);
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.OFF)
    @Tag("slow")
    void shouldNeverReturnStaleFramesOrLoseDurableRecordsWhenRecycledSegmentsCrashLong(
        @ForAll("workloads") final Workload workload)
    {
        runAndCheck(workload);
    }

    private static void runAndCheck(final Workload workload)
    {
        final QuietLogs quiet = QuietLogs.quiet();
        final Path dir = JournalFiles.fastTempDir("recycling-powerloss-run");
        try
        {
            final List<byte[]> appended = new ArrayList<>();
            final RecyclingCrashModel model = run(workload, dir, appended);
            Statistics.label("segments recycled").collect(model.recycledRotations >= 10 ? ">= 10" :
                model.recycledRotations >= 5 ? "5..9" : "< 5");
            Statistics.label("images").collect(model.images.size() >= 10 ? ">= 10" : "< 10");
            for (final Image image : model.images)
            {
                Statistics.label("crash point").collect(image.point());
                recoverAndCheck(workload, image, appended);
            }
        }
        finally
        {
            JournalFiles.deleteTree(dir);
            quiet.close();
        }
    }

    private static RecyclingCrashModel run(final Workload workload, final Path dir, final List<byte[]> appended)
    {
        final Random random = new Random(workload.seed());
        final ForcePolicy policy = switch (workload.policy())
        {
            case EVERY_BATCH -> ForcePolicy.everyBatch();
            case BOUNDED -> ForcePolicy.bounded(1, TimeUnit.HOURS, 1 + random.nextInt(32 * 1024));
            case NEVER -> ForcePolicy.never();
        };
        final RecyclingCrashModel model = new RecyclingCrashModel(dir, random, appended, workload.keepSegments(),
            3.0 / workload.records(), random.nextInt(workload.records()));
        final JournalConfig config = JournalConfig.builder().segmentSize(SEGMENT).forcePolicy(policy)
            .retention(RetentionPolicy.maxBytes((long)workload.keepSegments() * SEGMENT)).recycleSegments(true)
            .forceObserver(model).preallocationMode(PreallocationMode.BUFFERED).pretouchMode(PretouchMode.NONE)
            .writeMode(workload.writeMode()).build();
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            int batchLeft = 1 + random.nextInt(workload.maxBatch());
            while (appended.size() < workload.records())
            {
                final byte[] payload = new byte[recordSize(random)];
                random.nextBytes(payload);
                final long sequence = writer.append(payload, 0, payload.length);
                if (sequence != appended.size())
                {
                    throw new AssertionError("append returned " + sequence + ", expected " + appended.size());
                }
                appended.add(payload);
                model.between();
                if (--batchLeft == 0)
                {
                    writer.endOfBatch();
                    model.between();
                    batchLeft = 1 + random.nextInt(workload.maxBatch());
                }
                if (random.nextInt(40) == 0)
                {
                    writer.force();
                    model.between();
                }
            }
        }
        return model;
    }

    private static int recordSize(final Random random)
    {
        final int kind = random.nextInt(100);
        if (kind < 60)
        {
            return 1 + random.nextInt(200);
        }
        if (kind < 85)
        {
            return 200 + random.nextInt(3000);
        }
        if (kind < 97)
        {
            return 3000 + random.nextInt(17_000);
        }
        return 20_000 + random.nextInt(MAX_PAYLOAD - 20_000 + 1);
    }

    private static void recoverAndCheck(final Workload workload, final Image image, final List<byte[]> appended)
    {
        final Path dir = JournalFiles.fastTempDir("recycling-powerloss-image");
        try
        {
            long firstBase = Long.MAX_VALUE;
            int segments = 0;
            for (final Map.Entry<String, byte[]> file : image.files().entrySet())
            {
                Files.write(dir.resolve(file.getKey()), file.getValue());
                if (SegmentFileNames.isSegmentFileName(file.getKey()))
                {
                    segments++;
                    firstBase = Math.min(firstBase, SegmentFileNames.baseSequence(Path.of(file.getKey())));
                }
            }
            if (segments < image.minSegments())
            {
                throw failure(workload, image, "retention left " + segments + " segments, the limit keeps " +
                    image.minSegments());
            }
            if (segments == 0)
            {
                firstBase = 0;
            }
            // recycling stays on: the probe may go into a free (recycled) file the image holds
            final JournalConfig config = JournalConfig.builder().segmentSize(SEGMENT).recycleSegments(true)
                .preallocationMode(PreallocationMode.BUFFERED).pretouchMode(PretouchMode.NONE).build();
            final long last;
            try (JournalWriter writer = JournalWriter.open(dir, config))
            {
                final RecoveryReport report = writer.recoveryReport();
                last = report.lastSequence();
                if (report.firstSequence() != firstBase && !(report.firstSequence() == -1 && last == -1))
                {
                    throw failure(workload, image, "recovery starts at " + report.firstSequence() +
                        " but the first segment's base is " + firstBase + "; " + report);
                }
                if (last < image.watermark())
                {
                    throw failure(workload, image, "durable record lost: recovered up to " + last +
                        " but sequence " + image.watermark() + " was reported durable; " + report);
                }
                if (last >= image.appended())
                {
                    throw failure(workload, image, "recovered up to " + last + " but only " + image.appended() +
                        " records had been appended");
                }
                final byte[] probe = {(byte)0xEE, 1, 2};
                final long next = writer.append(probe, 0, probe.length);
                if (next != last + 1)
                {
                    throw failure(workload, image, "next append got " + next + " after recovering up to " + last);
                }
                writer.force();
            }
            final List<byte[]> records;
            try
            {
                records = readFrom(dir, firstBase);
            }
            catch (final RuntimeException | AssertionError ex)
            {
                throw failure(workload, image, "reading the recovered journal failed: " + ex);
            }
            if (records.size() != last - firstBase + 2)
            {
                throw failure(workload, image, "reader returned " + records.size() + " records from " + firstBase +
                    ", expected " + (last - firstBase + 2));
            }
            for (long sequence = firstBase; sequence <= last; sequence++)
            {
                if (!Arrays.equals(records.get((int)(sequence - firstBase)), appended.get((int)sequence)))
                {
                    throw failure(workload, image, "record " + sequence + " differs from what was appended");
                }
            }
            if (records.get(records.size() - 1).length != 3 || records.get(records.size() - 1)[0] != (byte)0xEE)
            {
                throw failure(workload, image, "the record after " + last + " is not the probe");
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final JournalException ex)
        {
            throw failure(workload, image, "recovery failed: " + ex);
        }
        finally
        {
            JournalFiles.deleteTree(dir);
        }
    }

    private static List<byte[]> readFrom(final Path dir, final long first)
    {
        final List<byte[]> records = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir, first))
        {
            while (reader.poll((sequence, buffer, offset, length) ->
            {
                if (sequence != first + records.size())
                {
                    throw new AssertionError("reader returned sequence " + sequence + " where " +
                        (first + records.size()) + " was expected");
                }
                final byte[] bytes = new byte[length];
                buffer.getBytes(offset, bytes);
                records.add(bytes);
            }, 1024) > 0)
            {
                // drain
            }
        }
        return records;
    }

    private static AssertionError failure(final Workload workload, final Image image, final String what)
    {
        final StringBuilder files = new StringBuilder();
        image.files().forEach((name, bytes) -> files.append("\n  ").append(name).append(" (").append(bytes.length)
            .append(" bytes)"));
        return new AssertionError(what + "\n" + workload + "\ncrash point " + image.point() + ", durable watermark " +
            image.watermark() + ", appended " + image.appended() + ", " + image.notes() + "\nimage files:" + files);
    }
}
