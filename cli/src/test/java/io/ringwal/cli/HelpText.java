package io.ringwal.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import picocli.CommandLine;

/**
 * Checks the rendered {@code --help} of commands: every line fits {@link #WIDTH} columns, and no prose line is
 * broken before it had to be (a hard line break inside a description that picocli then wraps gives "print
 * progress" / "every second"). A line is broken too early when the first word of the next line would have fitted
 * on it, the line does not end a sentence or introduce a list, and the next line is prose, not a table row or an
 * example (which start with {@code ./}, {@code -}, or have a two-space gap after their first word), nor follows
 * the synopsis, an example or an option name that stands alone on its line.
 */
public final class HelpText
{
    /** The width help must fit: picocli's default usage width, a classic terminal. */
    public static final int WIDTH = 80;

    private static final Pattern TABLE_ROW = Pattern.compile("^\\s*\\S+ {2,}\\S.*");

    private HelpText()
    {
    }

    /**
     * The help of a command and of each of its subcommands, rendered as a user sees it.
     *
     * @param commandLine the top command line.
     * @return command name to help text.
     */
    public static Map<String, String> helpOfEveryCommand(final CommandLine commandLine)
    {
        final Map<String, String> help = new java.util.LinkedHashMap<>();
        help.put(commandLine.getCommandName(), commandLine.getUsageMessage(CommandLine.Help.Ansi.OFF));
        for (final Map.Entry<String, CommandLine> sub : commandLine.getSubcommands().entrySet())
        {
            help.put(sub.getKey(), sub.getValue().getUsageMessage(CommandLine.Help.Ansi.OFF));
        }
        return help;
    }

    /**
     * What is wrong with the help of a command line and its subcommands.
     *
     * @param commandLine the top command line.
     * @return one line per problem, naming the command, empty when none.
     */
    public static List<String> problemsOfEveryCommand(final CommandLine commandLine)
    {
        final List<String> problems = new ArrayList<>();
        helpOfEveryCommand(commandLine).forEach((command, help) ->
            problems(help).forEach(problem -> problems.add(command + " --help: " + problem)));
        return problems;
    }

    /**
     * What is wrong with one help text.
     *
     * @param help the rendered help.
     * @return one line per problem, empty when none.
     */
    public static List<String> problems(final String help)
    {
        final List<String> problems = new ArrayList<>();
        final String[] lines = help.split("\\R", -1);
        for (int i = 0; i < lines.length; i++)
        {
            final String line = stripTrailing(lines[i]);
            if (line.length() > WIDTH)
            {
                problems.add("longer than " + WIDTH + " columns (" + line.length() + "): " + line);
            }
            if (i + 1 < lines.length && brokenTooEarly(line, stripTrailing(lines[i + 1])))
            {
                problems.add("broken before it had to be: '" + line + "' / '" + lines[i + 1].strip() + "'");
            }
        }
        return problems;
    }

    private static boolean brokenTooEarly(final String line, final String next)
    {
        if (line.isBlank() || next.isBlank() || line.startsWith("Usage: "))
        {
            return false;
        }
        final String head = line.strip();
        if (head.startsWith("./") || head.startsWith("[") || head.startsWith("-") && !head.contains("  "))
        {
            return false; // an example, the synopsis, or an option name too long to share a line with its text
        }
        final String text = next.strip();
        if (text.startsWith("./") || text.startsWith("-") || TABLE_ROW.matcher(next).matches())
        {
            return false;
        }
        final char last = line.charAt(line.length() - 1);
        if (last == '.' || last == ':')
        {
            return false;
        }
        final int space = text.indexOf(' ');
        final String firstWord = space < 0 ? text : text.substring(0, space);
        // picocli wraps a line before it reaches the last column: a word fits when the line stays below WIDTH
        return line.length() + 1 + firstWord.length() < WIDTH;
    }

    private static String stripTrailing(final String line)
    {
        return line.stripTrailing();
    }
}
