package io.ringwal.peers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The naive baseline: the Disruptor handler copies each payload, with its length and a CRC32C, into one big
 * {@link MappedByteBuffer} (a 1 GiB sparse file; when one is full, the next). Nothing is forced; a record is
 * "written" once the handler has copied it.
 */
public final class NaiveMappedContender extends DisruptorBaseline
{
    /** Size of each mapped file. */
    public static final int FILE_SIZE = 1 << 30;

    private final CRC32C crc = new CRC32C();
    private final List<MappedByteBuffer> mappings = new ArrayList<>();
    private Path dir;
    private MappedByteBuffer current;

    /**
     * The naive baseline.
     */
    public NaiveMappedContender()
    {
        super("naive-mmap");
    }

    @Override
    public Completion completion()
    {
        return Completion.WRITTEN;
    }

    @Override
    protected void openFiles(final Path dir, final Workload workload) throws IOException
    {
        this.dir = dir;
        next();
    }

    private void next() throws IOException
    {
        final Path file = dir.resolve(String.format("naive-%04d.dat", mappings.size()));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE))
        {
            current = channel.map(FileChannel.MapMode.READ_WRITE, 0, FILE_SIZE);
            current.order(ByteOrder.LITTLE_ENDIAN);
            mappings.add(current);
        }
    }

    @Override
    public void onEvent(final Slot slot, final long sequence, final boolean endOfBatch) throws IOException
    {
        if (current.remaining() < slot.length + 8)
        {
            next();
        }
        crc.reset();
        crc.update(slot.data, 0, slot.length);
        final int position = current.position();
        current.putInt(position + 4, (int)crc.getValue());
        current.put(position + 8, slot.data, 0, slot.length);
        current.putInt(position, slot.length);
        current.position(position + 8 + slot.length);
        completed.lazySet(sequence);
    }

    @Override
    protected void closeFiles()
    {
        mappings.clear();
        current = null;
    }

    @Override
    public VerifyResult readBackAndVerify(final Path dir, final Workload workload, final long[] published)
        throws IOException
    {
        final RecordChecker checker = new RecordChecker(workload.recordSize(), published);
        final List<Path> files;
        try (Stream<Path> list = Files.list(dir))
        {
            files = list.filter(f -> f.getFileName().toString().startsWith("naive-")).sorted().toList();
        }
        for (final Path file : files)
        {
            readFramed(file, checker);
        }
        return checker.result();
    }

    /**
     * Reads a file of {@code [length][crc32c][payload]} frames until a zero length.
     *
     * @param file    the file.
     * @param checker checks each record.
     * @throws IOException if the file cannot be read.
     */
    static void readFramed(final Path file, final RecordChecker checker) throws IOException
    {
        final CRC32C crc = new CRC32C();
        final byte[] payload = new byte[65536];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ByteBuffer buffer = ByteBuffer.allocate(4 << 20).order(ByteOrder.LITTLE_ENDIAN);
            long position = 0;
            buffer.limit(0);
            while (true)
            {
                if (buffer.remaining() < 8)
                {
                    buffer.compact();
                    channel.read(buffer);
                    buffer.flip();
                    if (buffer.remaining() < 8)
                    {
                        return;
                    }
                }
                final int length = buffer.getInt(buffer.position());
                if (length == 0)
                {
                    return;
                }
                if (length < 0 || length > payload.length)
                {
                    checker.mangledFrame(file + " offset " + position + ": impossible length " + length);
                    return;
                }
                if (buffer.remaining() < 8 + length)
                {
                    buffer.compact();
                    channel.read(buffer);
                    buffer.flip();
                    if (buffer.remaining() < 8 + length)
                    {
                        checker.mangledFrame(file + " offset " + position + ": torn frame");
                        return;
                    }
                }
                buffer.getInt();
                final int storedCrc = buffer.getInt();
                buffer.get(payload, 0, length);
                crc.reset();
                crc.update(payload, 0, length);
                if ((int)crc.getValue() != storedCrc)
                {
                    checker.mangledFrame(file + " offset " + position + ": bad CRC");
                }
                else
                {
                    checker.onRecord(payload, 0, length);
                }
                position += 8 + length;
            }
        }
    }
}
