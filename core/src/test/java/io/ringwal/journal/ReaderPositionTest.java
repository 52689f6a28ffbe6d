package io.ringwal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReaderPositionTest
{
    @TempDir
    Path dir;

    @Test
    void shouldReadBackWhatWasWrittenAndReplaceItWhenWrittenAgain()
    {
        ReaderPosition.write(dir, "orders", 42, 1_700_000_000_000L);
        ReaderPosition.write(dir, "orders", 4242, 1_700_000_000_001L);
        final ReaderPosition position = ReaderPosition.read(ReaderPosition.file(dir, "orders"));
        assertThat(position.name()).isEqualTo("orders");
        assertThat(position.nextSequence()).isEqualTo(4242);
        assertThat(position.writtenAtMillis()).isEqualTo(1_700_000_000_001L);
        assertThat(dir.resolve("positions/orders.position")).hasSize(ReaderPosition.FILE_LENGTH);
        assertThat(dir.resolve("positions/orders.position.tmp")).doesNotExist();
    }

    @Test
    void shouldWriteTheDocumentedLayout() throws IOException
    {
        ReaderPosition.write(dir, "a", 0x0102030405060708L, 99);
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(ReaderPosition.file(dir, "a")))
            .order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(Files.readAllBytes(ReaderPosition.file(dir, "a")), 0, 4, "US-ASCII")).isEqualTo("RWSP");
        assertThat(bytes.getInt(4)).isEqualTo(1);
        assertThat(bytes.getLong(8)).isEqualTo(0x0102030405060708L);
        assertThat(bytes.getLong(16)).isEqualTo(99);
        final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes.array(), 0, 24);
        assertThat(bytes.getInt(24)).isEqualTo((int)crc.getValue());
    }

    @Test
    void shouldReturnNullWhenThereIsNoFile()
    {
        assertThat(ReaderPosition.read(ReaderPosition.file(dir, "none"))).isNull();
    }

    @Test
    void shouldReportDamageWhenTheCrcOrLengthIsWrong() throws IOException
    {
        ReaderPosition.write(dir, "b", 7, 1);
        final Path file = ReaderPosition.file(dir, "b");
        final byte[] bytes = Files.readAllBytes(file);
        bytes[9] ^= 1;
        Files.write(file, bytes);
        assertThatThrownBy(() -> ReaderPosition.read(file))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("CRC32C");
        Files.write(file, new byte[10]);
        assertThatThrownBy(() -> ReaderPosition.read(file))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("10 bytes, expected 28");
    }

    @Test
    void shouldRefuseNamesThatAreNotPlainFileNames()
    {
        assertThatThrownBy(() -> ReaderPosition.file(dir, "../x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReaderPosition.file(dir, ".hidden")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReaderPosition.file(dir, "")).isInstanceOf(IllegalArgumentException.class);
    }
}
