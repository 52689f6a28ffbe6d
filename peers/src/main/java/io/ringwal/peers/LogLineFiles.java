package io.ringwal.peers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.ringwal.journal.JournalReader;

/**
 * Reads back what the logging contenders wrote, one record per line: a plain text file of {@code %m%n} lines, or
 * a ringwal journal whose records are {@code %m%n} lines.
 */
final class LogLineFiles
{
    private LogLineFiles()
    {
    }

    static VerifyResult verifyTextFile(final Path file, final Workload workload, final long[] published)
        throws IOException
    {
        final RecordChecker checker = new RecordChecker(workload.recordSize(), published);
        final byte[] line = new byte[65536];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            int lineLength = 0;
            while (channel.read(buffer) > 0)
            {
                buffer.flip();
                while (buffer.hasRemaining())
                {
                    final byte b = buffer.get();
                    if (b == '\n')
                    {
                        checker.onRecord(line, 0, lineLength);
                        lineLength = 0;
                    }
                    else if (lineLength < line.length)
                    {
                        line[lineLength++] = b;
                    }
                }
                buffer.clear();
            }
            if (lineLength > 0)
            {
                checker.mangledFrame("a partial last line of " + lineLength + " bytes");
            }
        }
        return checker.result();
    }

    static VerifyResult verifyJournal(final Path dir, final Workload workload, final long[] published)
    {
        final RecordChecker checker = new RecordChecker(workload.recordSize(), published);
        final byte[] line = new byte[65536];
        try (JournalReader reader = JournalReader.open(dir, 0))
        {
            while (reader.poll((sequence, buffer, offset, length) ->
            {
                if (length == 0 || buffer.getByte(offset + length - 1) != '\n')
                {
                    checker.mangledFrame("record " + sequence + " does not end in a newline");
                    return;
                }
                buffer.getBytes(offset, line, 0, length - 1);
                checker.onRecord(line, 0, length - 1);
            }, 4096) > 0)
            {
                // drain
            }
        }
        return checker.result();
    }
}
