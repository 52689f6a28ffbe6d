package io.ringwal.peers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The strongest group commit a competent user writes: files that are reused. A Disruptor handler (the ring holds
 * {@value #RING_BYTES} bytes of records, {@value #MIN_RING} to {@value #MAX_RING} slots, so that a batch, and so
 * a force, can grow as large as the disk's latency needs) frames each
 * record as {@code [int length][int crc32c][long sequence][payload]} (the CRC covers the sequence and the payload:
 * ringwal's per-record work) into a 1 MiB direct buffer and, at each end of batch, writes the buffer with
 * {@link FileChannel#write(ByteBuffer, long)} and calls {@code force(false)}. The files it writes into were
 * zero-filled and forced <em>before the clock started</em>, so their blocks are allocated and initialised, as a
 * recycled journal file's are (BookKeeper's {@code journalReuseFiles}, RocksDB's {@code recycle_log_file_num}):
 * no block allocation, no file-size change and no zero-fill happens while records are timed, and a force only
 * carries data.
 *
 * <p>The pool holds the whole run, so that every record stays readable for verification: its size is estimated
 * from the workload (offered rate, record cap) or, flat out, from the disk's synced bandwidth that the driver
 * passes in {@value #DISK_RATE_PROPERTY} (MB/s, the fastest dd of the run so far, at least
 * {@value #FLAT_OUT_FLOOR_MB_PER_SEC}), with a margin of {@value #FLAT_OUT_POOL_MARGIN}&times;. Should the run
 * outgrow the pool anyway, the writer zero-fills one more file in the foreground and counts it in
 * {@code poolExhausted} (shown in the counters), so such a run is visible rather than silently unfair.
 */
public final class GroupCommitReusedContender extends DisruptorBaseline
{
    /** The system property with the disk's synced bandwidth in MB/s, used to size the pool for flat-out runs. */
    public static final String DISK_RATE_PROPERTY = "peers.disk.mbPerSec";
    /** Size of each pool file. */
    public static final int FILE_SIZE = 64 << 20;
    /** Size of the write buffer. */
    public static final int BUFFER_SIZE = 1 << 20;
    /** Frame header: length, CRC32C, sequence. */
    public static final int HEADER = 16;
    /** Records the ring holds, in bytes: batches (and so forces) can grow to this. */
    public static final int RING_BYTES = 16 << 20;
    /** Fewest ring slots (ringwal's default ring). */
    public static final int MIN_RING = 8192;
    /** Most ring slots. */
    public static final int MAX_RING = 65536;
    /**
     * A flat-out run's pool holds this many times what the disk's synced bandwidth (or
     * {@link #FLAT_OUT_FLOOR_MB_PER_SEC}, whichever is higher) writes in the run.
     */
    public static final double FLAT_OUT_POOL_MARGIN = 1.5;
    /**
     * The rate (MB/s) a flat-out pool is sized for at least, whatever dd said: write + {@code fdatasync} into cached,
     * reused files moved 1.94 GB/s on 2026-12-04 while dd into fresh page-cache memory gave 232&ndash;1,259 MB/s the
     * same day (docs/BENCHMARKS.md, "The machine"), and a pool sized from dd ran out, which made the baseline
     * zero-fill files while the clock ran.
     */
    public static final double FLAT_OUT_FLOOR_MB_PER_SEC = 2_000;
    /** Pool size when nothing better is known: 1 GiB. */
    public static final long DEFAULT_POOL_BYTES = 1L << 30;

    private static final String PREFIX = "reused-";

    private final CRC32C crc = new CRC32C();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer crcView = buffer.duplicate();
    private final ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
    private final List<FileChannel> pool = new ArrayList<>();
    private Path dir;
    private FileChannel channel;
    private int fileIndex;
    private long filePosition;
    private long forces;
    private long forceNanos;
    private long bytes;
    private long poolExhausted;
    private int ringSlots;

    /**
     * The reused-file group commit.
     */
    public GroupCommitReusedContender()
    {
        super("group-commit-reused");
    }

    @Override
    public Completion completion()
    {
        return Completion.DURABLE;
    }

    /**
     * How many bytes of pool a workload needs, with margin.
     *
     * @param workload       the workload.
     * @param diskMbPerSec   the disk's synced bandwidth in MB/s, or NaN if unknown.
     * @return the pool size in bytes, a multiple of {@link #FILE_SIZE}.
     */
    static long poolBytes(final Workload workload, final double diskMbPerSec)
    {
        final double seconds = (workload.durationMs() + workload.warmupMs()) / 1000.0;
        final long frame = HEADER + workload.recordSize();
        long estimate;
        if (workload.maxRecords() > 0)
        {
            estimate = workload.maxRecords() * workload.producers() * frame;
        }
        else if (workload.isLatency())
        {
            estimate = (long)(workload.offeredRate() * seconds * frame * 1.25);
        }
        else if (!Double.isNaN(diskMbPerSec) && diskMbPerSec > 0)
        {
            estimate = flatOutPoolBytes(Math.max(diskMbPerSec, FLAT_OUT_FLOOR_MB_PER_SEC), seconds);
        }
        else
        {
            estimate = Math.max(DEFAULT_POOL_BYTES, flatOutPoolBytes(FLAT_OUT_FLOOR_MB_PER_SEC, seconds));
        }
        final long files = Math.max(1, (estimate + FILE_SIZE - 1) / FILE_SIZE + 1);
        return files * FILE_SIZE;
    }

    /** What a flat-out run writes in {@code seconds} at {@code mbPerSec}, times the margin. */
    private static long flatOutPoolBytes(final double mbPerSec, final double seconds)
    {
        return (long)(mbPerSec * 1e6 * seconds * FLAT_OUT_POOL_MARGIN);
    }

    @Override
    protected int ringSize(final Workload workload)
    {
        return ringSlots(RING_BYTES, workload.recordSize());
    }

    /**
     * The slots of a ring that holds {@code ringBytes} of records of {@code recordSize}: a power of two within
     * {@link #MIN_RING} and {@link #MAX_RING}.
     *
     * @param ringBytes  the records' bytes the ring holds.
     * @param recordSize the record size.
     * @return the slots.
     */
    static int ringSlots(final int ringBytes, final int recordSize)
    {
        final int slots = Integer.highestOneBit(Math.max(1, ringBytes / recordSize));
        return Math.max(MIN_RING, Math.min(MAX_RING, slots));
    }

    @Override
    protected void openFiles(final Path dir, final Workload workload) throws IOException
    {
        this.dir = dir;
        ringSlots = ringSize(workload);
        final String rate = System.getProperty(DISK_RATE_PROPERTY);
        final long poolBytes = poolBytes(workload, rate == null ? Double.NaN : Double.parseDouble(rate));
        for (long b = 0; b < poolBytes; b += FILE_SIZE)
        {
            pool.add(zeroFilledFile(pool.size()));
        }
        channel = pool.get(0);
    }

    private FileChannel zeroFilledFile(final int index) throws IOException
    {
        final FileChannel file = FileChannel.open(dir.resolve(String.format("%s%05d.dat", PREFIX, index)),
            StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long written = 0;
        while (written < FILE_SIZE)
        {
            zeros.clear();
            written += file.write(zeros, written);
        }
        file.force(true);
        return file;
    }

    @Override
    public void onEvent(final Slot slot, final long sequence, final boolean endOfBatch) throws IOException
    {
        final int frame = HEADER + slot.length;
        if (buffer.remaining() < frame)
        {
            writeBuffer();
        }
        if (filePosition + buffer.position() + frame > FILE_SIZE)
        {
            writeBuffer();
            force();
            nextFile();
        }
        final int start = buffer.position();
        buffer.position(start + 8);
        buffer.putLong(sequence).put(slot.data, 0, slot.length);
        crcView.limit(buffer.position()).position(start + 8);
        crc.reset();
        crc.update(crcView);
        buffer.putInt(start, slot.length).putInt(start + 4, (int)crc.getValue());
        if (endOfBatch)
        {
            writeBuffer();
            force();
            completed.lazySet(sequence);
        }
    }

    private void force() throws IOException
    {
        final long start = System.nanoTime();
        channel.force(false);
        forceNanos += System.nanoTime() - start;
        forces++;
    }

    private void nextFile() throws IOException
    {
        fileIndex++;
        if (fileIndex == pool.size())
        {
            poolExhausted++;
            pool.add(zeroFilledFile(fileIndex));
        }
        channel = pool.get(fileIndex);
        filePosition = 0;
    }

    private void writeBuffer() throws IOException
    {
        buffer.flip();
        while (buffer.hasRemaining())
        {
            final int n = channel.write(buffer, filePosition);
            filePosition += n;
            bytes += n;
        }
        buffer.clear();
    }

    @Override
    public Map<String, Long> counters()
    {
        final Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("ring", (long)ringSlots);
        counters.put("forces", forces);
        counters.put("forceMs", forceNanos / 1_000_000);
        counters.put("bytes", bytes);
        counters.put("poolFiles", (long)pool.size());
        counters.put("fileSize", (long)FILE_SIZE);
        counters.put("poolExhausted", poolExhausted);
        return counters;
    }

    @Override
    protected void closeFiles() throws IOException
    {
        for (final FileChannel file : pool)
        {
            file.close();
        }
    }

    @Override
    public VerifyResult readBackAndVerify(final Path dir, final Workload workload, final long[] published)
        throws IOException
    {
        final RecordChecker checker = new RecordChecker(workload.recordSize(), published);
        final List<Path> files;
        try (Stream<Path> list = Files.list(dir))
        {
            files = list.filter(f -> f.getFileName().toString().startsWith(PREFIX)).sorted().toList();
        }
        final long[] nextSequence = {0};
        for (final Path file : files)
        {
            readFile(file, checker, nextSequence);
        }
        return checker.result();
    }

    /**
     * Reads one pool file's frames until a zero length, checking each frame's CRC and that the sequences run on
     * from the previous frame's.
     */
    private static void readFile(final Path file, final RecordChecker checker, final long[] nextSequence)
        throws IOException
    {
        final CRC32C check = new CRC32C();
        final byte[] bytes = Files.readAllBytes(file);
        final ByteBuffer data = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        final byte[] payload = new byte[65536];
        int position = 0;
        while (position + HEADER <= data.limit())
        {
            final int length = data.getInt(position);
            if (length == 0)
            {
                return;
            }
            if (length < 0 || length > payload.length || position + HEADER + length > data.limit())
            {
                checker.mangledFrame(file + " offset " + position + ": impossible length " + length);
                return;
            }
            final int storedCrc = data.getInt(position + 4);
            final long sequence = data.getLong(position + 8);
            data.get(position + HEADER, payload, 0, length);
            check.reset();
            check.update(bytes, position + 8, 8 + length);
            if ((int)check.getValue() != storedCrc)
            {
                checker.mangledFrame(file + " offset " + position + ": bad CRC");
            }
            else
            {
                if (sequence != nextSequence[0])
                {
                    checker.mangledFrame(file + " offset " + position + ": sequence " + sequence + " where " +
                        nextSequence[0] + " was next");
                }
                nextSequence[0] = sequence + 1;
                checker.onRecord(payload, 0, length);
            }
            position += HEADER + length;
        }
    }
}
