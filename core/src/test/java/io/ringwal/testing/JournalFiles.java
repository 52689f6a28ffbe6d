package io.ringwal.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.ringwal.format.SegmentFileNames;
import io.ringwal.journal.JournalReader;

/**
 * Test helpers over journal directories, using only the public API: deterministic payloads, reading every record
 * back with {@link JournalReader}, copying and deleting directories, listing segment files.
 */
public final class JournalFiles
{
    private JournalFiles()
    {
    }

    /**
     * A deterministic payload for a sequence with no zero byte, so that zeroing any suffix of a frame changes it.
     *
     * @param sequence the record's sequence.
     * @param length   the payload length.
     * @return the payload.
     */
    public static byte[] payload(final long sequence, final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(1 + Math.floorMod(sequence * 131 + i * 7L, 255));
        }
        return bytes;
    }

    /**
     * Reads every record of a journal from sequence 0 with a {@link JournalReader} and checks that the sequences
     * are contiguous from 0.
     *
     * @param dir the journal directory.
     * @return the payloads, indexed by sequence.
     */
    public static List<byte[]> readAll(final Path dir)
    {
        final List<byte[]> records = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir, 0))
        {
            while (reader.poll((sequence, buffer, offset, length) ->
            {
                if (sequence != records.size())
                {
                    throw new AssertionError("reader returned sequence " + sequence + " where " + records.size() +
                        " was expected");
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

    /**
     * The segment files of a directory in name order.
     *
     * @param dir the directory.
     * @return the segment files.
     */
    public static List<Path> segments(final Path dir)
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter(p -> SegmentFileNames.isSegmentFileName(p.getFileName().toString())).sorted()
                .toList();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Copies the regular files of a directory (not recursively) into another, replacing what is there.
     *
     * @param from the source directory.
     * @param to   the target directory, created if absent.
     */
    public static void copyDir(final Path from, final Path to)
    {
        try
        {
            Files.createDirectories(to);
            try (Stream<Path> files = Files.list(from))
            {
                for (final Path file : (Iterable<Path>)files::iterator)
                {
                    if (Files.isRegularFile(file))
                    {
                        Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Deletes a directory tree if it exists.
     *
     * @param dir the directory.
     */
    public static void deleteTree(final Path dir)
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> files = Files.walk(dir))
        {
            for (final Path file : (Iterable<Path>)files.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.deleteIfExists(file);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Reads a whole file.
     *
     * @param file the file.
     * @return its bytes.
     */
    public static byte[] read(final Path file)
    {
        try
        {
            return Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Writes a whole file.
     *
     * @param file  the file.
     * @param bytes its new content.
     */
    public static void write(final Path file, final byte[] bytes)
    {
        try
        {
            Files.write(file, bytes);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * A scratch directory on tmpfs ({@code /dev/shm}) when there is one, else under {@code java.io.tmpdir}: forces
     * cost nothing there, which suits tests that simulate durability themselves.
     *
     * @param prefix the name prefix.
     * @return the new directory.
     */
    public static Path fastTempDir(final String prefix)
    {
        try
        {
            final Path shm = Path.of("/dev/shm");
            return Files.isDirectory(shm) && Files.isWritable(shm) ?
                Files.createTempDirectory(shm, prefix) : Files.createTempDirectory(prefix);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * The end of the last data or padding frame of a segment image (the header's end if it has none): what an
     * open/close cycle must leave unchanged. After it come only open and close markers, then the tail.
     *
     * @param segment the segment file's bytes.
     * @return the offset just after the last data or padding frame.
     */
    public static int recordRegionEnd(final byte[] segment)
    {
        final java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(segment).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int offset = io.ringwal.format.SegmentHeaderDescriptor.HEADER_LENGTH;
        int end = offset;
        while (offset + io.ringwal.format.FrameDescriptor.HEADER_LENGTH <= segment.length)
        {
            final int length = bytes.getInt(offset);
            if (length < io.ringwal.format.FrameDescriptor.HEADER_LENGTH || length > segment.length - offset)
            {
                break;
            }
            final short type = bytes.getShort(offset + io.ringwal.format.FrameDescriptor.TYPE_OFFSET);
            offset += io.ringwal.format.FrameDescriptor.alignedLength(length);
            if (!io.ringwal.format.FrameDescriptor.isMarker(type))
            {
                end = offset;
            }
        }
        return end;
    }

    /**
     * Whether the bytes of a segment image from {@code from} are only open/close markers followed by zeros.
     *
     * @param segment the segment file's bytes.
     * @param from    where to start.
     * @return true if only markers and zeros follow.
     */
    public static boolean onlyMarkersAndZerosFrom(final byte[] segment, final int from)
    {
        final java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(segment).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int offset = from;
        while (offset + io.ringwal.format.FrameDescriptor.HEADER_LENGTH <= segment.length &&
            bytes.getInt(offset) == io.ringwal.format.FrameDescriptor.HEADER_LENGTH &&
            io.ringwal.format.FrameDescriptor.isMarker(bytes.getShort(offset +
            io.ringwal.format.FrameDescriptor.TYPE_OFFSET)))
        {
            offset += io.ringwal.format.FrameDescriptor.HEADER_LENGTH;
        }
        for (int i = offset; i < segment.length; i++)
        {
            if (segment[i] != 0)
            {
                return false;
            }
        }
        return true;
    }
}
