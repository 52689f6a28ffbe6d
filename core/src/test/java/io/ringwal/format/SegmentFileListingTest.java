package io.ringwal.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one listing of a directory's segment files that the reader, recovery, retention and the tools share.
 */
class SegmentFileListingTest
{
    @TempDir
    Path dir;

    @Test
    void shouldListOnlySegmentFilesInSequenceOrder() throws Exception
    {
        Files.createFile(dir.resolve(SegmentFileNames.segmentFileName(1_000)));
        Files.createFile(dir.resolve(SegmentFileNames.segmentFileName(0)));
        Files.createFile(dir.resolve(SegmentFileNames.segmentFileName(99)));
        Files.createFile(dir.resolve(SegmentFileNames.segmentFileName(2_000) + ".tmp"));
        Files.createFile(dir.resolve(SegmentFileNames.freeFileName(5)));
        Files.createFile(dir.resolve(SegmentFileNames.LOCK_FILE_NAME));
        Files.createFile(dir.resolve("notes.seg"));
        Files.createDirectory(dir.resolve("readers"));

        assertThat(SegmentFileNames.listSegments(dir)).containsExactly(
            dir.resolve(SegmentFileNames.segmentFileName(0)),
            dir.resolve(SegmentFileNames.segmentFileName(99)),
            dir.resolve(SegmentFileNames.segmentFileName(1_000)));
        assertThat(SegmentFileNames.listSegmentBases(dir)).containsExactly(0, 99, 1_000);
    }

    @Test
    void shouldListNothingInADirectoryWithoutSegments() throws Exception
    {
        Files.createFile(dir.resolve("other.txt"));

        assertThat(SegmentFileNames.listSegments(dir)).isEmpty();
        assertThat(SegmentFileNames.listSegmentBases(dir)).isEmpty();
    }

    @Test
    void shouldNameTheFileWhoseBaseDoesNotFitALong() throws Exception
    {
        final Path tooLarge = dir.resolve("99999999999999999999" + SegmentFileNames.SEGMENT_SUFFIX);
        Files.createFile(tooLarge);

        assertThatThrownBy(() -> SegmentFileNames.listSegmentBases(dir))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(tooLarge.toString());
    }

    @Test
    void shouldThrowNoSuchFileForAMissingDirectory()
    {
        assertThatThrownBy(() -> SegmentFileNames.listSegments(dir.resolve("absent")))
            .isInstanceOf(NoSuchFileException.class);
    }
}
