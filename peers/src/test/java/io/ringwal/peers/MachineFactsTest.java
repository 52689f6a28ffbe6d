package io.ringwal.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver's view of the machine: device bytes written, the kernel's dirty limits, the sustained cells'
 * workload, and the class path the forked runs get.
 */
class MachineFactsTest
{
    @TempDir
    Path dir;

    @Test
    void shouldCountAtLeastTheBytesForcedWhenAFileIsWrittenAndFsynced() throws Exception
    {
        final DiskStats disk = DiskStats.forPath(dir);
        assumeTrue(disk != null, "no block-device stats for " + dir);
        final long before = disk.bytesWritten();
        try (FileChannel channel = FileChannel.open(dir.resolve("data"), StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE))
        {
            final ByteBuffer block = ByteBuffer.allocateDirect(1 << 20);
            for (int i = 0; i < 8; i++)
            {
                block.clear();
                channel.write(block);
            }
        }
        DiskStats.forceAll(dir);

        assertThat(disk.bytesWritten() - before).isGreaterThanOrEqualTo(8L << 20);
    }

    @Test
    void shouldComputeAPositiveDirtyLimitAboveTheBackgroundOneWhenReadFromProc() throws Exception
    {
        assumeTrue(Files.isReadable(Path.of("/proc/sys/vm/dirty_ratio")), "not Linux");

        final DirtyLimits limits = DirtyLimits.read();

        assertThat(limits.limitBytes()).isPositive().isGreaterThanOrEqualTo(limits.backgroundBytes());
        assertThat(limits.describe()).contains("dirty_ratio=" + limits.dirtyRatio());
    }

    @Test
    void shouldPreferDirtyBytesOverTheRatioWhenSet()
    {
        final DirtyLimits limits = new DirtyLimits(20, 10, 1_000_000, 0, 1L << 34, 1L << 33);

        assertThat(limits.limitBytes()).isEqualTo(1_000_000);
        assertThat(limits.backgroundBytes()).isEqualTo((1L << 33) / 10);
    }

    @Test
    void shouldWriteTheWholeVolumeWithNoWarmupWhenTheCellIsSustained()
    {
        final PeersMain.Cell cell = new PeersMain.Cell("s", 2, 1024, 0, List.of("ringwal-never"), "ringwal-never",
            PeersMain.SUSTAINED);

        final Workload workload = PeersMain.workload(cell, 2_000, 500, 4L << 30);

        assertThat(workload.maxRecords()).isEqualTo((4L << 30) / 1024 / 2);
        assertThat(workload.warmupMs()).isZero();
        assertThat(workload.durationMs()).isGreaterThanOrEqualTo(60_000);
    }

    @Test
    void shouldParseByteCountsWithUnitsAndRejectNonPositiveOnes()
    {
        assertThat(PeersMain.parseBytes("512m")).isEqualTo(512L << 20);
        assertThat(PeersMain.parseBytes("12G")).isEqualTo(12L << 30);
        assertThat(PeersMain.parseBytes("1000")).isEqualTo(1000);
        assertThatThrownBy(() -> PeersMain.parseBytes("0k")).hasMessageContaining("0k");
    }

    @Test
    void shouldPutExactlyOneAgronaOnTheClassPathWhenAeronIsADependency() throws Exception
    {
        final String file = System.getProperty("peers.classpath.file");
        assumeTrue(file != null && Files.exists(Path.of(file)), "run by Maven");

        final List<String> agronas = List.of(Files.readString(Path.of(file)).trim().split(java.io.File.pathSeparator))
            .stream().filter(e -> Path.of(e).getFileName().toString().startsWith("agrona")).toList();

        assertThat(agronas).hasSize(1);
        assertThat(Collections.list(ClassLoader.getSystemClassLoader().getResources("org/agrona/DirectBuffer.class")))
            .hasSize(1);
        assertThat(Collections.list(ClassLoader.getSystemClassLoader().getResources("io/aeron/Aeron.class")))
            .hasSize(1);
    }
}
