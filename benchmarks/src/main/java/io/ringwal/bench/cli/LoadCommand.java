package io.ringwal.bench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.LiteTimeoutBlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.ProducerType;

import io.ringwal.bench.load.DirectWriterTarget;
import io.ringwal.bench.load.DurableLog;
import io.ringwal.bench.load.ForceTimes;
import io.ringwal.bench.load.LoadGenerator;
import io.ringwal.bench.load.LoadReport;
import io.ringwal.bench.load.LoadResult;
import io.ringwal.bench.load.LoadTarget;
import io.ringwal.bench.load.PipelineTarget;
import io.ringwal.bench.load.ProgressReporter;
import io.ringwal.bench.load.ReadBackVerifier;
import io.ringwal.bench.load.RecordSizes;
import io.ringwal.bench.load.VerifyResult;
import io.ringwal.cli.ByteSizeConverter;
import io.ringwal.disruptor.Framing;
import io.ringwal.disruptor.JournalPipeline;
import io.ringwal.disruptor.JournalPipelineBuilder;
import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalSpace;
import io.ringwal.journal.WriteMode;
import io.ringwal.segment.PreallocationMode;
import io.ringwal.segment.PretouchMode;
import io.ringwal.cli.RingwalCommand;
import io.ringwal.cli.RingwalSubcommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.agrona.IoUtil;

/**
 * {@code ringwal load}: producers publish records through the Disruptor pipeline (or, with {@code --target writer},
 * one thread drives the journal writer directly); prints progress every second, reports throughput, latency
 * percentiles, forces, GC and threads, then verifies the journal and reads every record back.
 */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Publish records from producer threads through the Disruptor pipeline into a journal.",
        "Prints progress every second, reports throughput and latency (HdrHistogram), then verifies the " +
            "journal (JournalVerifier) and reads every record back, checking each producer's records come back " +
            "complete and in order."
    },
    footer = {
        "",
        "Examples:",
        "  ./ringwal load                                   20 s, 1 producer, 256 B records, force every batch",
        "  ./ringwal load --producers 2 --duration 10",
        "  ./ringwal load --rate 50000 --duration 20        latency from intended send times",
        "  ./ringwal load --records 2000000 --record-size 64-4096 --force-policy never",
        "  ./ringwal load --force-policy bounded:10ms:1048576 --wait-strategy phased",
        "  ./ringwal load --target writer --batch 64        the old path: the producer drives JournalWriter",
        "  ./ringwal load --dir /data/wal-test --keep --json --hgrm hist > result.json",
        "",
        "Wait strategies (how the writer thread waits for records): phased (default: spins 10 us, yields up to " +
            "1 ms, then blocks with a timeout that wakes it to force when a bounded policy's time is due), " +
            "lite-timeout (blocks at once: every publish to a sleeping writer pays a wake-up), blocking, " +
            "sleeping, yielding, busy-spin. On 2 cores avoid yielding and busy-spin: they keep the writer on a " +
            "core and starve producers and the allocator; with a bounded policy only phased and lite-timeout " +
            "keep the time bound when records stop coming.",
        "",
        "Latency: publish = the publish call; ->durable = until the durable advance (a force) covering the " +
            "record, timestamped on the writer thread. With --rate both count from each record's intended send " +
            "time.",
        "Run it on the disk you care about (--dir); tmpfs has no real forces.",
        "Exit codes: 0 verified, 1 run or verification failed, 2 bad arguments."
    })
public final class LoadCommand implements Callable<Integer>, RingwalSubcommand
{
    /** Which journal front end the producers drive. */
    enum Target
    {
        /** The Disruptor pipeline. */
        pipeline,
        /** The core JournalWriter, driven by the one producer. */
        writer
    }

    /** The writer thread's wait strategy. */
    enum Wait
    {
        /** The pipeline's default: spin, then yield, then LiteTimeoutBlockingWaitStrategy with the idle timeout. */
        PHASED("phased"),
        /** LiteTimeoutBlockingWaitStrategy with the pipeline's idle timeout (blocks as soon as the ring is empty). */
        LITE_TIMEOUT("lite-timeout"),
        /** BlockingWaitStrategy. */
        BLOCKING("blocking"),
        /** SleepingWaitStrategy. */
        SLEEPING("sleeping"),
        /** YieldingWaitStrategy. */
        YIELDING("yielding"),
        /** BusySpinWaitStrategy. */
        BUSY_SPIN("busy-spin");

        private final String text;

        Wait(final String text)
        {
            this.text = text;
        }

        @Override
        public String toString()
        {
            return text;
        }

        static Wait parse(final String value)
        {
            for (final Wait wait : values())
            {
                if (wait.text.equalsIgnoreCase(value.trim()))
                {
                    return wait;
                }
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not a wait strategy (phased, " +
                "lite-timeout, blocking, sleeping, yielding, busy-spin)");
        }
    }

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--target", paramLabel = "pipeline|writer", defaultValue = "pipeline",
        description = "pipeline: producers publish through JournalPipeline; writer: one producer drives " +
            "JournalWriter directly (default: ${DEFAULT-VALUE}).")
    private Target target;

    @Option(names = "--producers", paramLabel = "N", defaultValue = "1",
        description = "Producer threads (default: ${DEFAULT-VALUE}).")
    private int producers;

    @Option(names = "--records", paramLabel = "N",
        description = "Stop after N records in total (instead of --duration).")
    private Long records;

    @Option(names = "--duration", paramLabel = "SECONDS",
        description = "Stop after this many seconds (default: 20 unless --records is given).")
    private Double duration;

    @Option(names = "--record-size", paramLabel = "BYTES|MIN-MAX", defaultValue = "256",
        converter = Converters.Sizes.class,
        description = "Payload size, fixed or uniformly random in MIN-MAX, at least 8 (default: ${DEFAULT-VALUE}).")
    private RecordSizes sizes;

    @Option(names = "--rate", paramLabel = "RECORDS_PER_S", defaultValue = "0",
        description = "Offered rate over all producers; 0 = unbounded. With a rate, latency counts from each " +
            "record's intended send time (coordinated omission) (default: ${DEFAULT-VALUE}).")
    private long rate;

    @Option(names = "--force-policy", paramLabel = "POLICY", defaultValue = "every-batch",
        converter = Converters.Policy.class,
        description = "every-batch | never | bounded:<ms>ms:<bytes> (default: ${DEFAULT-VALUE}).")
    private ForcePolicy forcePolicy;

    @Option(names = "--segment-size", paramLabel = "SIZE", defaultValue = "64MiB",
        converter = ByteSizeConverter.class,
        description = "Segment file size, a power of two from 64KiB to 1GiB (default: ${DEFAULT-VALUE}).")
    private int segmentSize;

    @Option(names = "--ring-size", paramLabel = "N", defaultValue = "" + JournalPipelineBuilder.DEFAULT_RING_SIZE,
        description = "Ring slots, a power of two (pipeline) (default: ${DEFAULT-VALUE}).")
    private int ringSize;

    @Option(names = "--max-record-size", paramLabel = "BYTES", converter = ByteSizeConverter.class,
        description = "Largest record the pipeline accepts (default: the largest --record-size).")
    private Integer maxRecordSize;

    @Option(names = "--slot-size", paramLabel = "BYTES", converter = ByteSizeConverter.class,
        description = "Payload bytes each ring slot preallocates; longer records grow their slot (pipeline) " +
            "(default: the pipeline's default, 256 or the maximum record size when smaller).")
    private Integer slotSize;

    @Option(names = "--wait-strategy", paramLabel = "NAME", defaultValue = "phased",
        converter = WaitConverter.class,
        description = "phased | lite-timeout | blocking | sleeping | yielding | busy-spin (pipeline) (default: " +
            "${DEFAULT-VALUE}).")
    private Wait waitStrategy;

    @Option(names = "--framing", paramLabel = "writer|producer", defaultValue = "writer",
        converter = FramingConverter.class,
        description = "Where frames (header, CRC32C) are built: on the writer thread or by each producer in its " +
            "ring slot (pipeline) (default: ${DEFAULT-VALUE}).")
    private Framing framing;

    @Option(names = "--batch", paramLabel = "N",
        description = "pipeline: largest batch the writer takes before it ends the batch (default: no limit but the ring); " +
            "writer: records per batch (default 64).")
    private Integer batch;

    @Option(names = "--preallocation", paramLabel = "MODE",
        description = "How segments get their blocks: adaptive | direct | buffered | buffered_pages | sparse " +
            "(default: the journal's, adaptive: buffered 1 MiB zero-fill with staged writes; with mapped writes " +
            "page-sized zero-fill while forces are small, direct once large).")
    private PreallocationMode preallocation;

    @Option(names = "--write-mode", paramLabel = "MODE",
        description = "How the writer puts frames into the segment file: mapped (stores through the mapping) | " +
            "staged (write(2) of each batch from a staging buffer). Default: the journal's, staged.")
    private WriteMode writeMode;

    @Option(names = "--pretouch", paramLabel = "MODE",
        description = "How new segments' pages are faulted in: none | read | write. Default: the journal's, " +
            "read with staged writes, write with mapped ones.")
    private PretouchMode pretouch;

    @Option(names = "--dir", paramLabel = "DIR",
        description = "Journal directory (default: a fresh ./ringwal-data/load-<timestamp>, deleted after a " +
            "verified run unless --keep).")
    private Path dir;

    @Option(names = "--no-background-write-back",
        description = "Under never and bounded, write the active segment back only at forces and rotations " +
            "instead of every MiB in the background (less interference with publishers, longer rotations).")
    private boolean noBackgroundWriteBack;

    @Option(names = "--retain", paramLabel = "SIZE", converter = ByteSizeConverter.class,
        description = "Retention: keep at most this many bytes of segments (e.g. 256MiB); older segments are " +
            "retired on the allocator thread and, unless --no-recycle, reused as new segments without a " +
            "zero-fill. Default: keep everything. The read-back then checks the records retained.")
    private Integer retain;

    @Option(names = "--no-recycle", description = "With --retain, delete retired segments instead of reusing them.")
    private boolean noRecycle;

    @Option(names = "--pipelined-force", negatable = true, fallbackValue = "true",
        description = "pipeline: force on a thread of its own while the writer goes on appending (--pipelined-force) " +
            "or on the writer thread at the end of each batch (--no-pipelined-force). Default: the pipeline's " +
            "default, synchronous.")
    private Boolean pipelinedForce;

    @Option(names = "--pipelined-force-min-record-bytes", paramLabel = "BYTES", converter = ByteSizeConverter.class,
        description = "With pipelined forcing, the force thread takes the forces whose records average at least this " +
            "many bytes per frame (header included); the writer thread forces smaller ones itself; 0 pipelines every " +
            "force (default: the journal's, 512).")
    private Integer pipelinedForceMinRecordBytes;

    @Option(names = "--pipelined-force-min-batch-bytes", paramLabel = "BYTES", converter = ByteSizeConverter.class,
        description = "With pipelined forcing, the fewest bytes a batch must leave unforced for the force thread to " +
            "take its force; the writer thread forces smaller batches itself; 0 for no minimum (default: the " +
            "journal's, 256KiB).")
    private Integer pipelinedForceMinBatchBytes;

    @Option(names = "--reserve", paramLabel = "N",
        description = "Reserve N free segment files in the journal directory before the run (JournalSpace.reserve, " +
            "as an operator would at install time), so that no segment is zero-filled while it runs. Default: 0.")
    private int reserve;

    @Option(names = "--keep", description = "Keep the default journal directory after the run.")
    private boolean keep;

    @Option(names = "--json", description = "Print the report as one JSON object on stdout (progress on stderr).")
    private boolean json;

    @Option(names = "--hgrm", paramLabel = "DIR",
        description = "Write the publish, publish->durable and force-time histograms into DIR " +
            "(HdrHistogram percentile distributions, microseconds).")
    private Path hgrm;

    /** picocli converter for {@link Wait}. */
    static final class WaitConverter implements CommandLine.ITypeConverter<Wait>
    {
        @Override
        public Wait convert(final String value)
        {
            return Wait.parse(value);
        }
    }

    /** picocli converter for {@link Framing}. */
    static final class FramingConverter implements CommandLine.ITypeConverter<Framing>
    {
        @Override
        public Framing convert(final String value)
        {
            for (final Framing framing : Framing.values())
            {
                if (framing.name().equalsIgnoreCase(value.trim()))
                {
                    return framing;
                }
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not a framing (writer, producer)");
        }
    }

    /**
     * Creates the command (picocli fills in its options).
     */
    public LoadCommand()
    {
    }

    @Override
    public Integer call() throws IOException
    {
        validate();
        final PrintWriter out = json ? spec.commandLine().getErr() : spec.commandLine().getOut();
        final PrintWriter stdout = spec.commandLine().getOut();
        final long maxRecords = records != null ? records : Long.MAX_VALUE;
        final double seconds = duration != null ? duration : (records != null ? 0 : 20);
        final long durationNanos = seconds > 0 ? (long)(seconds * 1e9) : Long.MAX_VALUE;
        final int batchSize = batch != null ? batch :
            (target == Target.pipeline ? JournalPipelineBuilder.DEFAULT_MAX_BATCH_SIZE : 64);
        final ForceTimes forceTimes = new ForceTimes();
        final JournalConfig config = journalConfig(forceTimes);

        final boolean defaultDir = dir == null;
        final Path directory = defaultDir ? freshDirectory() : dir;
        if (reserve < 0)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--reserve=" + reserve + " must not be negative");
        }
        if (reserve > 0)
        {
            JournalSpace.reserve(directory, config, reserve);
        }
        final StringBuilder settings = new StringBuilder(256);
        settings.append("target=").append(target).append(" producers=").append(producers)
            .append(" records=").append(records != null ? records : "-")
            .append(" duration=").append(durationNanos == Long.MAX_VALUE ? "-" : seconds + "s")
            .append(" record-size=").append(sizes).append(" rate=").append(rate == 0 ? "unbounded" : rate + "/s")
            .append(" force-policy=").append(forcePolicy).append(" segment-size=").append(segmentSize)
            .append(" preallocation=").append(config.preallocationMode() == config.effectivePreallocationMode() ?
                config.preallocationMode() : config.preallocationMode() + "(" + config.effectivePreallocationMode() + ")")
            .append(" write-mode=").append(config.writeMode().name().toLowerCase(java.util.Locale.ROOT))
            .append(" pretouch=").append(config.pretouchMode().name().toLowerCase(java.util.Locale.ROOT))
            .append(" background-write-back=").append(config.backgroundWriteBack());
        if (target == Target.pipeline)
        {
            settings.append(" ring-size=").append(ringSize).append(" max-record-size=")
                .append(pipelineMaxRecordSize()).append(" slot-size=").append(pipelineSlotSize())
                .append(" wait-strategy=").append(waitStrategy)
                .append(" framing=").append(framing.name().toLowerCase(java.util.Locale.ROOT))
                .append(" max-batch=").append(batchSize == Integer.MAX_VALUE ? "ring" : Integer.toString(batchSize))
                .append(" producer-type=").append(producers == 1 ? "single" : "multi")
                .append(" pipelined-force=").append(pipelinedForce()
                    ? "batches-from-" + config.pipelinedForceMinBatchBytes() + "B-records-from-" +
                        config.pipelinedForceMinRecordBytes() + "B" : "off");
        }
        else
        {
            settings.append(" batch=").append(batchSize);
        }
        final DurableLog durableLog = new DurableLog(DurableLog.DEFAULT_CAPACITY);
        // built (and so checked: ring memory, record size) before anything is printed, so that a bad combination
        // of options prints its one error line and nothing else
        final LoadTarget loadTarget = newTarget(directory, config, durableLog, forceTimes, batchSize);
        out.println("ringwal load: journal " + directory.toAbsolutePath());
        out.println("ringwal load: " + settings);

        final LoadResult result;
        try (loadTarget)
        {
            loadTarget.start();
            final LoadGenerator generator = new LoadGenerator(loadTarget, sizes, producers, maxRecords,
                durationNanos, batchSize, rate, durableLog, forceTimes);
            final ProgressReporter reporter = new ProgressReporter(generator.producers(), loadTarget,
                loadTarget.nextSequence(), out);
            try
            {
                result = generator.run(rate);
            }
            finally
            {
                reporter.close();
            }
        }

        out.println("ringwal load: verifying (JournalVerifier, then reading every record back) ...");
        final VerifyResult verify = new ReadBackVerifier().verify(directory, result.firstSequence,
            result.publishedPerProducer, sizes.min(), sizes.max());
        if (json)
        {
            stdout.println(LoadReport.json(directory.toAbsolutePath().toString(), target.name(),
                settings.toString(), result, verify));
        }
        else
        {
            stdout.print(LoadReport.text(settings.toString(), result, verify));
        }
        if (hgrm != null)
        {
            final List<Path> files = LoadReport.writeHistograms(hgrm, result);
            out.println("ringwal load: histograms written: " + files);
        }

        if (verify.ok() && defaultDir && !keep)
        {
            deleteRecursively(directory);
            out.println("ringwal load: deleted " + directory + " (use --keep or --dir to keep the journal)");
        }
        else
        {
            out.println("ringwal load: journal kept in " + directory.toAbsolutePath());
        }
        out.flush();
        stdout.flush();
        return verify.ok() ? 0 : RingwalCommand.EXIT_FAILED;
    }

    private JournalConfig journalConfig(final ForceTimes forceTimes)
    {
        try
        {
            final JournalConfig.Builder builder = JournalConfig.builder()
                .segmentSize(segmentSize)
                .forcePolicy(forcePolicy)
                .forceObserver(forceTimes)
                .backgroundWriteBack(!noBackgroundWriteBack)
                .recycleSegments(!noRecycle);
            if (retain != null)
            {
                builder.retention(io.ringwal.journal.RetentionPolicy.maxBytes(retain));
            }
            if (preallocation != null)
            {
                builder.preallocationMode(preallocation);
            }
            if (writeMode != null)
            {
                builder.writeMode(writeMode);
            }
            if (pretouch != null)
            {
                builder.pretouchMode(pretouch);
            }
            if (pipelinedForceMinRecordBytes != null)
            {
                builder.pipelinedForceMinRecordBytes(pipelinedForceMinRecordBytes);
            }
            if (pipelinedForceMinBatchBytes != null)
            {
                builder.pipelinedForceMinBatchBytes(pipelinedForceMinBatchBytes);
            }
            if (pipelineMaxRecordSize() > JournalConfig.DEFAULT_MAX_RECORD_SIZE)
            {
                builder.maxRecordSize(pipelineMaxRecordSize());
            }
            return builder.build();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage(), ex);
        }
    }

    private int pipelineMaxRecordSize()
    {
        return maxRecordSize != null ? maxRecordSize : Math.max(sizes.max(), 8);
    }

    /** Whether the pipeline forces on a thread of its own: --[no-]pipelined-force, else the pipeline's default. */
    private boolean pipelinedForce()
    {
        return pipelinedForce != null ? pipelinedForce : JournalPipelineBuilder.DEFAULT_PIPELINED_FORCE;
    }

    /** The slot size the pipeline gets: --slot-size, or the pipeline's default for the maximum record size. */
    private int pipelineSlotSize()
    {
        return slotSize != null ? slotSize :
            Math.min(JournalPipelineBuilder.DEFAULT_SLOT_SIZE, pipelineMaxRecordSize());
    }

    private LoadTarget newTarget(
        final Path directory,
        final JournalConfig config,
        final DurableLog durableLog,
        final ForceTimes forceTimes,
        final int batchSize)
    {
        if (target == Target.writer)
        {
            return new DirectWriterTarget(directory, config, durableLog);
        }
        final JournalPipelineBuilder builder = JournalPipeline.builder(directory)
            .journalConfig(config)
            .ringSize(ringSize)
            .producerType(producers == 1 ? ProducerType.SINGLE : ProducerType.MULTI)
            .maxRecordSize(pipelineMaxRecordSize())
            .slotSize(pipelineSlotSize())
            .maxBatchSize(batchSize)
            .framing(framing)
            .pipelinedForce(pipelinedForce())
            .durabilityListener(durableLog);
        final WaitStrategy strategy = waitStrategy(waitStrategy);
        if (strategy != null)
        {
            builder.waitStrategy(strategy);
        }
        try
        {
            return new PipelineTarget(builder.build(), forceTimes);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage(), ex);
        }
    }

    private WaitStrategy waitStrategy(final Wait wait)
    {
        switch (wait)
        {
            case BLOCKING:
                return new BlockingWaitStrategy();
            case SLEEPING:
                return new SleepingWaitStrategy();
            case YIELDING:
                return new YieldingWaitStrategy();
            case BUSY_SPIN:
                return new BusySpinWaitStrategy();
            case LITE_TIMEOUT:
                return new LiteTimeoutBlockingWaitStrategy(liteTimeoutNanos(), TimeUnit.NANOSECONDS);
            case PHASED:
            default:
                return null; // the pipeline's default: spin, yield, then a lite blocking wait with its idle timeout
        }
    }

    private long liteTimeoutNanos()
    {
        final ForcePolicy policy = forcePolicy;
        return policy.kind() == ForcePolicy.Kind.BOUNDED ?
            Math.max(TimeUnit.MICROSECONDS.toNanos(100), policy.maxDelayNanos() / 4) : TimeUnit.MILLISECONDS.toNanos(10);
    }

    private void validate()
    {
        final CommandLine cmd = spec.commandLine();
        if (records != null && duration != null)
        {
            throw new CommandLine.ParameterException(cmd, "give either --records or --duration, not both");
        }
        if (records != null && records <= 0)
        {
            throw new CommandLine.ParameterException(cmd, "--records=" + records + " must be positive");
        }
        if (duration != null && !(duration > 0 && duration < TimeUnit.DAYS.toSeconds(365)))
        {
            throw new CommandLine.ParameterException(cmd, "--duration=" + duration + " must be positive (seconds)");
        }
        if (producers < 1 || producers > 1024)
        {
            throw new CommandLine.ParameterException(cmd, "--producers=" + producers + " must be 1..1024");
        }
        if (target == Target.writer && producers != 1)
        {
            throw new CommandLine.ParameterException(cmd, "--target writer runs exactly one producer (the " +
                "producer is the writer); use --target pipeline for --producers " + producers);
        }
        if (batch != null && batch < 1)
        {
            throw new CommandLine.ParameterException(cmd, "--batch=" + batch + " must be at least 1");
        }
        if (rate < 0)
        {
            throw new CommandLine.ParameterException(cmd, "--rate=" + rate + " must not be negative");
        }
        if (ringSize < 2 || Integer.bitCount(ringSize) != 1)
        {
            throw new CommandLine.ParameterException(cmd, "--ring-size=" + ringSize + " must be a power of two, " +
                "at least 2");
        }
        if (sizes.min() < 8)
        {
            throw new CommandLine.ParameterException(cmd, "--record-size " + sizes + " is below 8 bytes: every " +
                "record carries an 8-byte producer stamp");
        }
        if (sizes.max() > JournalConfig.maxPayloadFor(segmentSize))
        {
            throw new CommandLine.ParameterException(cmd, "--record-size " + sizes + " does not fit in a segment " +
                "of " + segmentSize + " bytes (largest payload " + JournalConfig.maxPayloadFor(segmentSize) + ")");
        }
        if (maxRecordSize != null && (maxRecordSize < sizes.max() ||
            maxRecordSize > JournalConfig.maxPayloadFor(segmentSize)))
        {
            throw new CommandLine.ParameterException(cmd, "--max-record-size=" + maxRecordSize + " must be at " +
                "least the largest --record-size (" + sizes.max() + ") and at most the largest payload of a " +
                "segment of " + segmentSize + " bytes (" + JournalConfig.maxPayloadFor(segmentSize) + ")");
        }
        if (dir != null && Files.exists(dir) && !Files.isDirectory(dir))
        {
            throw new CommandLine.ParameterException(cmd, "--dir " + dir + " exists and is not a directory");
        }
        if (hgrm != null && Files.exists(hgrm) && !Files.isDirectory(hgrm))
        {
            throw new CommandLine.ParameterException(cmd, "--hgrm " + hgrm + " exists and is not a directory");
        }
    }

    private static Path freshDirectory()
    {
        final String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        final Path base = Paths.get("ringwal-data");
        Path candidate = base.resolve("load-" + stamp);
        for (int i = 2; Files.exists(candidate); i++)
        {
            candidate = base.resolve("load-" + stamp + "-" + i);
        }
        return candidate;
    }

    static void deleteRecursively(final Path directory)
    {
        try
        {
            IoUtil.delete(directory.toFile(), false);
        }
        catch (final RuntimeException ex)
        {
            System.err.println("ringwal load: could not delete " + directory + ": " + ex);
        }
    }
}
