package io.ringwal.segment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.ringwal.segment.PreallocationMode;
import io.ringwal.segment.PretouchMode;

class SegmentPreallocatorTest
{
    private static final int SIZE = 256 * 1024;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = PreallocationMode.class, names = "ADAPTIVE", mode = EnumSource.Mode.EXCLUDE)
    void shouldCreateAZeroFilledFileOfTheRequestedSize(final PreallocationMode mode) throws IOException
    {
        final Path file = dir.resolve("segment.seg.tmp");
        final PreallocationMode used = SegmentPreallocator.preallocate(file, SIZE, mode);
        assertThat(used).as("direct I/O may be refused (tmpfs), never anything else")
            .isIn(mode, PreallocationMode.BUFFERED);
        assertThat(Files.size(file)).isEqualTo(SIZE);
        assertThat(Files.readAllBytes(file)).containsOnly(0);
    }

    @ParameterizedTest
    @EnumSource(value = PreallocationMode.class, names = {"BUFFERED", "BUFFERED_PAGES"})
    void shouldZeroFillFilesLargerThanTheWriteBackInterval(final PreallocationMode mode) throws IOException
    {
        final Path file = dir.resolve("large.seg.tmp");
        final int size = 3 * 1024 * 1024 + 4096;
        assertThat(SegmentPreallocator.preallocate(file, size, mode)).isEqualTo(mode);
        assertThat(Files.size(file)).isEqualTo(size);
        assertThat(Files.readAllBytes(file)).containsOnly(0);
    }

    @Test
    void shouldRefuseAdaptiveByNameWithoutCreatingAFile()
    {
        final Path file = dir.resolve("adaptive.seg.tmp");
        assertThatThrownBy(() -> SegmentPreallocator.preallocate(file, SIZE, PreallocationMode.ADAPTIVE))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("ADAPTIVE").hasMessageContaining(file.toString());
        assertThat(file).doesNotExist();
    }

    @ParameterizedTest
    @EnumSource(value = PreallocationMode.class, names = "ADAPTIVE", mode = EnumSource.Mode.EXCLUDE)
    void shouldRefuseToOverwriteAnExistingFile(final PreallocationMode mode) throws IOException
    {
        final Path file = dir.resolve("segment.seg.tmp");
        Files.write(file, new byte[]{1, 2, 3});
        assertThatThrownBy(() -> SegmentPreallocator.preallocate(file, SIZE, mode))
            .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readAllBytes(file)).containsExactly(1, 2, 3);
    }

    @ParameterizedTest
    @EnumSource(PretouchMode.class)
    void shouldNotChangeAByteWhenPretouching(final PretouchMode pretouch) throws IOException
    {
        final Path file = dir.resolve("data.seg");
        final byte[] content = new byte[SIZE];
        for (int i = 0; i < content.length; i += 3)
        {
            content[i] = (byte)(i * 31 + 7);
        }
        Files.write(file, content);
        try (MappedSegment segment = MappedSegment.map(file, pretouch))
        {
            assertThat(segment.size()).isEqualTo(SIZE);
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
    }
}
