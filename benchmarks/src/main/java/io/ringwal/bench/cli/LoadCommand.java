package io.ringwal.bench.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

import io.ringwal.bench.load.DirectWriterTarget;
import io.ringwal.bench.load.JournalVerifier;
import io.ringwal.bench.load.LoadGenerator;
import io.ringwal.bench.load.LoadProgress;
import io.ringwal.bench.load.LoadReport;
import io.ringwal.bench.load.LoadResult;
import io.ringwal.bench.load.LoadTarget;
import io.ringwal.bench.load.ProgressReporter;
import io.ringwal.bench.load.RecordSizes;
import io.ringwal.bench.load.VerifyResult;
import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;
import io.ringwal.segment.PreallocationMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ringwal load}: appends records from one producer thread, prints progress every second, reports
 * throughput, latency percentiles, forces, GC and CPU, then reads the journal back and verifies it.
 */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Append records from one thread, report throughput and latency, then read every record back to verify.",
        "One producer thread drives the journal writer directly (the Disruptor pipeline is not wired in yet).",
        "Reports records/s, MB/s, append and append->durable latency percentiles (HdrHistogram), forces, GC, CPU."
    },
    footer = {
        "",
        "Examples:",
        "  ./ringwal load                                   30 s, 256 B records, force every batch of 64",
        "  ./ringwal load --duration 10 --record-size 64-4096 --batch 16",
        "  ./ringwal load --records 2000000 --record-size 1024 --force-policy never",
        "  ./ringwal load --rate 50000 --duration 20 --force-policy bounded:10ms:1048576",
        "  ./ringwal load --dir /data/wal-test --keep --json > result.json",
        "",
        "Run it on the disk you care about (--dir); tmpfs has no real forces.",
        "Exit codes: 0 verified, 1 run or verification failed, 2 bad arguments."
    })
final class LoadCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--records", paramLabel = "N",
        description = "Stop after N records (instead of --duration).")
    private Long records;

    @Option(names = "--duration", paramLabel = "SECONDS",
        description = "Stop after this many seconds (default: 30 unless --records is given).")
    private Double duration;

    @Option(names = "--record-size", paramLabel = "BYTES|MIN-MAX", defaultValue = "256",
        converter = Converters.Sizes.class,
        description = "Payload size, fixed or uniformly random in MIN-MAX (default: ${DEFAULT-VALUE}).")
    private RecordSizes sizes;

    @Option(names = "--force-policy", paramLabel = "POLICY", defaultValue = "every-batch",
        converter = Converters.Policy.class,
        description = "every-batch | never | bounded:<ms>ms:<bytes> (default: ${DEFAULT-VALUE}).")
    private ForcePolicy forcePolicy;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "64",
        description = "Records per batch (endOfBatch, where forces happen) (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--segment-size", paramLabel = "SIZE", defaultValue = "64MiB",
        converter = Converters.ByteSize.class,
        description = "Segment file size, a power of two from 64KiB to 1GiB (default: ${DEFAULT-VALUE}).")
    private int segmentSize;

    @Option(names = "--preallocation", paramLabel = "MODE", defaultValue = "direct",
        description = "How segments get their blocks: direct | buffered | sparse (default: ${DEFAULT-VALUE}).")
    private PreallocationMode preallocation;

    @Option(names = "--dir", paramLabel = "DIR",
        description = "Journal directory (default: a fresh ./ringwal-data/load-<timestamp>, deleted after a " +
            "verified run unless --keep).")
    private Path dir;

    @Option(names = "--keep", description = "Keep the default journal directory after the run.")
    private boolean keep;

    @Option(names = "--rate", paramLabel = "RECORDS_PER_S", defaultValue = "0",
        description = "Target rate; 0 = as fast as possible. With a rate, latency counts from each record's " +
            "intended send time (coordinated omission). (default: ${DEFAULT-VALUE})")
    private long rate;

    @Option(names = "--json", description = "Print the report as one JSON object on stdout (progress on stderr).")
    private boolean json;

    @Override
    public Integer call()
    {
        validate();
        final long maxRecords = records != null ? records : Long.MAX_VALUE;
        final double seconds = duration != null ? duration : (records != null ? 0 : 30);
        final long durationNanos = seconds > 0 ? (long)(seconds * 1e9) : Long.MAX_VALUE;
        final JournalConfig config;
        try
        {
            final JournalConfig.Builder builder = JournalConfig.builder()
                .segmentSize(segmentSize)
                .forcePolicy(forcePolicy)
                .preallocationMode(preallocation);
            if (sizes.max() > JournalConfig.DEFAULT_MAX_RECORD_SIZE)
            {
                builder.maxRecordSize(sizes.max());
            }
            config = builder.build();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage(), ex);
        }

        final boolean defaultDir = dir == null;
        final Path directory = defaultDir ? freshDirectory() : dir;
        final PrintStream out = json ? System.err : System.out;
        final String settings = "records=" + (records != null ? records : "-") + " duration=" +
            (durationNanos == Long.MAX_VALUE ? "-" : seconds + "s") + " record-size=" + sizes + " force-policy=" +
            forcePolicy + " batch=" + batch + " segment-size=" + segmentSize + " preallocation=" + preallocation +
            " rate=" + (rate == 0 ? "unbounded" : rate + "/s");
        out.println("ringwal load: journal " + directory.toAbsolutePath());
        out.println("ringwal load: " + settings);

        final LoadResult result;
        final LoadProgress progress = new LoadProgress();
        try (LoadTarget target = new DirectWriterTarget(directory, config))
        {
            final ProgressReporter reporter = new ProgressReporter(progress, out);
            try
            {
                result = new LoadGenerator(target, sizes, maxRecords, durationNanos, batch, rate, progress).run();
            }
            finally
            {
                reporter.close();
            }
        }

        out.println("ringwal load: verifying (reading every record back) ...");
        final VerifyResult verify = new JournalVerifier().verify(directory, result.firstSequence, result.records,
            sizes.min(), sizes.max());
        if (json)
        {
            System.out.println(LoadReport.json(directory.toAbsolutePath().toString(), settings, result, verify));
        }
        else
        {
            System.out.print(LoadReport.text(settings, result, verify));
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
        return verify.ok() ? 0 : RingwalCommand.EXIT_FAILED;
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
        if (duration != null && !(duration > 0))
        {
            throw new CommandLine.ParameterException(cmd, "--duration=" + duration + " must be positive");
        }
        if (batch < 1)
        {
            throw new CommandLine.ParameterException(cmd, "--batch=" + batch + " must be at least 1");
        }
        if (rate < 0)
        {
            throw new CommandLine.ParameterException(cmd, "--rate=" + rate + " must not be negative");
        }
        if (sizes.max() > JournalConfig.maxPayloadFor(segmentSize))
        {
            throw new CommandLine.ParameterException(cmd, "--record-size " + sizes + " does not fit in a segment " +
                "of " + segmentSize + " bytes (largest payload " + JournalConfig.maxPayloadFor(segmentSize) + ")");
        }
        if (dir != null && Files.exists(dir) && !Files.isDirectory(dir))
        {
            throw new CommandLine.ParameterException(cmd, "--dir " + dir + " exists and is not a directory");
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
        if (!Files.exists(directory))
        {
            return;
        }
        try
        {
            Files.walkFileTree(directory, new SimpleFileVisitor<>()
            {
                @Override
                public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) throws IOException
                {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(final Path d, final IOException ex) throws IOException
                {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        catch (final IOException ex)
        {
            System.err.println("ringwal: could not delete " + directory + ": " + ex);
        }
    }
}
