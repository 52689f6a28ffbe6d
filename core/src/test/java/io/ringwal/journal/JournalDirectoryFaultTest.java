package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.format.SegmentFileNames;
import io.ringwal.testing.ChildJvm;
import io.ringwal.testing.JournalFiles;
import io.ringwal.testing.LockHolderMain;
import io.ringwal.testing.Mounts;

/**
 * Opening a journal in directories that are unusable, foreign, littered with leftovers or already locked.
 */
class JournalDirectoryFaultTest
{
    private static final int SEGMENT = 64 * 1024;

    @TempDir
    Path tmp;

    private static JournalConfig config()
    {
        return JournalConfig.builder().segmentSize(SEGMENT).build();
    }

    private static void writeRecords(final Path dir, final int from, final int count)
    {
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            for (int i = from; i < from + count; i++)
            {
                assertThat(writer.append(JournalFiles.payload(i, 100 + i), 0, 100 + i)).isEqualTo(i);
            }
            writer.endOfBatch();
        }
    }

    private static void assertRecords(final Path dir, final int count)
    {
        final List<byte[]> records = JournalFiles.readAll(dir);
        assertThat(records).hasSize(count);
        for (int i = 0; i < count; i++)
        {
            assertThat(records.get(i)).isEqualTo(JournalFiles.payload(i, 100 + i));
        }
    }

    @Test
    void shouldRefuseWhenTheParentIsARegularFile() throws IOException
    {
        final Path parent = Files.writeString(tmp.resolve("plain-file"), "not a directory");
        final Path journal = parent.resolve("journal");
        assertThatThrownBy(() -> JournalWriter.open(journal, config()))
            .isInstanceOf(JournalException.class)
            .hasMessageContaining("cannot create journal directory")
            .hasMessageContaining(journal.toString());
        assertThat(Files.readString(parent)).isEqualTo("not a directory");
    }

    @Test
    void shouldRefuseWhenThePathIsARegularFile() throws IOException
    {
        final Path file = Files.writeString(tmp.resolve("journal"), "data");
        assertThatThrownBy(() -> JournalWriter.open(file, config()))
            .isInstanceOf(JournalException.class)
            .hasMessageContaining(file.toString())
            .hasMessageContaining("exists and is not a directory");
        assertThat(Files.readString(file)).isEqualTo("data");
    }

    /**
     * Root ignores permission bits, so "not writable" is made with a read-only tmpfs mount (an empty directory)
     * and a read-only bind mount of an existing journal.
     */
    @Test
    void shouldRefuseAReadOnlyFilesystemEvenAsRoot() throws IOException
    {
        Mounts.requireRoot("not-writable journal directory (read-only mounts)");
        final Path emptyRo = Files.createDirectory(tmp.resolve("ro-tmpfs"));
        final Path journal = Files.createDirectory(tmp.resolve("journal"));
        final Path journalRo = Files.createDirectory(tmp.resolve("journal-ro"));
        writeRecords(journal, 0, 5);
        Mounts.mountTmpfs(emptyRo, "ro,size=1m");
        try
        {
            assertThatThrownBy(() -> JournalWriter.open(emptyRo, config()))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("journal directory " + emptyRo + " is not writable");
            assertThatThrownBy(() -> JournalWriter.open(emptyRo.resolve("sub"), config()))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("cannot create journal directory " + emptyRo.resolve("sub"));

            Mounts.bindReadOnly(journal, journalRo);
            try
            {
                assertThatThrownBy(() -> JournalWriter.open(journalRo, config()))
                    .isInstanceOf(JournalException.class)
                    .hasMessageContaining(journalRo + " is not writable");
                // a reader needs no write access
                assertRecords(journalRo, 5);
            }
            finally
            {
                assertThat(Mounts.unmount(journalRo)).isTrue();
            }
        }
        finally
        {
            assertThat(Mounts.unmount(emptyRo)).isTrue();
        }
        writeRecords(journal, 5, 1);
        assertRecords(journal, 6);
    }

    @Test
    void shouldRefuseANonEmptyDirectoryWithoutAJournalNamingAFile() throws IOException
    {
        final Path dir = Files.createDirectory(tmp.resolve("photos"));
        Files.writeString(dir.resolve("holiday.jpg"), "jpeg");
        assertThatThrownBy(() -> JournalWriter.open(dir, config()))
            .isInstanceOf(JournalException.class)
            .hasMessageContaining("holiday.jpg")
            .hasMessageContaining("holds no ringwal journal");
        try (var files = Files.list(dir))
        {
            assertThat(files.map(p -> p.getFileName().toString())).as("nothing left behind, not even a lock file")
                .containsOnly("holiday.jpg");
        }
    }

    @Test
    void shouldOpenAJournalDirectoryWithForeignFilesAndLeaveThemAlone() throws IOException
    {
        final Path dir = tmp.resolve("journal");
        writeRecords(dir, 0, 10);
        Files.writeString(dir.resolve("README.txt"), "notes");
        Files.writeString(dir.resolve("0000.seg"), "short name: not a segment");
        Files.createDirectory(dir.resolve("subdir"));
        writeRecords(dir, 10, 3);
        assertRecords(dir, 13);
        assertThat(Files.readString(dir.resolve("README.txt"))).isEqualTo("notes");
        assertThat(Files.readString(dir.resolve("0000.seg"))).isEqualTo("short name: not a segment");
        assertThat(dir.resolve("subdir")).isDirectory();
    }

    @Test
    void shouldDeleteStaleTempSegmentsAndReportThem() throws IOException
    {
        final Path dir = tmp.resolve("journal");
        writeRecords(dir, 0, 4);
        final Path staleEmpty = Files.write(dir.resolve("prepared-7-123" + SegmentFileNames.TEMP_SUFFIX),
            new byte[0]);
        final Path staleFull = Files.write(dir.resolve("00000000000000000004" + SegmentFileNames.TEMP_SUFFIX),
            JournalFiles.payload(1, SEGMENT));
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            assertThat(writer.recoveryReport().removedFiles()).containsExactlyInAnyOrder(staleEmpty, staleFull);
            assertThat(writer.recoveryReport().lastSequence()).isEqualTo(3);
            assertThat(writer.nextSequence()).isEqualTo(4);
        }
        assertThat(staleEmpty).doesNotExist();
        assertThat(staleFull).doesNotExist();
        assertRecords(dir, 4);
    }

    @Test
    void shouldRemoveAHalfCreatedLastSegmentThatIsAllZeros() throws IOException
    {
        final Path dir = tmp.resolve("journal");
        writeRecords(dir, 0, 6);
        final Path zeros = Files.write(dir.resolve(SegmentFileNames.segmentFileName(6)), new byte[SEGMENT]);
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            assertThat(writer.recoveryReport().removedFiles()).containsExactly(zeros);
            assertThat(writer.recoveryReport().segments()).isEqualTo(1);
            assertThat(writer.recoveryReport().lastSequence()).isEqualTo(5);
            assertThat(writer.append(JournalFiles.payload(6, 106), 0, 106)).isEqualTo(6);
        }
        assertRecords(dir, 7);

        // an empty file (created, never sized) is half-created too
        final Path empty = Files.write(dir.resolve(SegmentFileNames.segmentFileName(7)), new byte[0]);
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            assertThat(writer.recoveryReport().removedFiles()).containsExactly(empty);
            assertThat(writer.nextSequence()).isEqualTo(7);
        }
        assertRecords(dir, 7);
    }

    @Test
    void shouldNotRemoveAnAllZeroSegmentThatIsNotTheLast() throws IOException
    {
        final Path dir = tmp.resolve("journal");
        writeRecords(dir, 0, 2);
        final Path first = JournalFiles.segments(dir).get(0);
        final byte[] original = JournalFiles.read(first);
        // a closed segment after it, so the zeroed one is not the last
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            writer.append(JournalFiles.payload(2, 65_400), 0, 65_400);
            assertThat(writer.activeSegmentBase()).isEqualTo(2);
            writer.append(JournalFiles.payload(3, 10), 0, 10);
        }
        Files.write(first, new byte[SEGMENT]);
        assertThatThrownBy(() -> JournalWriter.open(dir, config()))
            .isInstanceOf(JournalCorruptedException.class)
            .hasMessageContaining(first.toString())
            .hasMessageContaining("empty header")
            .satisfies(ex -> assertThat(((JournalCorruptedException)ex).offset()).isZero());
        assertThat(first).exists();
        Files.write(first, original);
    }

    @Test
    void shouldRefuseASecondWriterInThisProcess()
    {
        final Path dir = tmp.resolve("journal");
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            writer.append(JournalFiles.payload(0, 100), 0, 100);
            assertThatThrownBy(() -> JournalWriter.open(dir, config()))
                .isInstanceOf(JournalLockedException.class)
                .hasMessageContaining("already open by a writer in this process");
            // through another spelling of the same path too
            assertThatThrownBy(() -> JournalWriter.open(dir.resolve("x").resolve(".."), config()))
                .isInstanceOf(JournalLockedException.class);
            assertThat(writer.append(JournalFiles.payload(1, 101), 0, 101)).isEqualTo(1);
        }
        writeRecords(dir, 2, 1);
        assertRecords(dir, 3);
    }

    @Test
    void shouldKeepOtherProcessesOutAfterASecondWriterInThisProcessWasRefused() throws Exception
    {
        final Path dir = tmp.resolve("journal");
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            writer.append(JournalFiles.payload(0, 100), 0, 100);
            writer.force();
            for (int i = 0; i < 3; i++)
            {
                assertThatThrownBy(() -> JournalWriter.open(dir, config())).isInstanceOf(JournalLockedException.class)
                    .hasMessageContaining("already open by a writer in this process");
                assertThatThrownBy(() -> JournalSpace.reserve(dir, SEGMENT, 1))
                    .isInstanceOf(JournalLockedException.class);
            }
            // the refused opens touched no descriptor of the lock file: the process still holds its OS lock
            try (ChildJvm child = ChildJvm.start(LockHolderMain.class, List.of(), dir.toString()))
            {
                final int exit = child.awaitExit(60, TimeUnit.SECONDS);
                assertThat(child.output()).as("the child's output").doesNotContain("LOCKED")
                    .contains("locked by a writer in another process");
                assertThat(exit).isNotZero();
            }
            assertThat(writer.append(JournalFiles.payload(1, 101), 0, 101)).isEqualTo(1);
        }
        assertRecords(dir, 2);
    }

    @Test
    void shouldRefuseAWriterWhileAnotherProcessHoldsTheJournal()
    {
        final Path dir = tmp.resolve("journal");
        try (ChildJvm child = ChildJvm.start(LockHolderMain.class, List.of(), dir.toString()))
        {
            final String line = child.awaitLine("LOCKED", 60, TimeUnit.SECONDS);
            assertThat(line).isEqualTo("LOCKED " + child.process().pid());
            assertThatThrownBy(() -> JournalWriter.open(dir, config()))
                .isInstanceOf(JournalLockedException.class)
                .hasMessageContaining("locked by a writer in another process")
                .hasMessageContaining(SegmentFileNames.LOCK_FILE_NAME);
            child.process().destroyForcibly();
            assertThat(child.awaitExit(30, TimeUnit.SECONDS)).isNotZero();
        }
        // the kernel released the dead process's lock
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            assertThat(writer.recoveryReport().lastSequence()).isEqualTo(0);
            assertThat(writer.nextSequence()).isEqualTo(1);
        }
        assertThat(JournalFiles.readAll(dir)).containsExactly(new byte[] {1, 2, 3});
    }
}
