package io.ringwal.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/**
 * The harness's entry points reject unknown and invalid arguments with one line naming the argument, and accept
 * every option the docs and the scripts use.
 */
class PeersCommandLineTest
{
    private static final Path REPOSITORY = Path.of(System.getProperty("user.dir")).getParent();

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();
    private final StringWriter out = new StringWriter();

    private int run(final Object command, final String... args)
    {
        final CommandLine commandLine = PeersCommandLine.commandLine(command);
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setOut(new PrintWriter(out, true));
        return commandLine.execute(args);
    }

    @Test
    void shouldNameAnUnknownOptionOfTheDriver()
    {
        assertThat(run(new PeersMain(), "--repz", "3")).isEqualTo(PeersCommandLine.EXIT_USAGE);
        assertThat(err.toString()).contains("--repz").contains("PeersMain --help").doesNotContain("Usage:");
    }

    @Test
    void shouldNameAnOptionOfTheDriverWhoseValueIsNotANumber()
    {
        assertThat(run(new PeersMain(), "--reps", "three")).isEqualTo(PeersCommandLine.EXIT_USAGE);
        assertThat(err.toString()).contains("--reps").contains("three");
    }

    @Test
    void shouldNameAnUnknownCellOrContenderAndListTheKnownOnes()
    {
        assertThat(run(new PeersMain(), "--cells", "noforce-1p-64B,no-such-cell")).isEqualTo(2);
        assertThat(err.toString()).contains("--cells").contains("no-such-cell").contains("latency-500k-64B");

        assertThat(run(new PeersMain(), "--contenders", "kafka")).isEqualTo(2);
        assertThat(err.toString()).contains("--contenders").contains("'kafka'").contains("ringwal-never");
    }

    @Test
    void shouldNameAnInvalidCountOrByteSizeOfTheDriver()
    {
        assertThat(run(new PeersMain(), "--reps", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--reps=0 must be positive");

        assertThat(run(new PeersMain(), "--sustained-bytes", "12q")).isEqualTo(2);
        assertThat(err.toString()).contains("--sustained-bytes 12q");

        assertThat(run(new PeersMain(), "--dd-mib", "-1")).isEqualTo(2);
        assertThat(err.toString()).contains("--dd-mib=-1");
    }

    @Test
    void shouldRejectAFilterThatLeavesNothingToRun()
    {
        assertThat(run(new PeersMain(), "--cells", "log-1p-100B", "--contenders", "chronicle")).isEqualTo(2);
        assertThat(err.toString()).contains("--cells log-1p-100B and --contenders chronicle");
    }

    @Test
    void shouldNameAMissingOrInvalidOptionOfTheChild()
    {
        assertThat(run(new RunMain(), "--dir", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--contender");

        assertThat(run(new RunMain(), "--contender", "no-such", "--dir", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--contender: unknown name 'no-such'");

        assertThat(run(new RunMain(), "--contender", "ringwal-never", "--dir", dir.toString(), "--size", "1KiB"))
            .isEqualTo(2);
        assertThat(err.toString()).contains("--size").contains("1KiB");

        assertThat(run(new RunMain(), "--contender", "ringwal-never", "--dir", dir.toString(), "--producers", "0"))
            .isEqualTo(2);
        assertThat(err.toString()).contains("--producers=0 must be positive");

        assertThat(run(new RunMain(), "--contender", "ringwal-never", "--dir", dir.toString(), "--rate", "-5"))
            .isEqualTo(2);
        assertThat(err.toString()).contains("--rate=-5 must not be negative");

        assertThat(run(new RunMain(), "--contender", "ringwal-never", "--dir", dir.toString(), "stray"))
            .isEqualTo(2);
        assertThat(err.toString()).contains("stray");
    }

    @Test
    void shouldNameADirectoryWithoutPlotsGivenToThePlotter()
    {
        assertThat(run(new SvgPlot(), dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(dir.toString()).contains("plot/");
    }

    @Test
    void shouldAcceptEveryDriverOptionThatTheDocsAndTheScriptsUse() throws IOException
    {
        final List<String> used = new ArrayList<>();
        for (final String file : List.of("docs/PEERS.md", "docs/BENCHMARKS.md", "docs/LOGGING.md", "README.md",
            "peers/bin/compare"))
        {
            used.addAll(driverOptions(Files.readAllLines(REPOSITORY.resolve(file)), file.startsWith("peers/bin")));
        }
        final CommandLine commandLine = new CommandLine(new PeersMain());

        assertThat(used).contains("--reps", "--long", "--cells", "--contenders", "--sustained-bytes", "--no-dd");
        for (final String option : used)
        {
            assertThat(commandLine.getCommandSpec().findOption(option)).as(option).isNotNull();
        }
    }

    @Test
    void shouldFitTheDriverHelpIntoEightyColumns()
    {
        assertThat(run(new PeersMain(), "--help")).isZero();
        for (final String line : out.toString().split("\n"))
        {
            assertThat(line.length()).as(line).isLessThanOrEqualTo(80);
        }
        assertThat(out.toString()).contains("--sustained-bytes=BYTES").contains("--no-dd");
    }

    /**
     * The {@code --options} on the command lines that run the driver (with their continuation lines), or on every
     * line of the driver's script (its comment lists them).
     */
    private static List<String> driverOptions(final List<String> lines, final boolean script)
    {
        final Pattern option = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*");
        final List<String> options = new ArrayList<>();
        boolean continued = false;
        for (final String line : lines)
        {
            final boolean driver = script || line.contains("peers/bin/compare") ||
                line.contains("io.ringwal.peers.PeersMain");
            if (driver || continued)
            {
                final Matcher m = option.matcher(line);
                while (m.find())
                {
                    options.add(m.group());
                }
            }
            continued = (driver || continued) && line.stripTrailing().endsWith("\\");
        }
        return options;
    }
}
