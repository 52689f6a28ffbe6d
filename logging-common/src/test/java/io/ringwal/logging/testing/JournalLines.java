package io.ringwal.logging.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.ringwal.testing.JournalFiles;

/**
 * Reads log lines back from a journal and checks the lines the tests write: {@code <thread> <index>} (the
 * layout is {@code %t %m%n} and the message is the index), with per-thread indices from 0 up.
 */
public final class JournalLines
{
    private JournalLines()
    {
    }

    /**
     * Every record of the journal as text, in journal order.
     *
     * @param dir the journal directory.
     * @return the lines, each still ending in its newline.
     */
    public static List<String> read(final Path dir)
    {
        final List<String> lines = new ArrayList<>();
        for (final byte[] record : JournalFiles.readAll(dir))
        {
            lines.add(new String(record, StandardCharsets.UTF_8));
        }
        return lines;
    }

    /**
     * Checks that the lines are {@code <thread> <index>\n} and that each thread's indices run 0, 1, 2, ... with
     * no gap, no repeat and no reordering.
     *
     * @param lines the lines read back.
     * @return for each thread name, how many lines it has (one past its highest index).
     * @throws AssertionError naming the first line out of place.
     */
    public static Map<String, Integer> checkPerThreadOrder(final List<String> lines)
    {
        final Map<String, Integer> next = new HashMap<>();
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i);
            final int space = line.indexOf(' ');
            if (space <= 0 || !line.endsWith("\n"))
            {
                throw new AssertionError("record " + i + " is not '<thread> <index>\\n': '" + line + "'");
            }
            final String thread = line.substring(0, space);
            final int index = Integer.parseInt(line.substring(space + 1, line.length() - 1).trim());
            final int expected = next.getOrDefault(thread, 0);
            if (index != expected)
            {
                throw new AssertionError("record " + i + " of thread " + thread + " has index " + index + " where " +
                    expected + " was expected (a line lost, repeated or out of order)");
            }
            next.put(thread, expected + 1);
        }
        return next;
    }

    /**
     * Checks that the lines are {@code <thread> <index>\n} and that each thread's indices only increase (lines
     * may be missing, as when the ring-full policy drops them, but none is repeated or reordered).
     *
     * @param lines the lines read back.
     * @return how many lines there are.
     * @throws AssertionError naming the first line out of place.
     */
    public static int checkPerThreadIncreasing(final List<String> lines)
    {
        final Map<String, Integer> last = new HashMap<>();
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i);
            final int space = line.indexOf(' ');
            final String thread = line.substring(0, space);
            final int index = Integer.parseInt(line.substring(space + 1, line.length() - 1).trim());
            final int previous = last.getOrDefault(thread, -1);
            if (index <= previous)
            {
                throw new AssertionError("record " + i + " of thread " + thread + " has index " + index +
                    " after index " + previous);
            }
            last.put(thread, index);
        }
        return lines.size();
    }

    /**
     * Checks that the lines are {@code <thread> <body>\n} with the given bodies, in order, none cut.
     *
     * @param lines  the lines read back.
     * @param bodies the messages logged, in order.
     * @throws AssertionError naming the first line that differs.
     */
    public static void checkBodies(final List<String> lines, final List<String> bodies)
    {
        if (lines.size() != bodies.size())
        {
            throw new AssertionError(lines.size() + " lines read back where " + bodies.size() + " were logged");
        }
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i);
            if (!line.endsWith(" " + bodies.get(i) + "\n"))
            {
                throw new AssertionError("line " + i + " (" + line.length() + " bytes) does not end with the " +
                    bodies.get(i).length() + "-byte message logged: '" + line + "'");
            }
        }
    }
}
