package io.ringwal.bench.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.ringwal.bench.disk.ForceCost;
import io.ringwal.cli.ByteSizeConverter;
import io.ringwal.cli.RingwalSubcommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ringwal force-cost}: see {@link ForceCost}.
 */
@Command(
    name = "force-cost",
    mixinStandardHelpOptions = true,
    description = {
        "Time forces of 4 KiB/64 KiB/1 MiB ranges per preallocation mode, and disk bytes written per force.",
        "Each row: write a fresh range through the mapping, MappedSegment.force it; for DIRECT, BUFFERED_PAGES, " +
            "BUFFERED and SPARSE preallocation, DIRECT with the page cache primed (single-page folios), " +
            "fallocate, plus pwrite+fdatasync; disk bytes from /sys/dev/block/MAJ:MIN/stat " +
            "(sectors x 512)."
    },
    footer = {
        "",
        "Examples:",
        "  ./ringwal force-cost",
        "  ./ringwal force-cost --forces 500 --sizes 4096,16384 --dir /data/ringwal-force-cost"
    })
public final class ForceCostCommand implements Callable<Integer>, RingwalSubcommand
{
    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "ringwal-data/force-cost",
        description = "Directory on the disk to measure (not tmpfs) (default: ${DEFAULT-VALUE}).")
    private Path dir;

    @Option(names = "--forces", paramLabel = "N", defaultValue = "200",
        description = "Forces per row (default: ${DEFAULT-VALUE}).")
    private int forces;

    @Option(names = "--sizes", paramLabel = "BYTES", split = ",", defaultValue = "4096,16384,65536,1048576",
        description = "Range sizes, multiples of 4096 (default: ${DEFAULT-VALUE}).")
    private int[] sizes;

    @Option(names = "--segment-size", paramLabel = "SIZE", defaultValue = "64MiB",
        converter = ByteSizeConverter.class,
        description = "Smallest segment file size; a power of two (default: ${DEFAULT-VALUE}, the journal default).")
    private int segmentSize;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * Creates the command (picocli fills in its options).
     */
    public ForceCostCommand()
    {
    }

    @Override
    public Integer call() throws IOException
    {
        if (forces < 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--forces=" + forces + " must be positive");
        }
        for (final int size : sizes)
        {
            if (size <= 0 || size % 4096 != 0 || size > 64 * 1024 * 1024)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "--sizes: " + size +
                    " is not a positive multiple of 4096 up to 64 MiB");
            }
        }
        if (Integer.bitCount(segmentSize) != 1 || segmentSize < 1 << 20)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--segment-size " + segmentSize +
                " must be a power of two of at least 1 MiB");
        }
        ForceCost.run(dir, sizes, forces, segmentSize, System.out);
        return 0;
    }
}
