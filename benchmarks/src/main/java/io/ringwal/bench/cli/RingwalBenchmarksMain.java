package io.ringwal.bench.cli;

import java.util.Arrays;

import io.ringwal.cli.RingwalCommand;

/**
 * The entry point of the runnable jar {@code benchmarks/target/ringwal.jar} (started by the {@code ./ringwal}
 * launcher): the {@code ringwal} command of the cli module, which finds this module's {@code load}, {@code jmh},
 * {@code force-cost} and {@code seek-recovery} beside its own commands, plus one special case: {@code jmh} hands
 * its arguments to JMH before picocli parses them.
 */
public final class RingwalBenchmarksMain
{
    private RingwalBenchmarksMain()
    {
    }

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the arguments.
     */
    public static void main(final String[] args)
    {
        if (args.length > 0 && "jmh".equals(args[0]))
        {
            // JMH has its own option syntax (-f 1 -wi 3 ...): hand everything after "jmh" to it untouched.
            JmhCommand.runJmh(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        RingwalCommand.main(args);
    }
}
