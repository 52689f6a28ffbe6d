package io.ringwal.peers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The group-commit baseline, the BookKeeper journal's way: the Disruptor handler appends each record
 * ({@code [length][crc32c][payload]}) to a direct buffer, writes the buffer to a zero-filled preallocated file
 * with {@link FileChannel#write(ByteBuffer, long)} at the end of each batch (or when the buffer fills), then calls
 * {@code force(false)}. The file is preallocated with {@value #INITIAL_PREALLOCATION} bytes of zeros (forced,
 * before the run) and extended by {@value #PREALLOCATION_CHUNK} bytes of zeros whenever the next write would pass
 * its end (BookKeeper's 16 MiB default). A record is durable once the force after it returns.
 */
public final class GroupCommitContender extends DisruptorBaseline
{
    /** Zero-filled bytes written and forced at open. */
    public static final int INITIAL_PREALLOCATION = 64 << 20;
    /** Zero-filled bytes added each time the file runs out. */
    public static final int PREALLOCATION_CHUNK = 16 << 20;
    /** Size of the write buffer. */
    public static final int BUFFER_SIZE = 1 << 20;

    static final String FILE_NAME = "group-commit.dat";

    private final CRC32C crc = new CRC32C();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
    private FileChannel channel;
    private long position;
    private long allocated;
    private long forces;

    /**
     * The group-commit baseline.
     */
    public GroupCommitContender()
    {
        super("group-commit");
    }

    @Override
    public Completion completion()
    {
        return Completion.DURABLE;
    }

    @Override
    protected void openFiles(final Path dir, final Workload workload) throws IOException
    {
        channel = FileChannel.open(dir.resolve(FILE_NAME), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        preallocate(INITIAL_PREALLOCATION);
        channel.force(true);
    }

    private void preallocate(final long bytes) throws IOException
    {
        final long end = allocated + bytes;
        while (allocated < end)
        {
            zeros.clear();
            allocated += channel.write(zeros, allocated);
        }
    }

    @Override
    public void onEvent(final Slot slot, final long sequence, final boolean endOfBatch) throws IOException
    {
        if (buffer.remaining() < slot.length + 8)
        {
            writeBuffer();
        }
        crc.reset();
        crc.update(slot.data, 0, slot.length);
        buffer.putInt(slot.length).putInt((int)crc.getValue()).put(slot.data, 0, slot.length);
        if (endOfBatch)
        {
            writeBuffer();
            channel.force(false);
            forces++;
            completed.lazySet(sequence);
        }
    }

    private void writeBuffer() throws IOException
    {
        buffer.flip();
        while (position + buffer.remaining() > allocated)
        {
            preallocate(PREALLOCATION_CHUNK);
        }
        while (buffer.hasRemaining())
        {
            position += channel.write(buffer, position);
        }
        buffer.clear();
    }

    @Override
    public Map<String, Long> counters()
    {
        final Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("forces", forces);
        counters.put("bytes", position);
        return counters;
    }

    @Override
    protected void closeFiles() throws IOException
    {
        channel.close();
    }

    @Override
    public VerifyResult readBackAndVerify(final Path dir, final Workload workload, final long[] published)
        throws IOException
    {
        final RecordChecker checker = new RecordChecker(workload.recordSize(), published);
        NaiveMappedContender.readFramed(dir.resolve(FILE_NAME), checker);
        return checker.result();
    }
}
