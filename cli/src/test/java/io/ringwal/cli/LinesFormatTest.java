package io.ringwal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.journal.JournalWriter;

/** {@code dump --format lines} prints a log journal's lines exactly as the appenders wrote them. */
class LinesFormatTest
{
    @TempDir
    Path tmp;

    @Test
    void shouldPrintEachRecordAsItsUtf8LineWhenTheFormatIsLines()
    {
        final Path dir = tmp.resolve("logs");
        try (JournalWriter writer = JournalWriter.open(dir, Journals.config()))
        {
            for (final String line : new String[] {"2026-12-02 INFO app héllo wörld\n", "no newline", "\n"})
            {
                final byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                writer.append(bytes, 0, bytes.length);
            }
            writer.endOfBatch();
        }
        final CliRun lines = CliRun.run("dump", dir.toString(), "--format", "lines");
        assertThat(lines.exitCode).as(lines.toString()).isZero();
        assertThat(lines.out()).isEqualTo("2026-12-02 INFO app héllo wörld\nno newline" + System.lineSeparator() + "\n");

        final CliRun text = CliRun.run("dump", dir.toString(), "--limit", "1");
        assertThat(text.out().lines()).containsExactly("0 34 2026-12-02 INFO app h\\xc3\\xa9llo w\\xc3\\xb6rld\\x0a");
    }
}
