package io.ringwal.peers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.async.AsyncLoggerContext;
import org.apache.logging.log4j.core.jmx.RingBufferAdmin;

/**
 * Log4j2 with all loggers asynchronous ({@code AsyncLoggerContextSelector}, the LMAX Disruptor inside) and a
 * {@code %m%n} layout, into its MemoryMappedFile appender or its RandomAccessFile appender, both with
 * {@code immediateFlush="false"}. Each producer logs its payload as a new {@code String} (what most users write;
 * with {@code -Dpeers.log4j.reusableChars=true} it logs a reused {@link CharSequence} view instead, which showed
 * records read back out of order with two producers: Log4j kept a reference rather than a copy). Everything else is
 * Log4j's default (ring of 256 Ki events; a full ring makes the caller wait). Log4j offers no way to learn when a
 * record reached the file, so this contender has no completion latency; "all written" is when its ring is empty
 * and the context has stopped.
 */
public final class Log4jContender implements Contender
{
    private static final String FILE_NAME = "peers.log";

    private final String name;
    private final boolean mapped;
    private Logger logger;
    private PayloadChars[] chars;
    private AsyncLoggerContext context;
    private final boolean reusableChars = Boolean.getBoolean("peers.log4j.reusableChars");

    /**
     * A Log4j2 contender.
     *
     * @param name   its name.
     * @param mapped true for the MemoryMappedFile appender, false for RandomAccessFile.
     */
    public Log4jContender(final String name, final boolean mapped)
    {
        this.name = name;
        this.mapped = mapped;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public void open(final Path dir, final Workload workload) throws IOException
    {
        final Path file = dir.resolve(FILE_NAME).toAbsolutePath();
        final String appender = mapped ?
            "<MemoryMappedFile name=\"out\" fileName=\"" + file + "\" immediateFlush=\"false\" append=\"false\">" +
            "<PatternLayout pattern=\"%m%n\"/></MemoryMappedFile>" :
            "<RandomAccessFile name=\"out\" fileName=\"" + file + "\" immediateFlush=\"false\" append=\"false\">" +
            "<PatternLayout pattern=\"%m%n\"/></RandomAccessFile>";
        final Path config = dir.resolve("log4j2.xml");
        Files.writeString(config, "<Configuration status=\"warn\"><Appenders>" + appender + "</Appenders>" +
            "<Loggers><Root level=\"info\" includeLocation=\"false\"><AppenderRef ref=\"out\"/></Root></Loggers>" +
            "</Configuration>\n");
        System.setProperty("log4j2.contextSelector", "org.apache.logging.log4j.core.async.AsyncLoggerContextSelector");
        System.setProperty("log4j2.configurationFile", config.toUri().toString());
        System.setProperty("log4j2.enableThreadlocals", "true");
        System.setProperty("log4j2.enableDirectEncoders", "true");
        System.setProperty("log4j2.isWebapp", "false");
        logger = LogManager.getLogger("peers");
        context = (AsyncLoggerContext)LogManager.getContext(false);
        chars = new PayloadChars[workload.producers()];
        for (int p = 0; p < chars.length; p++)
        {
            chars[p] = new PayloadChars();
        }
    }

    @Override
    public long publish(final int producer, final byte[] payload)
    {
        if (reusableChars)
        {
            final PayloadChars cs = chars[producer];
            cs.bytes = payload;
            logger.info(cs);
        }
        else
        {
            logger.info(new String(payload, StandardCharsets.ISO_8859_1));
        }
        return 0;
    }

    @Override
    public Completion completion()
    {
        return Completion.UNKNOWN;
    }

    @Override
    public long completedTicket(final int producer)
    {
        return Long.MIN_VALUE;
    }

    @Override
    public void awaitAll()
    {
        final RingBufferAdmin admin = context.createRingBufferAdmin();
        while (admin.getRemainingCapacity() < admin.getBufferSize())
        {
            LockSupport.parkNanos(20_000);
        }
        LogManager.shutdown();
    }

    @Override
    public void close()
    {
        LogManager.shutdown();
    }

    @Override
    public VerifyResult readBackAndVerify(final Path dir, final Workload workload, final long[] published)
        throws IOException
    {
        final RecordChecker checker = new RecordChecker(workload.recordSize(), published);
        final byte[] line = new byte[65536];
        try (FileChannel channel = FileChannel.open(dir.resolve(FILE_NAME), StandardOpenOption.READ))
        {
            final ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            int lineLength = 0;
            boolean end = false;
            while (!end && channel.read(buffer) > 0)
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
                    else if (b == 0 && lineLength == 0)
                    {
                        end = true; // the mapped appender's zero-filled tail
                        break;
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

    /** A reusable character view of a payload's ASCII bytes, so logging it allocates nothing. */
    private static final class PayloadChars implements CharSequence
    {
        private byte[] bytes;

        @Override
        public int length()
        {
            return bytes.length;
        }

        @Override
        public char charAt(final int index)
        {
            return (char)(bytes[index] & 0xFF);
        }

        @Override
        public CharSequence subSequence(final int start, final int end)
        {
            return new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString()
        {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }
}
