package io.ringwal.logback;

import java.nio.file.Path;
import java.util.Arrays;

import org.agrona.MutableDirectBuffer;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.joran.spi.DefaultClass;

import io.ringwal.disruptor.RecordTranslator;
import io.ringwal.journal.JournalException;
import io.ringwal.logging.FaultListener;
import io.ringwal.logging.LogJournal;
import io.ringwal.logging.LogJournalConfig;
import io.ringwal.logging.LogJournals;

/**
 * A Logback appender that writes every line into a ringwal journal: the encoder's bytes are copied into a claimed
 * slot of the journal's ring, and the journal's writer thread frames each line (length, CRC32C, sequence) into
 * memory-mapped segment files. From {@code logback.xml}:
 *
 * <pre>{@code
 * <appender name="journal" class="io.ringwal.logback.RingwalAppender">
 *   <directory>logs/app</directory>
 *   <forcePolicy>bounded:10ms:1048576</forcePolicy>
 *   <encoder><pattern>%d %p %c %m%n</pattern></encoder>
 * </appender>
 * }</pre>
 *
 * Every property and its default is in {@code docs/LOGGING.md}. A logging call never throws from this appender
 * and never waits forever: a failed journal is reported once to the context's status manager and every later
 * line is refused and counted. Logback's encoders produce a {@code byte[]} per event, so this appender is not
 * garbage-free (the Log4j2 appender is).
 */
public final class RingwalAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
{
    /** The encoder pattern used when no encoder is configured. */
    public static final String DEFAULT_PATTERN = "%d %p %c [%t] %m%n";

    private static final RecordTranslator<byte[]> COPY = RingwalAppender::copy;

    private final FaultListener faultListener = this::addError;
    private Encoder<ILoggingEvent> encoder;
    private String directory;
    private String segmentSize;
    private String forcePolicy;
    private int ringSize;
    private String maxLineSize;
    private String slotSize;
    private String waitStrategy;
    private String ringFull;
    private boolean durable;
    private String durableTimeout;
    private String maxAge;
    private String maxTotalSize;
    private String retentionInterval;
    private LogJournalConfig config;
    private volatile LogJournal journal;

    /** An appender with every property at its default; Logback sets them from the XML, then starts it. */
    public RingwalAppender()
    {
    }

    @Override
    public void start()
    {
        if (directory == null || directory.isBlank())
        {
            addError("No <directory> given for the Ringwal appender named [" + name + "]");
            return;
        }
        try
        {
            config = LogJournalConfig.builder(Path.of(directory.trim()))
                .segmentSize(segmentSize)
                .forcePolicy(forcePolicy)
                .ringSize(ringSize)
                .maxLineSize(maxLineSize)
                .slotSize(slotSize)
                .waitStrategy(waitStrategy)
                .ringFull(ringFull)
                .durable(durable)
                .durableTimeout(durableTimeout)
                .maxAge(maxAge)
                .maxTotalSize(maxTotalSize)
                .retentionInterval(retentionInterval)
                .build();
        }
        catch (final IllegalArgumentException ex)
        {
            addError("Ringwal appender [" + name + "] has a bad property: " + ex.getMessage());
            return;
        }
        if (encoder == null)
        {
            final PatternLayoutEncoder pattern = new PatternLayoutEncoder();
            pattern.setContext(getContext());
            pattern.setPattern(DEFAULT_PATTERN);
            pattern.start();
            encoder = pattern;
        }
        try
        {
            final LogJournal acquired = LogJournals.acquire(name, config, faultListener);
            if (!acquired.config().equals(config))
            {
                addWarn("Ringwal appender [" + name + "]: journal " + config.directory() + " is already running " +
                    "with " + acquired.config() + "; the new settings take effect once every appender on the " +
                    "directory has stopped");
            }
            journal = acquired;
        }
        catch (final JournalException ex)
        {
            addError("Ringwal appender [" + name + "] cannot open its journal: " + ex.getMessage(), ex);
            return;
        }
        super.start();
    }

    @Override
    protected void append(final ILoggingEvent event)
    {
        final LogJournal journal = this.journal;
        if (journal == null)
        {
            return;
        }
        byte[] line;
        try
        {
            line = encoder.encode(event);
        }
        catch (final RuntimeException ex)
        {
            addError("Ringwal appender [" + name + "]: the encoder failed on an event", ex);
            return;
        }
        final int maxLineSize = journal.config().maxLineSize();
        if (line.length > maxLineSize)
        {
            journal.countTruncated();
            line = Arrays.copyOf(line, maxLineSize); // the encoder allocated the line already; long lines are rare
        }
        journal.append(COPY, line);
    }

    private static int copy(final MutableDirectBuffer buffer, final byte[] line)
    {
        buffer.putBytes(0, line, 0, line.length); // grows the slot to the line
        return line.length;
    }

    @Override
    public void stop()
    {
        if (!isStarted())
        {
            return;
        }
        super.stop();
        final LogJournal journal = this.journal;
        if (journal != null)
        {
            LogJournals.release(journal, faultListener);
        }
    }

    /**
     * The journal lines go to (null until started, or if it could not be opened): its counters tell lines
     * written, dropped, refused and cut.
     *
     * @return the journal.
     */
    public LogJournal journal()
    {
        return journal;
    }

    /**
     * The encoder (a {@link PatternLayoutEncoder} when the XML names no class).
     *
     * @param encoder the encoder.
     */
    @DefaultClass(PatternLayoutEncoder.class)
    public void setEncoder(final Encoder<ILoggingEvent> encoder)
    {
        this.encoder = encoder;
    }

    /**
     * The journal directory (required).
     *
     * @param directory the directory.
     */
    public void setDirectory(final String directory)
    {
        this.directory = directory;
    }

    /**
     * The segment file size, e.g. {@code 64MiB}.
     *
     * @param segmentSize the size.
     */
    public void setSegmentSize(final String segmentSize)
    {
        this.segmentSize = segmentSize;
    }

    /**
     * The force policy: {@code never}, {@code every-batch} or {@code bounded:<millis>ms:<bytes>}.
     *
     * @param forcePolicy the policy.
     */
    public void setForcePolicy(final String forcePolicy)
    {
        this.forcePolicy = forcePolicy;
    }

    /**
     * The number of ring slots, a power of two.
     *
     * @param ringSize the size.
     */
    public void setRingSize(final int ringSize)
    {
        this.ringSize = ringSize;
    }

    /**
     * The largest encoded line, e.g. {@code 8KiB}; longer lines are cut and counted.
     *
     * @param maxLineSize the size.
     */
    public void setMaxLineSize(final String maxLineSize)
    {
        this.maxLineSize = maxLineSize;
    }

    /**
     * The bytes each ring slot preallocates, e.g. {@code 256}; a longer line grows its slot.
     *
     * @param slotSize the size.
     */
    public void setSlotSize(final String slotSize)
    {
        this.slotSize = slotSize;
    }

    /**
     * The writer thread's wait strategy: {@code default}, {@code blocking}, {@code yielding}, {@code sleeping},
     * {@code busy-spin}.
     *
     * @param waitStrategy the name.
     */
    public void setWaitStrategy(final String waitStrategy)
    {
        this.waitStrategy = waitStrategy;
    }

    /**
     * What a logging call does when the ring is full: {@code wait} or {@code drop}.
     *
     * @param ringFull the policy.
     */
    public void setRingFull(final String ringFull)
    {
        this.ringFull = ringFull;
    }

    /**
     * Durable mode: a logging call returns once its line is forced (or its timeout passed).
     *
     * @param durable true for durable mode.
     */
    public void setDurable(final boolean durable)
    {
        this.durable = durable;
    }

    /**
     * The longest wait of a durable-mode call, e.g. {@code 10s}.
     *
     * @param durableTimeout the duration.
     */
    public void setDurableTimeout(final String durableTimeout)
    {
        this.durableTimeout = durableTimeout;
    }

    /**
     * Retention by age, e.g. {@code 7d}.
     *
     * @param maxAge the age.
     */
    public void setMaxAge(final String maxAge)
    {
        this.maxAge = maxAge;
    }

    /**
     * Retention by total size, e.g. {@code 10GiB}.
     *
     * @param maxTotalSize the size.
     */
    public void setMaxTotalSize(final String maxTotalSize)
    {
        this.maxTotalSize = maxTotalSize;
    }

    /**
     * How often retention runs, e.g. {@code 10s}.
     *
     * @param retentionInterval the interval.
     */
    public void setRetentionInterval(final String retentionInterval)
    {
        this.retentionInterval = retentionInterval;
    }
}
