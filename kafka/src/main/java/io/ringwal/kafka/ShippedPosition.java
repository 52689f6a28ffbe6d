package io.ringwal.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The durable shipped position of one shipper: a tiny file {@code <journal dir>/positions/<name>.position}
 * saying that every journal sequence below {@link #nextSequence()} has been shipped, so that retention (in any
 * process) keeps every segment holding a sequence at or above it.
 *
 * <p>Layout: {@value #FILE_LENGTH} bytes, little-endian:
 * <pre>
 *  offset  size  field
 *       0     4  magic, the ASCII bytes "RWSP"
 *       4     4  version, 1
 *       8     8  next sequence: every sequence below it was shipped (0: nothing yet)
 *      16     8  written at, milliseconds since the epoch
 *      24     4  CRC32C of bytes 0..23
 * </pre>
 * A file is written whole into {@code <name>.position.tmp}, forced, renamed over the old one (atomic move) and
 * the directory forced, so a reader sees the old position or the new one, never a mix. A file of another
 * length, magic, version or CRC is damaged: {@link #read(Path)} says so rather than guessing.
 */
public final class ShippedPosition
{
    /** The directory under the journal directory that holds position files. */
    public static final String DIRECTORY_NAME = "positions";

    /** The file name suffix. */
    public static final String SUFFIX = ".position";

    /** The file length in bytes. */
    public static final int FILE_LENGTH = 28;

    /** The magic, "RWSP" read as a little-endian int. */
    public static final int MAGIC = 'R' | 'W' << 8 | 'S' << 16 | 'P' << 24;

    /** The layout version. */
    public static final int VERSION = 1;

    private static final int CRC_OFFSET = 24;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private final String name;
    private final long nextSequence;
    private final long writtenAtMillis;

    private ShippedPosition(final String name, final long nextSequence, final long writtenAtMillis)
    {
        this.name = name;
        this.nextSequence = nextSequence;
        this.writtenAtMillis = writtenAtMillis;
    }

    /**
     * Checks a shipper name: 1 to 100 characters of {@code A-Z a-z 0-9 . _ -}, not starting with a dot.
     *
     * @param name the name.
     * @return the name.
     * @throws IllegalArgumentException if it is not a valid name.
     */
    public static String requireValidName(final String name)
    {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches() || name.startsWith("."))
        {
            throw new IllegalArgumentException("shipper name '" + name + "' must be 1 to 100 characters of " +
                "A-Z a-z 0-9 . _ - and not start with a dot");
        }
        return name;
    }

    /**
     * The position file of a shipper.
     *
     * @param journalDirectory the journal directory.
     * @param name             the shipper name.
     * @return {@code journalDirectory/positions/name.position}.
     */
    public static Path file(final Path journalDirectory, final String name)
    {
        return journalDirectory.resolve(DIRECTORY_NAME).resolve(requireValidName(name) + SUFFIX);
    }

    /**
     * Writes a position durably (temp file, force, atomic rename, directory force), creating the
     * {@value #DIRECTORY_NAME} directory if needed.
     *
     * @param journalDirectory the journal directory.
     * @param name             the shipper name.
     * @param nextSequence     every sequence below it was shipped; not negative.
     * @param writtenAtMillis  the time to record, milliseconds since the epoch.
     * @throws UncheckedIOException if the file cannot be written.
     */
    public static void write(
        final Path journalDirectory, final String name, final long nextSequence, final long writtenAtMillis)
    {
        if (nextSequence < 0)
        {
            throw new IllegalArgumentException("nextSequence=" + nextSequence + " must not be negative");
        }
        final Path file = file(journalDirectory, name);
        final Path dir = file.getParent();
        final Path temp = dir.resolve(name + SUFFIX + ".tmp");
        try
        {
            if (!Files.isDirectory(dir))
            {
                Files.createDirectories(dir);
                forceDirectory(journalDirectory);
            }
            final ByteBuffer bytes = ByteBuffer.allocate(FILE_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            bytes.putInt(0, MAGIC).putInt(4, VERSION).putLong(8, nextSequence).putLong(16, writtenAtMillis);
            bytes.putInt(CRC_OFFSET, crc(bytes));
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING))
            {
                while (bytes.hasRemaining())
                {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            try
            {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                throw new IOException("the file system of " + dir + " cannot rename atomically", ex);
            }
            forceDirectory(dir);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write shipped position " + file + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Reads a position file.
     *
     * @param file the file.
     * @return the position, or null if there is no such file.
     * @throws IllegalStateException if the file is damaged (length, magic, version or CRC).
     * @throws UncheckedIOException  if it cannot be read.
     */
    public static ShippedPosition read(final Path file)
    {
        final byte[] content;
        try
        {
            content = Files.readAllBytes(file);
        }
        catch (final NoSuchFileException ex)
        {
            return null;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read shipped position " + file + ": " + ex.getMessage(), ex);
        }
        if (content.length != FILE_LENGTH)
        {
            throw new IllegalStateException("shipped position " + file + " is damaged: " + content.length +
                " bytes, expected " + FILE_LENGTH);
        }
        final ByteBuffer bytes = ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.getInt(0) != MAGIC)
        {
            throw new IllegalStateException("shipped position " + file + " is damaged: bad magic 0x" +
                Integer.toHexString(bytes.getInt(0)));
        }
        if (bytes.getInt(4) != VERSION)
        {
            throw new IllegalStateException("shipped position " + file + " has version " + bytes.getInt(4) +
                ", this reader knows " + VERSION);
        }
        final int expected = crc(bytes);
        if (bytes.getInt(CRC_OFFSET) != expected)
        {
            throw new IllegalStateException("shipped position " + file + " is damaged: CRC32C 0x" +
                Integer.toHexString(bytes.getInt(CRC_OFFSET)) + ", computed 0x" + Integer.toHexString(expected));
        }
        final String fileName = file.getFileName().toString();
        final String name = fileName.endsWith(SUFFIX) ?
            fileName.substring(0, fileName.length() - SUFFIX.length()) : fileName;
        return new ShippedPosition(name, bytes.getLong(8), bytes.getLong(16));
    }

    /**
     * The shipper name (the file name without {@value #SUFFIX}).
     *
     * @return the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * Every sequence below this one was shipped.
     *
     * @return the next sequence to ship.
     */
    public long nextSequence()
    {
        return nextSequence;
    }

    /**
     * When the position was written.
     *
     * @return milliseconds since the epoch.
     */
    public long writtenAtMillis()
    {
        return writtenAtMillis;
    }

    @Override
    public String toString()
    {
        return "ShippedPosition{name=" + name + ", nextSequence=" + nextSequence + ", writtenAtMillis=" +
            writtenAtMillis + "}";
    }

    private static int crc(final ByteBuffer bytes)
    {
        final CRC32C crc = new CRC32C();
        crc.update(bytes.duplicate().position(0).limit(CRC_OFFSET));
        return (int)crc.getValue();
    }

    private static void forceDirectory(final Path dir) throws IOException
    {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ))
        {
            channel.force(true);
        }
    }
}
