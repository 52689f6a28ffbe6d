package io.ringwal.peers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.Publication;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.ArchivingMediaDriver;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.codecs.SourceLocation;
import io.aeron.archive.status.RecordingPos;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;

/**
 * Aeron Archive: an embedded archiving media driver records an IPC stream to its segment files, and the producers
 * offer each record as one message to a publication on that stream from their own threads (an exclusive
 * publication for one producer, a concurrent one for several), retrying with {@link Thread#yield()} while the
 * publication is back-pressured. The recorder writes each block it polls from the term buffer with
 * {@code FileChannel.write}; with {@code fileSyncLevel} 0 nothing is forced, with 2 every block is followed by
 * {@code force(true)} (data and metadata). The recording position counter advances only after that, so a record
 * counts as complete (written, or durable at level 2) once the counter has passed the position {@code offer}
 * returned for it.
 *
 * <p>Configuration is Aeron's defaults for everything the comparison does not need to set (IPC term length,
 * 128 MiB segment files, no record checksum), with the driver and the archive each in SHARED threading mode (one
 * agent thread each, back-off idling): the choice for 2 cores. The Aeron directory (term buffers and counters) is
 * in {@code /dev/shm}, Aeron's default on Linux, so only the recording reaches the data directory's disk.
 *
 * <p>Read-back parses the recording's segment files directly (Aeron's data frame layout: 32-byte header, frames
 * aligned to 32 bytes, padding frames at term ends), reassembles fragmented messages, checks that each frame's
 * term offset matches its place in the recording and hands every message to the {@link RecordChecker}.
 */
public final class AeronArchiveContender implements Contender
{
    /** The recorded channel. */
    public static final String CHANNEL = "aeron:ipc";
    /** The recorded stream. */
    public static final int STREAM_ID = 1001;

    private static final String AERON_DIR_PREFIX = "ringwal-peers-aeron-";
    private static final int HEADER_LENGTH = 32;
    private static final int FRAME_ALIGNMENT = 32;
    private static final int FLAGS_OFFSET = 5;
    private static final int TYPE_OFFSET = 6;
    private static final int TERM_OFFSET_OFFSET = 8;
    private static final int TYPE_PAD = 0;
    private static final int TYPE_DATA = 1;
    private static final int BEGIN_FLAG = 0x80;
    private static final int END_FLAG = 0x40;
    private static final int PAD = 16;

    private final String name;
    private final int fileSyncLevel;
    private Path aeronDir;
    private ArchivingMediaDriver driver;
    private Aeron aeron;
    private AeronArchive archive;
    private Publication publication;
    private CountersReader counters;
    private int counterId;
    private long recordingId = -1;
    private long subscriptionId;
    private int termLength;
    private long stopPosition = -1;
    private UnsafeBuffer[] buffers;
    private long[] backPressured;

    /**
     * An Aeron Archive contender.
     *
     * @param name          its name.
     * @param fileSyncLevel the archive's {@code fileSyncLevel} (and {@code catalogFileSyncLevel}): 0, 1 or 2.
     */
    public AeronArchiveContender(final String name, final int fileSyncLevel)
    {
        if (fileSyncLevel < 0 || fileSyncLevel > 2)
        {
            throw new IllegalArgumentException("fileSyncLevel=" + fileSyncLevel + " must be 0, 1 or 2");
        }
        this.name = name;
        this.fileSyncLevel = fileSyncLevel;
    }

    @Override
    public String name()
    {
        return name;
    }

    private static Path aeronParent()
    {
        final Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * Deletes the Aeron directories that runs of this contender left behind when their JVM died before closing
     * the driver (each is named after its JVM's pid, and holds the term buffers: hundreds of MiB of memory in
     * {@code /dev/shm}). Directories of JVMs still alive are left alone.
     *
     * @throws IOException if a directory cannot be listed or deleted.
     */
    public static void deleteAbandonedAeronDirectories() throws IOException
    {
        final List<Path> stale;
        try (Stream<Path> list = Files.list(aeronParent()))
        {
            stale = list.filter(p -> p.getFileName().toString().startsWith(AERON_DIR_PREFIX)).filter(p ->
            {
                final String pid = p.getFileName().toString().substring(AERON_DIR_PREFIX.length());
                return pid.chars().allMatch(Character::isDigit) && !pid.isEmpty() &&
                    ProcessHandle.of(Long.parseLong(pid)).isEmpty();
            }).toList();
        }
        for (final Path dir : stale)
        {
            try (Stream<Path> walk = Files.walk(dir))
            {
                for (final Path p : walk.sorted(Comparator.reverseOrder()).toList())
                {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Override
    public void open(final Path dir, final Workload workload) throws IOException
    {
        aeronDir = aeronParent().resolve(AERON_DIR_PREFIX + ProcessHandle.current().pid());
        final Path archiveDir = dir.resolve("archive");
        Files.createDirectories(archiveDir);
        final MediaDriver.Context driverContext = new MediaDriver.Context()
            .aeronDirectoryName(aeronDir.toString())
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true);
        final Archive.Context archiveContext = new Archive.Context()
            .aeronDirectoryName(aeronDir.toString())
            .archiveDir(archiveDir.toFile())
            .deleteArchiveOnStart(true)
            .threadingMode(ArchiveThreadingMode.SHARED)
            .fileSyncLevel(fileSyncLevel)
            .catalogFileSyncLevel(fileSyncLevel)
            .controlChannelEnabled(false)
            .archiveClientContext(new AeronArchive.Context().controlResponseChannel(CommonContext.IPC_CHANNEL))
            .replicationChannel("aeron:udp?endpoint=localhost:0")
            .recordingEventsEnabled(false);
        driver = ArchivingMediaDriver.launch(driverContext, archiveContext);
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir.toString()));
        archive = AeronArchive.connect(new AeronArchive.Context()
            .aeron(aeron)
            .controlRequestChannel(AeronArchive.Configuration.localControlChannel())
            .controlRequestStreamId(AeronArchive.Configuration.localControlStreamId())
            .controlResponseChannel(CommonContext.IPC_CHANNEL));
        subscriptionId = archive.startRecording(CHANNEL, STREAM_ID, SourceLocation.LOCAL);
        publication = workload.producers() == 1 ? aeron.addExclusivePublication(CHANNEL, STREAM_ID) :
            aeron.addPublication(CHANNEL, STREAM_ID);
        counters = aeron.countersReader();
        final long deadline = System.nanoTime() + 10_000_000_000L;
        int id;
        while ((id = RecordingPos.findCounterIdBySession(counters, publication.sessionId(), archive.archiveId())) ==
            CountersReader.NULL_COUNTER_ID || !publication.isConnected())
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("the archive did not start recording " + CHANNEL + " stream " +
                    STREAM_ID + " within 10 s");
            }
            LockSupport.parkNanos(1_000_000);
        }
        counterId = id;
        recordingId = RecordingPos.getRecordingId(counters, counterId);
        termLength = publication.termBufferLength();
        buffers = new UnsafeBuffer[workload.producers()];
        backPressured = new long[workload.producers() * PAD];
        for (int p = 0; p < buffers.length; p++)
        {
            buffers[p] = new UnsafeBuffer(new byte[0]);
        }
    }

    @Override
    public long publish(final int producer, final byte[] payload)
    {
        final UnsafeBuffer buffer = buffers[producer];
        if (buffer.byteArray() != payload)
        {
            buffer.wrap(payload);
        }
        while (true)
        {
            final long position = publication.offer(buffer, 0, payload.length);
            if (position > 0)
            {
                return position;
            }
            if (position == Publication.BACK_PRESSURED || position == Publication.ADMIN_ACTION)
            {
                backPressured[producer * PAD]++;
                Thread.yield();
            }
            else
            {
                throw new IllegalStateException(name + ": offer failed with " + Publication.errorString(position));
            }
        }
    }

    @Override
    public Completion completion()
    {
        return fileSyncLevel > 0 ? Completion.DURABLE : Completion.WRITTEN;
    }

    @Override
    public long completedTicket(final int producer)
    {
        return counters.getCounterValue(counterId);
    }

    @Override
    public void awaitAll()
    {
        final long target = publication.position();
        final long deadline = System.nanoTime() + 120_000_000_000L;
        while (counters.getCounterValue(counterId) < target)
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException(name + ": recording stuck at " +
                    counters.getCounterValue(counterId) + " of " + target);
            }
            LockSupport.parkNanos(10_000);
        }
    }

    @Override
    public Map<String, Long> counters()
    {
        long waits = 0;
        for (int p = 0; p < buffers.length; p++)
        {
            waits += backPressured[p * PAD];
        }
        final Map<String, Long> result = new LinkedHashMap<>();
        result.put("recordingId", recordingId);
        result.put("recordedPosition", counters.getCounterValue(counterId));
        result.put("termLength", (long)termLength);
        result.put("fileSyncLevel", (long)fileSyncLevel);
        result.put("backPressuredOffers", waits);
        return result;
    }

    @Override
    public void close()
    {
        if (archive != null)
        {
            archive.stopRecording(subscriptionId);
            stopPosition = archive.getStopPosition(recordingId);
        }
        CloseHelper.closeAll(publication, archive, aeron, driver);
    }

    @Override
    public VerifyResult readBackAndVerify(final Path dir, final Workload workload, final long[] published)
        throws IOException
    {
        final RecordChecker checker = new RecordChecker(workload.recordSize(), published);
        final String prefix = recordingId + "-";
        final List<Path> segments;
        try (Stream<Path> list = Files.list(dir.resolve("archive")))
        {
            segments = list.filter(f -> f.getFileName().toString().startsWith(prefix) &&
                f.getFileName().toString().endsWith(".rec"))
                .sorted(Comparator.comparingLong(f -> basePosition(f.getFileName().toString())))
                .toList();
        }
        if (segments.isEmpty())
        {
            checker.mangledFrame("no segment files of recording " + recordingId + " in " + dir.resolve("archive"));
            return checker.result();
        }
        final Reassembly reassembly = new Reassembly();
        long expectedBase = basePosition(segments.get(0).getFileName().toString());
        for (final Path segment : segments)
        {
            final long base = basePosition(segment.getFileName().toString());
            if (base != expectedBase)
            {
                checker.mangledFrame(segment + ": segment starts at " + base + " where " + expectedBase +
                    " was next");
                return checker.result();
            }
            final long end = readSegment(segment, base, checker, reassembly);
            if (end < 0)
            {
                break;
            }
            expectedBase = end;
        }
        if (reassembly.length > 0)
        {
            checker.mangledFrame("recording ends inside a fragmented message");
        }
        return checker.result();
    }

    private static long basePosition(final String fileName)
    {
        return Long.parseLong(fileName.substring(fileName.indexOf('-') + 1, fileName.length() - ".rec".length()));
    }

    /** A message being put back together from its fragments. */
    private static final class Reassembly
    {
        final byte[] bytes = new byte[65536 + 4096];
        int length;
    }

    /**
     * Reads one segment's frames; returns the position after the segment if it was full, or -1 if the recording
     * ended in it.
     */
    private long readSegment(final Path segment, final long base, final RecordChecker checker,
        final Reassembly reassembly) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(segment);
        final ByteBuffer data = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int offset = 0;
        while (offset + HEADER_LENGTH <= bytes.length)
        {
            final long position = base + offset;
            if (stopPosition >= 0 && position >= stopPosition)
            {
                return -1;
            }
            final int frameLength = data.getInt(offset);
            if (frameLength == 0)
            {
                return -1;
            }
            final int type = data.getShort(offset + TYPE_OFFSET) & 0xffff;
            final int termOffset = data.getInt(offset + TERM_OFFSET_OFFSET);
            if (frameLength < HEADER_LENGTH || offset + frameLength > bytes.length ||
                (type != TYPE_DATA && type != TYPE_PAD) || termOffset != (int)(position & (termLength - 1)))
            {
                checker.mangledFrame(segment + " offset " + offset + ": bad frame (length " + frameLength +
                    ", type " + type + ", term offset " + termOffset + ")");
                return -1;
            }
            if (type == TYPE_DATA)
            {
                final int flags = bytes[offset + FLAGS_OFFSET] & 0xff;
                final int length = frameLength - HEADER_LENGTH;
                if ((flags & BEGIN_FLAG) != 0)
                {
                    reassembly.length = 0;
                }
                if (reassembly.length + length > reassembly.bytes.length)
                {
                    checker.mangledFrame(segment + " offset " + offset + ": message longer than 64 KiB");
                    return -1;
                }
                System.arraycopy(bytes, offset + HEADER_LENGTH, reassembly.bytes, reassembly.length, length);
                reassembly.length += length;
                if ((flags & END_FLAG) != 0)
                {
                    checker.onRecord(reassembly.bytes, 0, reassembly.length);
                    reassembly.length = 0;
                }
            }
            offset += (frameLength + FRAME_ALIGNMENT - 1) & -FRAME_ALIGNMENT;
        }
        return base + bytes.length;
    }
}
