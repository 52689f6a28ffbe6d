package io.ringwal.journal;

import static io.ringwal.journal.JournalRecyclingPowerLossTest.PAGE;
import static io.ringwal.journal.JournalRecyclingPowerLossTest.SECTOR;
import static io.ringwal.journal.JournalRecyclingPowerLossTest.SEGMENT;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.ringwal.format.SegmentFileNames;
import io.ringwal.journal.JournalRecyclingPowerLossTest.CrashPoint;
import io.ringwal.journal.JournalRecyclingPowerLossTest.Image;

/**
 * The durability model of {@link JournalRecyclingPowerLossTest} (by inode, with the directory as a sequence of
 * listed states) and the crash-image builder.
 */
final class RecyclingCrashModel implements ForceObserver
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
        return (ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).getInt(56) & 1) != 0;
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
        return new HashMap<>(state).size() == new HashSet<>(state.values()).size() ? state : null;
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
