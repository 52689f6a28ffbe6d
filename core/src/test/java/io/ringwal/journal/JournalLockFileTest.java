package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.format.SegmentFileNames;

/**
 * The lock file: a refused open leaves no new lock file behind, a clean close removes the one it made, a lock
 * file left by a crashed writer stays, and deleting it never lets two writers in at once.
 */
class JournalLockFileTest
{
    @TempDir
    Path dir;

    static JournalConfig config()
    {
        return JournalConfig.builder().segmentSize(64 * 1024).build();
    }

    @Test
    void shouldLeaveNoNewLockFileWhenTheOpenIsRefused() throws Exception
    {
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            writer.append(new byte[8], 0, 8);
        }
        // a second segment full of garbage: recovery refuses the journal after the lock was taken
        final byte[] garbage = new byte[64 * 1024];
        java.util.Arrays.fill(garbage, (byte)0x55);
        Files.write(dir.resolve(SegmentFileNames.segmentFileName(1_000)), garbage);
        Files.deleteIfExists(dir.resolve(SegmentFileNames.LOCK_FILE_NAME));

        assertThatThrownBy(() -> JournalWriter.open(dir, config())).isInstanceOf(JournalCorruptedException.class);
        assertThat(dir.resolve(SegmentFileNames.LOCK_FILE_NAME)).as("no lock file left by the refused open")
            .doesNotExist();
    }

    @Test
    void shouldKeepTheHoldersLockFileWhenASecondWriterIsRefusedAndRemoveItAtClose() throws Exception
    {
        final Path lockFile = dir.resolve(SegmentFileNames.LOCK_FILE_NAME);
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            assertThatThrownBy(() -> JournalWriter.open(dir, config())).isInstanceOf(JournalLockedException.class);
            assertThat(lockFile).as("the holder's lock file").exists();
            writer.append(new byte[8], 0, 8);
        }
        assertThat(lockFile).as("removed by the writer that created it").doesNotExist();
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            assertThat(writer.nextSequence()).isEqualTo(1);
        }
    }

    @Test
    void shouldKeepALockFileLeftByAnEarlierWriter() throws Exception
    {
        final Path lockFile = Files.writeString(dir.resolve(SegmentFileNames.LOCK_FILE_NAME), "pid=1\n");
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            writer.append(new byte[8], 0, 8);
        }
        assertThat(lockFile).exists();
    }

    @Test
    void shouldNeverAdmitTwoWritersWhileOthersOpenAndCloseTheJournal() throws Exception
    {
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            writer.append(new byte[8], 0, 8);
        }
        final AtomicInteger holders = new AtomicInteger();
        final AtomicInteger opens = new AtomicInteger();
        final AtomicReference<Throwable> problem = new AtomicReference<>();
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500);
        final List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++)
        {
            final Thread thread = new Thread(() ->
            {
                while (System.nanoTime() < end && problem.get() == null)
                {
                    try (JournalWriter writer = JournalWriter.open(dir, config()))
                    {
                        if (holders.incrementAndGet() != 1)
                        {
                            problem.set(new AssertionError("two writers hold the journal at once"));
                        }
                        opens.addAndGet(writer.isClosed() ? 0 : 1);
                        holders.decrementAndGet();
                    }
                    catch (final JournalLockedException expected)
                    {
                        Thread.onSpinWait();
                    }
                    catch (final Throwable ex)
                    {
                        problem.set(ex);
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertThat(problem.get()).isNull();
        assertThat(opens.get()).isPositive();
    }
}
