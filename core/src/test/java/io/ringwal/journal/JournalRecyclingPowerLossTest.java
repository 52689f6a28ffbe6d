package io.ringwal.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
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
    private static final int SEGMENT = 64 * 1024;
    private static final int PAGE = 4096;
    private static final int SECTOR = 512;
    private static final int MAX_PAYLOAD = JournalConfig.maxPayloadFor(SEGMENT);

    /** One generated case: {@code keepSegments} is the retention byte limit in segments. */
    record Workload(long seed, JournalPowerLossTest.Policy policy, int records, int maxBatch, int keepSegments)
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
            .forceObserver(model).preallocationMode(PreallocationMode.BUFFERED).pretouchMode(PretouchMode.NONE).build();
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

    /**
     * The durability model (by inode, with the directory as a sequence of listed states) and the image builder.
     */
    static final class RecyclingCrashModel implements ForceObserver
    {
        final Path dir;
        final Random random;
        final List<byte[]> appended;
        final int keepSegments;
        final double captureProbability;
        final int rotationThreshold;
        final List<Image> images = new ArrayList<>();
        /** Durable bytes of every inode ever seen, by file key; kept after the file is gone. */
        final Map<Object, byte[]> durable = new HashMap<>();
        /** Directory states (name to file key) since the last state known to be durable, oldest first. */
        final List<Map<String, Object>> states = new ArrayList<>();
        /** Segment bases named so far, for the retention floor. */
        final List<Long> namedBases = new ArrayList<>();
        long watermark = -1;
        long recycledRotations;
        boolean capturingRotation;
        boolean rotationCaptured;
        boolean rotationDirectoryForced;
        boolean headerRecycled;

        RecyclingCrashModel(
            final Path dir,
            final Random random,
            final List<byte[]> appended,
            final int keepSegments,
            final double captureProbability,
            final int rotationThreshold)
        {
            this.dir = dir;
            this.random = random;
            this.appended = appended;
            this.keepSegments = keepSegments;
            this.captureProbability = captureProbability;
            this.rotationThreshold = rotationThreshold;
        }

        @Override
        public void beforeForce(final Path path, final long offset, final long length, final long uptoSequence)
        {
            final Map<String, Object> state = observe();
            final CrashPoint point;
            if (path.equals(dir))
            {
                point = CrashPoint.BEFORE_DIRECTORY_FORCE;
            }
            else if (SegmentFileNames.isTempFileName(path.getFileName().toString()))
            {
                final Object headerInode = state.get(path.getFileName().toString());
                final boolean recycled = durable.containsKey(headerInode);
                headerRecycled = recycled;
                if (recycled)
                {
                    recycledRotations++;
                }
                else
                {
                    durable.put(headerInode, new byte[SEGMENT]); // preallocated zeros, forced by the allocator
                }
                point = recycled ? CrashPoint.BEFORE_RECYCLED_HEADER_FORCE : CrashPoint.BEFORE_FRESH_HEADER_FORCE;
                if (recycled)
                {
                    startRotationCapture();
                }
            }
            else if (offset + length == SEGMENT)
            {
                point = CrashPoint.BEFORE_ROTATION_FORCE;
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
                // the directory force made (at least) the state listed just before it durable
                final Map<String, Object> forced = states.get(states.size() - 1);
                states.clear();
                states.add(forced);
                observe();
                for (final String name : forced.keySet())
                {
                    if (SegmentFileNames.isSegmentFileName(name))
                    {
                        final long base = SegmentFileNames.baseSequence(Path.of(name));
                        if (namedBases.isEmpty() || namedBases.get(namedBases.size() - 1) < base)
                        {
                            namedBases.add(base);
                        }
                    }
                }
                point = CrashPoint.AFTER_DIRECTORY_FORCE;
                rotationDirectoryForced = capturingRotation;
            }
            else
            {
                final Object inode = fileKey(path);
                final byte[] image = durable.get(inode);
                if (image == null)
                {
                    throw new AssertionError("model: force of unknown file " + path);
                }
                readInto(path, (int)offset, (int)length, image);
                observe();
                final boolean header = SegmentFileNames.isTempFileName(path.getFileName().toString());
                if (header && headerRecycled != isRecycledHeader(image))
                {
                    throw new AssertionError("model: " + path + " recycled " + headerRecycled + " but its header " +
                        "says otherwise");
                }
                point = header ? (headerRecycled ?
                    CrashPoint.AFTER_RECYCLED_HEADER_FORCE : CrashPoint.AFTER_FRESH_HEADER_FORCE) :
                    offset + length == SEGMENT ? CrashPoint.AFTER_ROTATION_FORCE : CrashPoint.AFTER_DATA_FORCE;
            }
            watermark = Math.max(watermark, uptoSequence);
            maybeCapture(point);
        }

        private static boolean isRecycledHeader(final byte[] image)
        {
            return (ByteBuffer.wrap(image).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(56) & 1) != 0;
        }

        void between()
        {
            final int before = states.size();
            final Map<String, Object> previous = states.isEmpty() ? null : states.get(states.size() - 1);
            final Map<String, Object> state = observe();
            if (states.size() > before && previous != null && !state.equals(previous) && random.nextInt(4) == 0)
            {
                images.add(capture(CrashPoint.DIRECTORY_CHANGED));
            }
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

        /**
         * Lists the directory and appends the state if it changed. A file under a temporary name that was a
         * segment in an earlier state was taken by the allocator after retention's directory force: states in
         * which it still had its segment name can no longer come back.
         */
        private Map<String, Object> observe()
        {
            final Map<String, Object> state = list();
            if (states.isEmpty() || !states.get(states.size() - 1).equals(state))
            {
                states.add(state);
            }
            for (final Map.Entry<String, Object> entry : state.entrySet())
            {
                if (SegmentFileNames.isTempFileName(entry.getKey()))
                {
                    int lastAsSegment = -1;
                    for (int i = 0; i < states.size(); i++)
                    {
                        for (final Map.Entry<String, Object> old : states.get(i).entrySet())
                        {
                            if (old.getValue().equals(entry.getValue()) &&
                                SegmentFileNames.isSegmentFileName(old.getKey()))
                            {
                                lastAsSegment = i;
                            }
                        }
                    }
                    if (lastAsSegment >= 0)
                    {
                        states.subList(0, lastAsSegment + 1).clear();
                    }
                }
            }
            return state;
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
            final Map<String, Object> current = states.get(states.size() - 1);
            final int chosen = random.nextBoolean() ? states.size() - 1 : random.nextInt(states.size());
            final Map<String, Object> state = states.get(chosen);
            final Map<Object, String> currentNames = new HashMap<>();
            current.forEach((name, inode) -> currentNames.put(inode, name));
            final Map<String, byte[]> files = new LinkedHashMap<>();
            final StringBuilder notes = new StringBuilder();
            final int pageMode = random.nextInt(4);
            final double pageProbability = pageMode == 0 ? 0 : pageMode == 1 ? 1 : pageMode == 2 ? 0.5 :
                random.nextDouble();
            boolean tornSectorLeft = true;
            notes.append("directory state ").append(chosen + 1).append(" of ").append(states.size())
                .append(" pending ").append(state.keySet()).append("; page probability ").append(pageProbability);
            for (final Map.Entry<String, Object> entry : state.entrySet())
            {
                final String name = entry.getKey();
                final String currentName = currentNames.get(entry.getValue());
                final byte[] now = currentName == null ? null : readOrNull(dir.resolve(currentName));
                final byte[] durableBytes = durable.get(entry.getValue());
                if (durableBytes == null)
                {
                    // a fresh temporary file nobody forced a header into yet: ignored by recovery
                    if (now != null && random.nextBoolean())
                    {
                        files.put(name, now);
                    }
                    continue;
                }
                final byte[] bytes = durableBytes.clone();
                final List<Integer> leftOut = new ArrayList<>();
                if (now != null && now.length == bytes.length)
                {
                    for (int page = 0; page < bytes.length; page += PAGE)
                    {
                        if (!Arrays.equals(now, page, page + PAGE, bytes, page, page + PAGE))
                        {
                            if (random.nextDouble() < pageProbability)
                            {
                                System.arraycopy(now, page, bytes, page, PAGE);
                            }
                            else
                            {
                                leftOut.add(page);
                            }
                        }
                    }
                }
                if (tornSectorLeft && !leftOut.isEmpty() && random.nextInt(4) != 0)
                {
                    final int sector = leftOut.get(random.nextInt(leftOut.size())) + SECTOR * random.nextInt(
                        PAGE / SECTOR);
                    System.arraycopy(now, sector, bytes, sector, SECTOR);
                    tornSectorLeft = false;
                    notes.append("; torn sector at ").append(name).append(' ').append(sector);
                }
                files.put(name, bytes);
            }
            final int minSegments = Math.min(keepSegments, namedBases.size());
            return new Image(point, watermark, appended.size(), minSegments, files, notes.toString());
        }

        /** The directory as name to file key, listed until two listings agree (the allocator renames meanwhile). */
        private Map<String, Object> list()
        {
            Map<String, Object> previous = null;
            while (true)
            {
                final Map<String, Object> state = listOnce();
                if (state != null && state.equals(previous))
                {
                    return state;
                }
                previous = state;
            }
        }

        private Map<String, Object> listOnce()
        {
            final Map<String, Object> state = new TreeMap<>();
            try (Stream<Path> files = Files.list(dir))
            {
                for (final Path file : files.toList())
                {
                    final String name = file.getFileName().toString();
                    if (SegmentFileNames.isSegmentFileName(name) || SegmentFileNames.isTempFileName(name) ||
                        SegmentFileNames.isFreeFileName(name))
                    {
                        state.put(name, Files.readAttributes(file, BasicFileAttributes.class).fileKey());
                    }
                }
            }
            catch (final NoSuchFileException ex)
            {
                return null;
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            return new HashMap<>(state).size() == new java.util.HashSet<>(state.values()).size() ? state : null;
        }

        private static Object fileKey(final Path file)
        {
            try
            {
                return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        private static byte[] readOrNull(final Path file)
        {
            try
            {
                return Files.readAllBytes(file);
            }
            catch (final NoSuchFileException ex)
            {
                return null;
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
