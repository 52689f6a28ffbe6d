package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.testing.ChildJvm;
import io.ringwal.testing.JournalFiles;
import io.ringwal.testing.Mounts;
import io.ringwal.testing.SparseFillMain;

/**
 * Running out of disk on a real, small, loop-mounted ext4 filesystem (root only). With real blocks preallocated
 * (the default), the allocator hits ENOSPC while the active segment still has room: the writer fails cleanly with
 * {@link JournalFailedException} naming the file, the JVM lives on, and every record acknowledged durable is
 * intact after unmount and remount. The negative control runs the same fill with SPARSE segments and mapped stores
 * in a child JVM, which must die abnormally (SIGBUS on a store into a hole the filesystem cannot back); with staged
 * writes the same child fails cleanly, because {@code write(2)} reports the full disk as an error.
 */
class JournalDiskFullTest
{
    private static final int SEGMENT = 256 * 1024;
    private static final int RECORD = 1000;
    private static final long DISK = 8L * 1024 * 1024;

    @TempDir
    Path tmp;

    @Test
    void shouldFailCleanlyWhenTheDiskIsFullAndKeepEveryDurableRecord() throws IOException
    {
        Mounts.requireRoot("disk-full test (loop-mounted ext4)");
        final Path image = tmp.resolve("disk.img");
        final Path mount = Files.createDirectory(tmp.resolve("mnt"));
        Mounts.mountExt4(image, DISK, mount);
        boolean mounted = true;
        try
        {
            final Path ballast = Files.write(mount.resolve("ballast"), new byte[512 * 1024]);
            final Path dir = mount.resolve("journal");
            final JournalConfig config = JournalConfig.builder().segmentSize(SEGMENT).build();
            final JournalWriter writer = JournalWriter.open(dir, config);
            long durableBeforeFailure = -1;
            JournalFailedException failure = null;
            for (int i = 0; i < 100_000 && failure == null; i++)
            {
                try
                {
                    assertThat(writer.append(JournalFiles.payload(i, RECORD), 0, RECORD)).isEqualTo(i);
                    writer.endOfBatch();
                    durableBeforeFailure = writer.durableSequence();
                    assertThat(durableBeforeFailure).isEqualTo(i);
                }
                catch (final JournalFailedException ex)
                {
                    failure = ex;
                }
            }
            assertThat(failure).as("the 8 MiB disk never filled up").isNotNull();
            assertThat(failure).hasMessageContaining("no space left on device in " + dir + ": next segment of " +
                SEGMENT + " bytes could not be allocated");
            final String causes = causeChain(failure);
            assertThat(causes).contains("No space left on device").contains(dir.toString())
                .contains(".seg.tmp");
            assertThat(writer.durableSequence()).isEqualTo(durableBeforeFailure);
            assertThat(writer.failure()).isNotNull();
            writer.close();
            assertThat(durableBeforeFailure).as("records acknowledged before the disk filled").isGreaterThan(1000);

            // power-cycle the filesystem: what was acknowledged durable is on the device
            assertThat(Mounts.unmount(mount)).isTrue();
            mounted = false;
            Mounts.mountExistingExt4(image, mount);
            mounted = true;
            final List<byte[]> records = JournalFiles.readAll(dir);
            assertThat(records.size()).isGreaterThan((int)durableBeforeFailure);
            for (int i = 0; i < records.size(); i++)
            {
                assertThat(records.get(i)).as("record %d", i).isEqualTo(JournalFiles.payload(i, RECORD));
            }
            try (var files = Files.list(dir))
            {
                assertThat(files.map(p -> p.getFileName().toString()))
                    .as("no half-allocated segment left behind").noneMatch(n -> n.endsWith(".seg.tmp"));
            }

            // with space freed the journal opens and continues where it stopped
            Files.delete(ballast);
            try (JournalWriter reopened = JournalWriter.open(dir, config))
            {
                final long last = reopened.recoveryReport().lastSequence();
                assertThat(last).isEqualTo(records.size() - 1);
                assertThat(reopened.append(JournalFiles.payload(last + 1, RECORD), 0, RECORD)).isEqualTo(last + 1);
            }
            assertThat(JournalFiles.readAll(dir)).hasSize(records.size() + 1);
        }
        finally
        {
            if (mounted)
            {
                assertThat(Mounts.unmount(mount)).as("unmount " + mount).isTrue();
            }
        }
    }

    @Test
    void shouldCrashAChildJvmWhenMappedStoresMeetSparseSegmentsOnAFullDisk() throws IOException
    {
        Mounts.requireRoot("disk-full negative control (loop-mounted ext4)");
        final ChildRun run = runSparseChildOnAFullDisk(WriteMode.MAPPED);
        System.out.println("sparse child exit code " + run.exit() + ", last output: " +
            run.output().substring(Math.max(0, run.output().length() - 600)));
        assertThat(run.output()).contains("OPENED").doesNotContain("NO_FAULT").doesNotContain("CLEAN_FAILURE");
        // HotSpot either dies of the signal (exit 128 + n, hs_err) or turns the SIGBUS into an
        // asynchronous InternalError thrown at whatever the thread does next; both kill the process
        assertThat(run.exit()).as("child exit code (output: %s)", run.output()).isNotZero();
        assertThat(run.exit() >= 128 || run.output().contains("a fault occurred in") &&
            run.output().contains("unsafe memory access"))
            .as("child died of the SIGBUS (exit %d, output: %s)", run.exit(), run.output()).isTrue();
    }

    @Test
    void shouldFailCleanlyWhenStagedWritesMeetSparseSegmentsOnAFullDisk() throws IOException
    {
        Mounts.requireRoot("disk-full with staged writes into sparse segments (loop-mounted ext4)");
        final ChildRun run = runSparseChildOnAFullDisk(WriteMode.STAGED);
        assertThat(run.exit()).as("child exit code (output: %s)", run.output()).isZero();
        assertThat(run.output()).contains("OPENED").contains("CLEAN_FAILURE").contains("No space left on device")
            .doesNotContain("NO_FAULT");
    }

    /** How a child JVM ended: its exit code and what it printed. */
    private record ChildRun(int exit, String output)
    {
    }

    /** Runs {@link SparseFillMain} with the write mode on a freshly mounted, nearly full ext4 image. */
    private ChildRun runSparseChildOnAFullDisk(final WriteMode writeMode) throws IOException
    {
        final Path image = tmp.resolve("sparse.img");
        final Path mount = Files.createDirectory(tmp.resolve("mnt"));
        Mounts.mountExt4(image, DISK, mount);
        try
        {
            fillLeavingLittleRoom(mount);
            try (ChildJvm child = ChildJvm.start(SparseFillMain.class,
                List.of("-XX:ErrorFile=" + tmp.resolve("hs_err_%p.log"), "-XX:-CreateCoredumpOnCrash"),
                mount.resolve("journal").toString(), writeMode.name()))
            {
                final int exit = child.awaitExit(120, TimeUnit.SECONDS);
                return new ChildRun(exit, child.output());
            }
        }
        finally
        {
            assertThat(Mounts.unmount(mount)).as("unmount " + mount).isTrue();
        }
    }

    /** Fills the filesystem, then gives back a little: enough to create sparse files, not to back their pages. */
    private static void fillLeavingLittleRoom(final Path mount) throws IOException
    {
        final Path filler = mount.resolve("filler");
        final byte[] chunk = new byte[64 * 1024];
        try (var out = Files.newOutputStream(filler))
        {
            while (true)
            {
                out.write(chunk);
            }
        }
        catch (final IOException expected)
        {
            assertThat(expected.getMessage()).contains("No space left on device");
        }
        try (var channel = java.nio.channels.FileChannel.open(filler, java.nio.file.StandardOpenOption.WRITE))
        {
            channel.truncate(Math.max(0, channel.size() - 128 * 1024));
            channel.force(true);
        }
    }

    private static String causeChain(final Throwable failure)
    {
        final StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause())
        {
            text.append(t).append('\n');
        }
        return text.toString();
    }
}
