package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.ringwal.format.SegmentFileNames;
import io.ringwal.format.SegmentHeaderDescriptor;
import io.ringwal.testing.ChildJvm;
import io.ringwal.testing.JournalFiles;
import io.ringwal.testing.QuietLogs;

/**
 * Recovery is idempotent. A crash during recovery (a child JVM killed with SIGKILL at random moments while it
 * cuts a large torn tail: a 64 MiB last segment with garbage spread to its end) and any number of open/close
 * cycles leave the journal byte-identical to one recovered once without interruption: same files, same bytes.
 */
class JournalRecoveryIdempotenceTest
{
    private static final int BIG_SEGMENT = 64 * 1024 * 1024;
    private static final int SMALL_SEGMENT = 1024 * 1024;

    private final List<Path> dirs = new java.util.ArrayList<>();

    @AfterEach
    void cleanUp()
    {
        dirs.forEach(JournalFiles::deleteTree);
    }

    private Path newDir(final String prefix)
    {
        final Path dir = JournalFiles.fastTempDir(prefix);
        dirs.add(dir);
        return dir;
    }

    @Test
    void shouldConvergeToTheSameBytesWhenKilledDuringRecovery() throws Exception
    {
        killDuringRecovery(4, 5);
    }

    @Test
    @Tag("slow")
    void shouldConvergeToTheSameBytesWhenKilledDuringRecoveryLong() throws Exception
    {
        killDuringRecovery(20, 10);
    }

    @Test
    void shouldKeepRecordsByteIdenticalAndAddOnlyMarkersOverTwoHundredOpenCloseCycles()
    {
        openCloseCycles(200);
    }

    @Test
    @Tag("slow")
    void shouldKeepRecordsByteIdenticalAndAddOnlyMarkersOverAThousandOpenCloseCycles()
    {
        openCloseCycles(1000);
    }

    /** Writes records into a journal, closes it, then sprays garbage from after the last frame to the end. */
    private Path damagedImage(final int segmentSize, final int records, final long seed)
    {
        final Path dir = newDir("ringwal-idem-image");
        final QuietLogs quiet = QuietLogs.quiet();
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.builder().segmentSize(segmentSize).build()))
        {
            for (int i = 0; i < records; i++)
            {
                final byte[] bytes = JournalFiles.payload(i, 1 + i % 900);
                writer.append(bytes, 0, bytes.length);
            }
        }
        finally
        {
            quiet.close();
        }
        final List<Path> segments = JournalFiles.segments(dir);
        final Path last = segments.get(segments.size() - 1);
        final byte[] bytes = JournalFiles.read(last);
        int end = bytes.length - 1;
        while (bytes[end] == 0)
        {
            end--;
        }
        final int tail = (end + 8) & ~7;
        final Random random = new Random(seed);
        final byte[] garbage = new byte[4096];
        random.nextBytes(garbage);
        System.arraycopy(garbage, 0, bytes, tail, 64); // right after the last frame: a torn frame
        for (int at = tail + 4096 + random.nextInt(4096); at < bytes.length - 4096; at += 32 * 1024 + random.nextInt(4096))
        {
            random.nextBytes(garbage);
            System.arraycopy(garbage, 0, bytes, at, 1 + random.nextInt(4096));
        }
        random.nextBytes(garbage);
        System.arraycopy(garbage, 0, bytes, bytes.length - 4096, 4096); // up to the very end
        JournalFiles.write(last, bytes);
        return dir;
    }

    private static RecoveryReport openAndClose(final Path dir, final int segmentSize)
    {
        final QuietLogs quiet = QuietLogs.quiet();
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.builder().segmentSize(segmentSize).build()))
        {
            return writer.recoveryReport();
        }
        finally
        {
            quiet.close();
        }
    }

    private static Map<String, byte[]> files(final Path dir)
    {
        final Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir))
        {
            list.filter(Files::isRegularFile).forEach(file -> files.put(file.getFileName().toString(),
                JournalFiles.read(file)));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return files;
    }

    /**
     * Every file of {@code expected} is in {@code dir} with the same bytes up to the end of its last data or padding
     * frame; after that, and in any file {@code dir} has beyond them, there are only the open and close markers
     * that open/close cycles append, then zeros.
     */
    private static void assertSameFiles(final Map<String, byte[]> expected, final Path dir, final String what)
    {
        final Map<String, byte[]> actual = files(dir);
        final java.util.Set<String> expectedNames = new java.util.TreeSet<>(expected.keySet());
        expectedNames.remove(SegmentFileNames.LOCK_FILE_NAME);
        assertThat(actual.keySet()).as(what).containsAll(expectedNames);
        for (final Map.Entry<String, byte[]> entry : actual.entrySet())
        {
            if (SegmentFileNames.LOCK_FILE_NAME.equals(entry.getKey()))
            {
                continue; // left by a killed writer, removed by a clean close: not part of the journal
            }
            final byte[] bytes = entry.getValue();
            final byte[] original = expected.get(entry.getKey());
            if (original == null)
            {
                assertThat(entry.getKey()).as(what).endsWith(".seg");
                assertThat(JournalFiles.onlyMarkersAndZerosFrom(bytes, SegmentHeaderDescriptor.HEADER_LENGTH))
                    .as("%s: new segment %s holds only markers", what, entry.getKey()).isTrue();
                continue;
            }
            if (!entry.getKey().endsWith(".seg"))
            {
                continue; // the lock file
            }
            final int end = JournalFiles.recordRegionEnd(original);
            // compare without AssertJ formatting 64 MiB arrays on failure
            final int mismatch = java.util.Arrays.mismatch(original, 0, end, bytes, 0, end);
            assertThat(mismatch).as("%s: first differing byte of %s", what, entry.getKey()).isEqualTo(-1);
            assertThat(JournalFiles.onlyMarkersAndZerosFrom(bytes, end))
                .as("%s: only markers after the records of %s", what, entry.getKey()).isTrue();
        }
    }

    private void killDuringRecovery(final int images, final int killsPerImage) throws Exception
    {
        final Random random = new Random();
        int kills = 0;
        int killedMidRecovery = 0;
        for (int image = 0; image < images; image++)
        {
            final Path damaged = damagedImage(BIG_SEGMENT, 3000, random.nextLong());
            final Path reference = newDir("ringwal-idem-reference");
            JournalFiles.copyDir(damaged, reference);
            final RecoveryReport referenceReport = openAndClose(reference, BIG_SEGMENT);
            assertThat(referenceReport.tornTailCut()).as("the image has a torn tail").isTrue();
            assertThat(referenceReport.lastSequence()).isEqualTo(2999);
            final long recoveryMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(referenceReport.durationNanos()));
            final Map<String, byte[]> expected = files(reference);
            JournalFiles.deleteTree(reference);

            final Path dir = newDir("ringwal-idem-killed");
            JournalFiles.copyDir(damaged, dir);
            for (int kill = 0; kill < killsPerImage; kill++)
            {
                try (ChildJvm child = ChildJvm.start(RecoveringChild.class, List.of(), dir.toString(),
                    Integer.toString(BIG_SEGMENT)))
                {
                    child.awaitLine("START", 60, TimeUnit.SECONDS);
                    // somewhere in class loading, locking, scanning, zeroing or forcing
                    Thread.sleep(random.nextInt((int)Math.min(2000, 2 * recoveryMillis + 20)));
                    final boolean wasOpened = child.output().contains("OPENED");
                    child.process().destroyForcibly();
                    child.process().waitFor(30, TimeUnit.SECONDS);
                    kills++;
                    if (!wasOpened && !child.output().contains("OPENED"))
                    {
                        killedMidRecovery++;
                    }
                }
            }
            final RecoveryReport converged = openAndClose(dir, BIG_SEGMENT);
            assertThat(converged.lastSequence()).as("image %d after %d kills", image, killsPerImage)
                .isEqualTo(2999);
            assertSameFiles(expected, dir, "image " + image + " after " + killsPerImage + " kills during recovery");
            JournalFiles.deleteTree(damaged);
            JournalFiles.deleteTree(dir);
        }
        System.out.printf("recovery idempotence: %d kills (%d before the open returned) on %d images of a " +
            "64 MiB torn segment, all converged byte-identical, failures: 0%n", kills, killedMidRecovery, images);
    }

    private void openCloseCycles(final int cycles)
    {
        final Path dir = damagedImage(SMALL_SEGMENT, 3000, 42);
        final RecoveryReport first = openAndClose(dir, SMALL_SEGMENT);
        assertThat(first.tornTailCut()).isTrue();
        final Map<String, byte[]> expected = files(dir);
        for (int cycle = 0; cycle < cycles; cycle++)
        {
            final RecoveryReport report = openAndClose(dir, SMALL_SEGMENT);
            assertThat(report.tornTailCut()).as("cycle %d cut nothing more", cycle).isFalse();
            assertThat(report.lastSequence()).isEqualTo(first.lastSequence());
            assertSameFiles(expected, dir, "after open/close cycle " + cycle);
        }
        System.out.printf("recovery idempotence: %d open/close cycles kept every record byte-identical, failures: 0%n", cycles);
    }
}
