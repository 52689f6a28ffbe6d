package io.ringwal.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the reused-file group commit and the Aeron Archive contenders in this JVM for a tiny workload, checks that
 * their output reads back intact, then damages the output and checks that read-back notices.
 */
class ContenderOutputTest
{
    private static final int RECORDS = 3_000;
    private static final int SIZE = 64;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"group-commit-reused", "aeron-archive", "aeron-archive-sync2"})
    void shouldReadBackEveryRecordWhenTheOutputIsIntact(final String name) throws Exception
    {
        final Contender contender = run(name, 2);

        final VerifyResult result = contender.readBackAndVerify(dir, workload(2), new long[] {RECORDS, RECORDS});

        assertThat(result.ok()).as(result.toString()).isTrue();
        assertThat(result.read()).isEqualTo(2L * RECORDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"group-commit-reused", "aeron-archive-sync2"})
    void shouldReportAMangledRecordWhenOnePayloadByteIsFlipped(final String name) throws Exception
    {
        final Contender contender = run(name, 1);
        final Path file = dataFile(name);
        final long offset = frameOffset(name, RECORDS / 2) + frameHeader(name) + 30;
        final byte original = readByte(file, offset);
        writeByte(file, offset, (byte)(original ^ 0x01));

        final VerifyResult result = contender.readBackAndVerify(dir, workload(1), new long[] {RECORDS});

        assertThat(result.ok()).isFalse();
        assertThat(result.mangled()).as(result.toString()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"group-commit-reused", "aeron-archive"})
    void shouldReportLostRecordsWhenTheFileEndsEarly(final String name) throws Exception
    {
        final Contender contender = run(name, 1);
        final Path file = dataFile(name);
        final long cut = frameOffset(name, RECORDS - 100);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.allocate((int)(frameOffset(name, RECORDS) - cut)), cut);
        }

        final VerifyResult result = contender.readBackAndVerify(dir, workload(1), new long[] {RECORDS});

        assertThat(result.ok()).isFalse();
        assertThat(result.missing()).as(result.toString()).isEqualTo(100);
    }

    @Test
    void shouldNotGrowOrAddFilesWhenTheReusedGroupCommitRuns() throws Exception
    {
        final Workload workload = workload(2);
        final long poolBytes = GroupCommitReusedContender.poolBytes(workload, Double.NaN);

        final Contender contender = run("group-commit-reused", 2);

        assertThat(contender.counters()).containsEntry("poolExhausted", 0L);
        final List<Path> files = poolFiles();
        assertThat(files).hasSize((int)(poolBytes / GroupCommitReusedContender.FILE_SIZE));
        for (final Path file : files)
        {
            assertThat(Files.size(file)).isEqualTo(GroupCommitReusedContender.FILE_SIZE);
        }
    }

    @Test
    void shouldMoveToAnotherFileAndCountItWhenTheRunOutgrowsTheReusedPool() throws Exception
    {
        final int size = 60_000;
        final int records = 2_500;
        final Workload workload = new Workload(1, size, 1_000, 0, 0, 1);
        final GroupCommitReusedContender contender = new GroupCommitReusedContender();
        contender.open(dir, workload);
        final byte[] payload = new byte[size];
        final Payloads payloads = new Payloads(0, size);
        for (int i = 0; i < records; i++)
        {
            payloads.fill(i, payload);
            contender.publish(0, payload);
        }
        contender.producerDone(0);
        contender.awaitAll();
        final Map<String, Long> counters = contender.counters();
        contender.close();

        final VerifyResult result = contender.readBackAndVerify(dir, workload, new long[] {records});

        assertThat(counters).containsEntry("poolExhausted", 1L);
        assertThat(poolFiles()).hasSize(3);
        assertThat(result.ok()).as(result.toString()).isTrue();
        assertThat(result.read()).isEqualTo(records);
    }

    @Test
    void shouldReassembleFragmentsAcrossTermsAndSegmentsWhenAeronRecordsLargeMessages() throws Exception
    {
        final int size = 60_000;
        final int records = 2_500;
        final Workload workload = new Workload(1, size, 1_000, 0, 0, records);
        final Contender contender = Contenders.create("aeron-archive");
        contender.open(dir, workload);
        final byte[] payload = new byte[size];
        final Payloads payloads = new Payloads(0, size);
        for (int i = 0; i < records; i++)
        {
            payloads.fill(i, payload);
            contender.publish(0, payload);
        }
        contender.producerDone(0);
        contender.awaitAll();
        contender.close();

        final VerifyResult result = contender.readBackAndVerify(dir, workload, new long[] {records});

        try (Stream<Path> list = Files.list(dir.resolve("archive")))
        {
            assertThat(list.filter(f -> f.getFileName().toString().endsWith(".rec")).count()).isEqualTo(2);
        }
        assertThat(result.ok()).as(result.toString()).isTrue();
        assertThat(result.read()).isEqualTo(records);
    }

    @Test
    void shouldSizeTheReusedPoolFromTheOfferedRateOrTheDiskBandwidth()
    {
        final long fileSize = GroupCommitReusedContender.FILE_SIZE;
        final Workload paced = new Workload(1, 1024, 10_000, 0, 100_000, 0);
        final Workload flatOut = new Workload(1, 1024, 2_000, 500, 0, 0);

        assertThat(GroupCommitReusedContender.poolBytes(paced, Double.NaN))
            .isGreaterThanOrEqualTo(100_000L * 10 * (1024 + GroupCommitReusedContender.HEADER));
        assertThat(GroupCommitReusedContender.poolBytes(paced, Double.NaN) % fileSize).isZero();
        assertThat(GroupCommitReusedContender.poolBytes(flatOut, 400) % fileSize).isZero();
        // write + fdatasync into cached files outruns dd: 2.5 s at the floor rate at least, times the margin
        final long floor = (long)(GroupCommitReusedContender.FLAT_OUT_FLOOR_MB_PER_SEC * 1e6 * 2.5 *
            GroupCommitReusedContender.FLAT_OUT_POOL_MARGIN);
        assertThat(GroupCommitReusedContender.poolBytes(flatOut, 400)).isGreaterThanOrEqualTo(floor);
        assertThat(GroupCommitReusedContender.poolBytes(flatOut, 4_000)).isGreaterThanOrEqualTo(floor * 2);
        assertThat(GroupCommitReusedContender.poolBytes(flatOut, Double.NaN))
            .isGreaterThanOrEqualTo(GroupCommitReusedContender.DEFAULT_POOL_BYTES);
    }

    private Contender run(final String name, final int producers) throws Exception
    {
        final Workload workload = workload(producers);
        final Contender contender = Contenders.create(name);
        contender.open(dir, workload);
        final byte[] payload = new byte[SIZE];
        final Payloads[] payloads = new Payloads[producers];
        for (int p = 0; p < producers; p++)
        {
            payloads[p] = new Payloads(p, SIZE);
        }
        for (int i = 0; i < RECORDS; i++)
        {
            for (int p = 0; p < producers; p++)
            {
                payloads[p].fill(i, payload);
                contender.publish(p, payload);
            }
        }
        for (int p = 0; p < producers; p++)
        {
            contender.producerDone(p);
        }
        contender.awaitAll();
        contender.close();
        return contender;
    }

    private static Workload workload(final int producers)
    {
        return new Workload(producers, SIZE, 1_000, 0, 0, RECORDS);
    }

    private Path dataFile(final String name) throws IOException
    {
        if (name.startsWith("group-commit"))
        {
            return poolFiles().get(0);
        }
        try (Stream<Path> list = Files.list(dir.resolve("archive")))
        {
            return list.filter(f -> f.getFileName().toString().endsWith("-0.rec")).findFirst().orElseThrow();
        }
    }

    private List<Path> poolFiles() throws IOException
    {
        try (Stream<Path> list = Files.list(dir))
        {
            return list.filter(f -> f.getFileName().toString().startsWith("reused-")).sorted().toList();
        }
    }

    /** Frames are the same size for one producer's fixed-size records: header + payload (Aeron: 32-aligned). */
    private static long frameOffset(final String name, final int record)
    {
        final int frame = name.startsWith("group-commit") ? GroupCommitReusedContender.HEADER + SIZE :
            (32 + SIZE + 31) & -32;
        return (long)record * frame;
    }

    private static int frameHeader(final String name)
    {
        return name.startsWith("group-commit") ? GroupCommitReusedContender.HEADER : 32;
    }

    private static byte readByte(final Path file, final long offset) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ByteBuffer b = ByteBuffer.allocate(1);
            channel.read(b, offset);
            return b.get(0);
        }
    }

    private static void writeByte(final Path file, final long offset, final byte value) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.wrap(new byte[] {value}), offset);
        }
    }
}
