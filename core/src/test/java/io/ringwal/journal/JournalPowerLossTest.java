package io.ringwal.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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
import io.ringwal.testing.JournalFiles;
import io.ringwal.testing.QuietLogs;
import io.ringwal.segment.PretouchMode;

/**
 * Simulated power loss. A process kill proves nothing (the page cache survives it), so the post-crash image is
 * built by hand: the bytes of each file as of its last observed force, plus any subset of the 4 KiB pages written
 * since, plus one torn 512-byte sector; a file renamed since the last directory force may appear under its old
 * name, its new name or not at all, and a temporary file may or may not exist.
 *
 * <p>A writer runs a random workload on tmpfs (small segments, random record and batch sizes, every-batch, bounded
 * or no force policy, many rotations) with a {@link ForceObserver} that keeps the model of what is durable: it sees
 * every range force of a segment, and at each rotation the new segment's header force (temporary name) and the
 * directory force after the rename. At random crash points, and at every step of one rotation, the image is built
 * and later recovered on a copy with {@link JournalWriter#open}: every record up to the durable watermark reported
 * by the forces must come back byte-identical, sequences are contiguous from 0, nothing is invented (every
 * record equals the one appended with that sequence, none beyond what was appended), the reader returns no record
 * with a bad CRC, and the next append gets last + 1.
 */
class JournalPowerLossTest
{
    private static final int SEGMENT = 64 * 1024;
    private static final int PAGE = 4096;
    private static final int SECTOR = 512;
    private static final int MAX_PAYLOAD = JournalConfig.maxPayloadFor(SEGMENT);

    enum Policy
    {
        EVERY_BATCH,
        BOUNDED,
        NEVER
    }

    /** One generated case. */
    record Workload(long seed, Policy policy, WriteMode writeMode, int records, int maxBatch)
    {
    }

    /** Where a crash image was taken. */
    enum CrashPoint
    {
        BETWEEN_CALLS,
        BEFORE_DATA_FORCE,
        AFTER_DATA_FORCE,
        BEFORE_ROTATION_FORCE,
        AFTER_ROTATION_FORCE,
        BEFORE_HEADER_FORCE,
        AFTER_HEADER_FORCE,
        BEFORE_DIRECTORY_FORCE,
        AFTER_DIRECTORY_FORCE
    }

    /** A post-crash directory image. */
    record Image(CrashPoint point, long watermark, int appended, Map<String, byte[]> files, String notes)
    {
    }

    @Provide
    Arbitrary<Workload> workloads()
    {
        return Combinators.combine(
            Arbitraries.longs(),
            Arbitraries.of(Policy.class),
            Arbitraries.of(WriteMode.class),
            Arbitraries.integers().between(20, 220),
            Arbitraries.integers().between(1, 16))
            .as(Workload::new);
    }

    @Property(tries = 300, shrinking = ShrinkingMode.OFF)
    void shouldRecoverEveryDurableRecordFromAnyPostCrashImage(@ForAll("workloads") final Workload workload)
    {
        runAndCheck(workload);
    }

    @Property(tries = 3000, shrinking = ShrinkingMode.OFF)
    @Tag("slow")
    void shouldRecoverEveryDurableRecordFromAnyPostCrashImageLong(@ForAll("workloads") final Workload workload)
    {
        runAndCheck(workload);
    }

    private static void runAndCheck(final Workload workload)
    {
        final QuietLogs quiet = QuietLogs.quiet();
        final Path dir = JournalFiles.fastTempDir("powerloss-run");
        try
        {
            final List<byte[]> appended = new ArrayList<>();
            final List<Image> images = run(workload, dir, appended);
            for (final Image image : images)
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

    private static List<Image> run(final Workload workload, final Path dir, final List<byte[]> appended)
    {
        final Random random = new Random(workload.seed());
        final ForcePolicy policy = switch (workload.policy())
        {
            case EVERY_BATCH -> ForcePolicy.everyBatch();
            case BOUNDED -> ForcePolicy.bounded(1, TimeUnit.HOURS, 1 + random.nextInt(32 * 1024));
            case NEVER -> ForcePolicy.never();
        };
        final CrashModel model = new CrashModel(dir, random, appended, 4.0 / (2.0 * workload.records()),
            random.nextInt(workload.records()));
        final JournalConfig config = JournalConfig.builder().segmentSize(SEGMENT).forcePolicy(policy)
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
        return model.images;
    }

    private static int recordSize(final Random random)
    {
        final int kind = random.nextInt(100);
        if (kind < 65)
        {
            return 1 + random.nextInt(200);
        }
        if (kind < 88)
        {
            return 200 + random.nextInt(3000);
        }
        if (kind < 98)
        {
            return 3000 + random.nextInt(17_000);
        }
        return 20_000 + random.nextInt(MAX_PAYLOAD - 20_000 + 1);
    }

    private static void recoverAndCheck(final Workload workload, final Image image, final List<byte[]> appended)
    {
        final Path dir = JournalFiles.fastTempDir("powerloss-image");
        try
        {
            for (final Map.Entry<String, byte[]> file : image.files().entrySet())
            {
                Files.write(dir.resolve(file.getKey()), file.getValue());
            }
            final JournalConfig config = JournalConfig.builder().segmentSize(SEGMENT)
                .preallocationMode(PreallocationMode.BUFFERED).pretouchMode(PretouchMode.NONE).build();
            final long last;
            try (JournalWriter writer = JournalWriter.open(dir, config))
            {
                last = writer.recoveryReport().lastSequence();
                if (last < image.watermark())
                {
                    throw failure(workload, image, "durable record lost: recovered up to " + last +
                        " but sequence " + image.watermark() + " was reported durable; " + writer.recoveryReport());
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
                records = JournalFiles.readAll(dir);
            }
            catch (final RuntimeException | AssertionError ex)
            {
                throw failure(workload, image, "reading the recovered journal failed: " + ex);
            }
            if (records.size() != last + 2)
            {
                throw failure(workload, image, "reader returned " + records.size() + " records, expected " +
                    (last + 2));
            }
            for (int i = 0; i <= last; i++)
            {
                if (!Arrays.equals(records.get(i), appended.get(i)))
                {
                    throw failure(workload, image, "record " + i + " differs from what was appended");
                }
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

    private static AssertionError failure(final Workload workload, final Image image, final String what)
    {
        final StringBuilder files = new StringBuilder();
        image.files().forEach((name, bytes) -> files.append("\n  ").append(name).append(" (").append(bytes.length)
            .append(" bytes)"));
        return new AssertionError(what + "\n" + workload + "\ncrash point " + image.point() + ", durable watermark " +
            image.watermark() + ", appended " + image.appended() + ", " + image.notes() + "\nimage files:" + files);
    }

    /**
     * The durability model, fed by the writer's forces, and the crash-image builder.
     */
    static final class CrashModel implements ForceObserver
    {
        final Path dir;
        final Random random;
        final List<byte[]> appended;
        final double captureProbability;
        final int rotationThreshold;
        final List<Image> images = new ArrayList<>();
        /** Durable bytes of each file we know of, by its current name. */
        final Map<Path, byte[]> durable = new HashMap<>();
        /** Renamed segments whose rename no directory force has covered yet: new name to old name. */
        final Map<Path, Path> pendingRenames = new HashMap<>();
        Path lastHeaderTemp;
        long watermark = -1;
        boolean capturingRotation;
        boolean rotationCaptured;
        boolean rotationDirectoryForced;

        CrashModel(
            final Path dir,
            final Random random,
            final List<byte[]> appended,
            final double captureProbability,
            final int rotationThreshold)
        {
            this.dir = dir;
            this.random = random;
            this.appended = appended;
            this.captureProbability = captureProbability;
            this.rotationThreshold = rotationThreshold;
        }

        @Override
        public void beforeForce(final Path path, final long offset, final long length, final long uptoSequence)
        {
            noteRenames();
            final CrashPoint point;
            if (path.equals(dir))
            {
                point = CrashPoint.BEFORE_DIRECTORY_FORCE;
            }
            else if (SegmentFileNames.isTempFileName(path.getFileName().toString()))
            {
                durable.putIfAbsent(path, new byte[SEGMENT]); // preallocated zeros, forced by the allocator
                lastHeaderTemp = path;
                point = CrashPoint.BEFORE_HEADER_FORCE;
                startRotationCapture();
            }
            else if (offset + length == SEGMENT)
            {
                point = CrashPoint.BEFORE_ROTATION_FORCE;
                startRotationCapture();
            }
            else
            {
                point = CrashPoint.BEFORE_DATA_FORCE;
            }
            maybeCapture(point);
        }

        @Override
        public void afterForce(
            final Path path, final long offset, final long length, final long uptoSequence, final long nanos)
        {
            final CrashPoint point;
            if (path.equals(dir))
            {
                noteRenames();
                pendingRenames.clear();
                point = CrashPoint.AFTER_DIRECTORY_FORCE;
                rotationDirectoryForced = capturingRotation;
            }
            else
            {
                final byte[] image = durable.get(path);
                if (image == null)
                {
                    throw new AssertionError("model: force of unknown file " + path + " known: " + durable.keySet());
                }
                readInto(path, (int)offset, (int)length, image);
                point = SegmentFileNames.isTempFileName(path.getFileName().toString()) ?
                    CrashPoint.AFTER_HEADER_FORCE : offset + length == SEGMENT ?
                    CrashPoint.AFTER_ROTATION_FORCE : CrashPoint.AFTER_DATA_FORCE;
            }
            watermark = Math.max(watermark, uptoSequence);
            maybeCapture(point);
        }

        void between()
        {
            noteRenames();
            maybeCapture(CrashPoint.BETWEEN_CALLS);
            if (capturingRotation && rotationDirectoryForced)
            {
                capturingRotation = false;
                rotationCaptured = true;
            }
        }

        private void startRotationCapture()
        {
            if (!rotationCaptured && !capturingRotation && appended.size() >= rotationThreshold)
            {
                capturingRotation = true;
                rotationDirectoryForced = false;
            }
        }

        /** A segment file we have not seen is the last header-forced temporary file, renamed. */
        private void noteRenames()
        {
            for (final Path file : list())
            {
                final String name = file.getFileName().toString();
                if (SegmentFileNames.isSegmentFileName(name) && !durable.containsKey(file))
                {
                    if (lastHeaderTemp == null || !durable.containsKey(lastHeaderTemp))
                    {
                        throw new AssertionError("model: segment " + file + " appeared without a header force");
                    }
                    durable.put(file, durable.remove(lastHeaderTemp));
                    pendingRenames.put(file, lastHeaderTemp);
                }
            }
        }

        private void maybeCapture(final CrashPoint point)
        {
            if (capturingRotation || random.nextDouble() < captureProbability)
            {
                images.add(capture(point));
            }
        }

        private Image capture(final CrashPoint point)
        {
            final Map<String, byte[]> files = new LinkedHashMap<>();
            final StringBuilder notes = new StringBuilder();
            final int pageMode = random.nextInt(4);
            final double pageProbability = pageMode == 0 ? 0 : pageMode == 1 ? 1 : pageMode == 2 ? 0.5 :
                random.nextDouble();
            boolean tornSectorLeft = true;
            notes.append("page probability ").append(pageProbability);
            for (final Path file : list())
            {
                final String name = file.getFileName().toString();
                if (SegmentFileNames.LOCK_FILE_NAME.equals(name))
                {
                    continue;
                }
                final byte[] current = JournalFiles.read(file);
                final byte[] durableBytes = durable.get(file);
                String imageName = name;
                if (durableBytes == null)
                {
                    // a temporary file nobody forced a header into: its directory entry may not have made it
                    if (random.nextBoolean())
                    {
                        files.put(name, current);
                    }
                    continue;
                }
                final Path oldName = pendingRenames.get(file);
                if (oldName != null)
                {
                    final int choice = random.nextInt(3);
                    imageName = choice == 0 ? name : choice == 1 ? oldName.getFileName().toString() : null;
                    notes.append("; rename of ").append(name).append(choice == 0 ? " reached the disk" :
                        choice == 1 ? " was lost" : " and the file's creation were lost");
                }
                else if (SegmentFileNames.isTempFileName(name) && random.nextBoolean())
                {
                    imageName = null;
                }
                if (imageName == null)
                {
                    continue;
                }
                final byte[] bytes = durableBytes.clone();
                final List<Integer> leftOut = new ArrayList<>();
                for (int page = 0; page < bytes.length; page += PAGE)
                {
                    if (!Arrays.equals(current, page, page + PAGE, bytes, page, page + PAGE))
                    {
                        if (random.nextDouble() < pageProbability)
                        {
                            System.arraycopy(current, page, bytes, page, PAGE);
                        }
                        else
                        {
                            leftOut.add(page);
                        }
                    }
                }
                if (tornSectorLeft && !leftOut.isEmpty() && random.nextInt(4) != 0)
                {
                    final int sector = leftOut.get(random.nextInt(leftOut.size())) + SECTOR * random.nextInt(
                        PAGE / SECTOR);
                    System.arraycopy(current, sector, bytes, sector, SECTOR);
                    tornSectorLeft = false;
                    notes.append("; torn sector at ").append(imageName).append(' ').append(sector);
                }
                files.put(imageName, bytes);
            }
            return new Image(point, watermark, appended.size(), files, notes.toString());
        }

        private List<Path> list()
        {
            try (Stream<Path> files = Files.list(dir))
            {
                return files.sorted().toList();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        private static void readInto(final Path file, final int offset, final int length, final byte[] target)
        {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
            {
                final ByteBuffer buffer = ByteBuffer.wrap(target, offset, length);
                long position = offset;
                while (buffer.hasRemaining())
                {
                    final int read = channel.read(buffer, position);
                    if (read < 0)
                    {
                        throw new IOException("short file " + file);
                    }
                    position += read;
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
    }
}
