package io.ringwal.cli;

/**
 * A subcommand of the {@code ringwal} command line. {@link RingwalCommand#commandLine()} finds every one on the
 * class path with {@link java.util.ServiceLoader}, so adding a command is one line: its class name in
 * {@code META-INF/services/io.ringwal.cli.RingwalSubcommand} of the jar that holds it (this module's
 * {@code verify}, {@code dump} and {@code tail}; the benchmarks' {@code load} and {@code jmh}; any other module's
 * commands). Commands are listed in the order found: a jar's file order, jars in class-path order.
 *
 * <p>An implementation is a public class with a public no-argument constructor, annotated with picocli's
 * {@link picocli.CommandLine.Command} (its {@code name} is the subcommand's name), and usually a
 * {@code Callable<Integer>} whose result is the exit code ({@link RingwalCommand#EXIT_FAILED},
 * {@link RingwalCommand#EXIT_USAGE}). Two commands with the same name fail at start with picocli's
 * {@link picocli.CommandLine.DuplicateNameException}.
 */
public interface RingwalSubcommand
{
}
