package io.ringwal.bench.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.ringwal.bench.recovery.SeekRecovery;
import io.ringwal.cli.ByteSizeConverter;
import io.ringwal.cli.RingwalSubcommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ringwal seek-recovery}: see {@link SeekRecovery}.
 */
@Command(
    name = "seek-recovery",
    mixinStandardHelpOptions = true,
    description = {
        "Time seeking near the end of a full 1 GiB segment, and recovering that journal.",
        "Seek: JournalReader.open(dir, seq). Recovery: JournalWriter.open. Builds the journal once and keeps it."
    },
    footer = {
        "",
        "Examples:",
        "  ./ringwal seek-recovery",
        "  ./ringwal seek-recovery --drop-caches          cold page cache before every repetition (root)",
        "  ./ringwal seek-recovery --segment-size 64MiB --dir ringwal-data/seek-64m"
    })
public final class SeekRecoveryCommand implements Callable<Integer>, RingwalSubcommand
{
    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "ringwal-data/seek-recovery",
        description = "Journal directory, built on first use and kept (default: ${DEFAULT-VALUE}).")
    private Path dir;

    @Option(names = "--segment-size", paramLabel = "SIZE", defaultValue = "1GiB", converter = ByteSizeConverter.class,
        description = "Segment size (default: ${DEFAULT-VALUE}).")
    private int segmentSize;

    @Option(names = "--record-size", paramLabel = "BYTES", defaultValue = "1024",
        description = "Payload size (default: ${DEFAULT-VALUE}).")
    private int recordSize;

    @Option(names = "--seeks", paramLabel = "N", defaultValue = "20",
        description = "Seek repetitions (default: ${DEFAULT-VALUE}).")
    private int seeks;

    @Option(names = "--recoveries", paramLabel = "N", defaultValue = "5",
        description = "Recovery repetitions (default: ${DEFAULT-VALUE}).")
    private int recoveries;

    @Option(names = "--drop-caches", description = "Drop the page cache before each repetition (root only).")
    private boolean dropCaches;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * Creates the command (picocli fills in its options).
     */
    public SeekRecoveryCommand()
    {
    }

    @Override
    public Integer call() throws IOException
    {
        if (seeks < 1 || recoveries < 1 || recordSize < 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--seeks, --recoveries and --record-size must be positive");
        }
        SeekRecovery.run(dir, segmentSize, recordSize, seeks, recoveries, dropCaches, System.out);
        return 0;
    }
}
