package io.ringwal.log4j2;

import java.io.Serializable;
import java.util.concurrent.TimeUnit;

import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderFactory;
import org.apache.logging.log4j.core.config.plugins.validation.constraints.Required;
import org.apache.logging.log4j.core.layout.PatternLayout;

import io.ringwal.journal.JournalException;
import io.ringwal.logging.FaultListener;
import io.ringwal.logging.LogJournal;
import io.ringwal.logging.LogJournalConfig;
import io.ringwal.logging.LogJournals;

/**
 * A Log4j2 appender that writes every line into a ringwal journal: the layout encodes the event straight into a
 * claimed slot of the journal's ring (garbage-free with Log4j2's direct encoders), and the journal's writer
 * thread frames each line (length, CRC32C, sequence) into memory-mapped segment files. From {@code log4j2.xml}:
 *
 * <pre>{@code
 * <Ringwal name="journal" directory="logs/app" forcePolicy="bounded:10ms:1048576">
 *   <PatternLayout pattern="%d %p %c %m%n"/>
 * </Ringwal>
 * }</pre>
 *
 * Every attribute and its default is in {@code docs/LOGGING.md}. A logging call never throws from this appender
 * (whatever {@code ignoreExceptions} says) and never waits forever: a failed journal is reported once to the
 * appender's error handler and every later line is refused and counted.
 */
@Plugin(name = "Ringwal", category = Core.CATEGORY_NAME, elementType = Appender.ELEMENT_TYPE, printObject = true)
public final class RingwalAppender extends AbstractAppender
{
    /** The layout used when none is configured. */
    public static final String DEFAULT_PATTERN = "%d %p %c [%t] %m%n";

    private final LogJournalConfig config;
    private final boolean encodeInSlot;
    private final ThreadLocal<SlotDestination> destinations;
    private final FaultListener faultListener;
    private volatile LogJournal journal;

    private RingwalAppender(
        final String name,
        final Filter filter,
        final Layout<? extends Serializable> layout,
        final boolean ignoreExceptions,
        final Property[] properties,
        final LogJournalConfig config,
        final boolean encodeInSlot)
    {
        super(name, filter, layout, ignoreExceptions, properties);
        this.config = config;
        this.encodeInSlot = encodeInSlot;
        this.destinations = ThreadLocal.withInitial(
            () -> new SlotDestination(layout, encodeInSlot ? 0 : config.maxLineSize()));
        this.faultListener = (message, cause) -> getHandler().error(message, cause);
    }

    /**
     * Starts building the appender (Log4j2 calls this for the {@code <Ringwal>} element).
     *
     * @param <B> the builder type.
     * @return the builder.
     */
    @PluginBuilderFactory
    public static <B extends Builder<B>> B newBuilder()
    {
        return new Builder<B>().asBuilder();
    }

    @Override
    public void start()
    {
        setStarting();
        try
        {
            final LogJournal acquired = LogJournals.acquire(getName(), config, faultListener);
            if (!acquired.config().equals(config))
            {
                LOGGER.warn("Ringwal appender {}: journal {} is already running with {}; the new settings {} " +
                    "take effect once every appender on the directory has stopped", getName(), config.directory(),
                    acquired.config(), config);
            }
            journal = acquired;
            super.start();
        }
        catch (final JournalException | IllegalArgumentException ex)
        {
            LOGGER.error("Ringwal appender {} cannot open its journal: {}", getName(), ex.getMessage(), ex);
            getHandler().error("Ringwal appender " + getName() + " cannot open its journal: " + ex.getMessage(),
                ex);
            setStopped();
        }
    }

    @Override
    public void append(final LogEvent event)
    {
        final LogJournal journal = this.journal;
        if (journal == null)
        {
            return;
        }
        final SlotDestination destination = destinations.get();
        final int status;
        if (encodeInSlot)
        {
            status = journal.append(destination, event);
        }
        else
        {
            try
            {
                destination.stage(event);
            }
            catch (final RuntimeException ex)
            {
                journal.countEncodeError();
                error("Ringwal appender " + getName() + ": the layout failed to encode an event", event, ex);
                return;
            }
            status = journal.append(SlotDestination.COPY_STAGED, destination);
        }
        if (destination.truncated())
        {
            journal.countTruncated();
        }
        if (status == LogJournal.ENCODE_FAILED)
        {
            error("Ringwal appender " + getName() + ": the layout failed to encode an event (an empty record " +
                "stands in the journal for it)", event, null);
        }
    }

    @Override
    public boolean stop(final long timeout, final TimeUnit timeUnit)
    {
        setStopping();
        final boolean stopped = super.stop(timeout, timeUnit, false);
        final LogJournal journal = this.journal;
        if (journal != null)
        {
            LogJournals.release(journal, faultListener);
        }
        setStopped();
        return stopped;
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
     * The settings this appender was configured with.
     *
     * @return the configuration.
     */
    public LogJournalConfig config()
    {
        return config;
    }

    /**
     * Builds a {@link RingwalAppender} from the {@code <Ringwal>} element's attributes.
     *
     * @param <B> the builder type.
     */
    public static final class Builder<B extends Builder<B>> extends AbstractAppender.Builder<B>
        implements org.apache.logging.log4j.core.util.Builder<RingwalAppender>
    {
        @PluginBuilderAttribute
        @Required(message = "No directory given for the Ringwal appender")
        private String directory;

        @PluginBuilderAttribute
        private String segmentSize;

        @PluginBuilderAttribute
        private String forcePolicy;

        @PluginBuilderAttribute
        private int ringSize;

        @PluginBuilderAttribute
        private String maxLineSize;

        @PluginBuilderAttribute
        private String slotSize;

        @PluginBuilderAttribute
        private String waitStrategy;

        @PluginBuilderAttribute
        private String ringFull;

        @PluginBuilderAttribute
        private boolean durable;

        @PluginBuilderAttribute
        private String durableTimeout;

        @PluginBuilderAttribute
        private String maxAge;

        @PluginBuilderAttribute
        private String maxTotalSize;

        @PluginBuilderAttribute
        private String retentionInterval;

        @PluginBuilderAttribute
        private boolean encodeInSlot = true;

        /** A builder with every attribute at its default. */
        public Builder()
        {
        }

        /**
         * The journal directory (required); relative to the working directory.
         *
         * @param directory the directory.
         * @return this builder.
         */
        public B setDirectory(final String directory)
        {
            this.directory = directory;
            return asBuilder();
        }

        /**
         * The force policy, e.g. {@code never}, {@code every-batch}, {@code bounded:10ms:1048576}.
         *
         * @param forcePolicy the policy.
         * @return this builder.
         */
        public B setForcePolicy(final String forcePolicy)
        {
            this.forcePolicy = forcePolicy;
            return asBuilder();
        }

        /**
         * The ring-full policy, {@code wait} or {@code drop}.
         *
         * @param ringFull the policy.
         * @return this builder.
         */
        public B setRingFull(final String ringFull)
        {
            this.ringFull = ringFull;
            return asBuilder();
        }

        /**
         * Durable mode: a logging call returns once its line is forced.
         *
         * @param durable true for durable mode.
         * @return this builder.
         */
        public B setDurable(final boolean durable)
        {
            this.durable = durable;
            return asBuilder();
        }

        /**
         * The segment file size, e.g. {@code 64MiB}.
         *
         * @param segmentSize the value.
         * @return this builder.
         */
        public B setSegmentSize(final String segmentSize)
        {
            this.segmentSize = segmentSize;
            return asBuilder();
        }

        /**
         * The number of ring slots, a power of two.
         *
         * @param ringSize the value.
         * @return this builder.
         */
        public B setRingSize(final int ringSize)
        {
            this.ringSize = ringSize;
            return asBuilder();
        }

        /**
         * The largest encoded line, e.g. {@code 8KiB}.
         *
         * @param maxLineSize the value.
         * @return this builder.
         */
        public B setMaxLineSize(final String maxLineSize)
        {
            this.maxLineSize = maxLineSize;
            return asBuilder();
        }

        /**
         * The bytes each ring slot preallocates, e.g. {@code 256}; a longer line grows its slot.
         *
         * @param slotSize the value.
         * @return this builder.
         */
        public B setSlotSize(final String slotSize)
        {
            this.slotSize = slotSize;
            return asBuilder();
        }

        /**
         * The writer thread's wait strategy, e.g. {@code default}.
         *
         * @param waitStrategy the value.
         * @return this builder.
         */
        public B setWaitStrategy(final String waitStrategy)
        {
            this.waitStrategy = waitStrategy;
            return asBuilder();
        }

        /**
         * The longest wait of a durable-mode call, e.g. {@code 10s}.
         *
         * @param durableTimeout the value.
         * @return this builder.
         */
        public B setDurableTimeout(final String durableTimeout)
        {
            this.durableTimeout = durableTimeout;
            return asBuilder();
        }

        /**
         * Retention by age, e.g. {@code 7d}.
         *
         * @param maxAge the value.
         * @return this builder.
         */
        public B setMaxAge(final String maxAge)
        {
            this.maxAge = maxAge;
            return asBuilder();
        }

        /**
         * Retention by total size, e.g. {@code 10GiB}.
         *
         * @param maxTotalSize the value.
         * @return this builder.
         */
        public B setMaxTotalSize(final String maxTotalSize)
        {
            this.maxTotalSize = maxTotalSize;
            return asBuilder();
        }

        /**
         * How often retention runs, e.g. {@code 10s}.
         *
         * @param retentionInterval the value.
         * @return this builder.
         */
        public B setRetentionInterval(final String retentionInterval)
        {
            this.retentionInterval = retentionInterval;
            return asBuilder();
        }

        /**
         * Whether the layout encodes straight into the claimed ring slot (true, the default) or into a per-thread
         * buffer that is then copied into the slot (false: holds the slot only for the copy).
         *
         * @param encodeInSlot true to encode in the slot.
         * @return this builder.
         */
        public B setEncodeInSlot(final boolean encodeInSlot)
        {
            this.encodeInSlot = encodeInSlot;
            return asBuilder();
        }

        @Override
        public RingwalAppender build()
        {
            if (getName() == null)
            {
                LOGGER.error("No name given for the Ringwal appender");
                return null;
            }
            if (directory == null || directory.isBlank())
            {
                LOGGER.error("No directory given for the Ringwal appender {}", getName());
                return null;
            }
            final LogJournalConfig config;
            try
            {
                config = LogJournalConfig.builder(java.nio.file.Path.of(directory))
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
                LOGGER.error("Ringwal appender {} has a bad attribute: {}", getName(), ex.getMessage());
                return null;
            }
            final Layout<? extends Serializable> layout = getLayout() != null ? getLayout() :
                PatternLayout.newBuilder().setPattern(DEFAULT_PATTERN).setConfiguration(getConfiguration())
                    .build();
            return new RingwalAppender(getName(), getFilter(), layout, isIgnoreExceptions(), getPropertyArray(),
                config, encodeInSlot);
        }
    }
}
