package io.ringwal.bench.cli;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

import io.ringwal.cli.RingwalCommand;
import io.ringwal.cli.RingwalSubcommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ringwal jmh ...}: runs JMH ({@code org.openjdk.jmh.Main}) on the benchmarks compiled into this jar,
 * passing every argument through. {@link RingwalBenchmarksMain#main} dispatches here before picocli parses anything, so
 * JMH options such as {@code -f 1 -wi 3} reach JMH untouched; this class also gives the subcommand its help.
 */
@Command(
    name = "jmh",
    description = "Run the JMH benchmarks in this jar; every argument goes to JMH (try 'ringwal jmh -h', " +
        "'ringwal jmh -l').",
    footer = {
        "",
        "Examples:",
        "  ./ringwal jmh -l                                          list the benchmarks",
        "  ./ringwal jmh -f 1 -wi 3 -w 2s -i 5 -r 2s 'Append|PlainMappedCopy'",
        "  ./ringwal jmh -f 1 -wi 3 -w 2s -i 5 -r 2s -prof gc 'AppendBenchmark|ReadBenchmark'",
        "  ./ringwal jmh -f 1 -wi 3 -w 2s -i 5 -r 2s ForceEveryBatch",
        "",
        "Benchmark files go under ./ringwal-data/jmh (set -Dringwal.bench.dir=... in RINGWAL_JAVA_OPTS to move " +
            "them); keep them on a real disk, not tmpfs."
    },
    mixinStandardHelpOptions = false)
public final class JmhCommand implements Callable<Integer>, RingwalSubcommand
{
    @Parameters(arity = "0..*", description = "arguments for JMH")
    private List<String> arguments = List.of();

    /**
     * Creates the command (picocli fills in its options).
     */
    public JmhCommand()
    {
    }

    @Override
    public Integer call()
    {
        runJmh(arguments.toArray(new String[0]));
        return 0;
    }

    static void runJmh(final String[] args)
    {
        try
        {
            org.openjdk.jmh.Main.main(args);
        }
        catch (final IOException ex)
        {
            System.err.println("ringwal jmh: " + ex.getMessage());
            System.exit(RingwalCommand.EXIT_FAILED);
        }
    }
}
