package io.ringwal.logging;

import java.util.Locale;

/**
 * What a logging call does when the ring is full (the writer has fallen a whole ring behind the loggers).
 */
public enum RingFullPolicy
{
    /** Wait for a free slot: no line is ever dropped; the logging thread slows to the writer's pace. */
    WAIT,
    /** Drop the line and count it ({@link LogJournal#droppedLines()}): the logging thread never waits. */
    DROP;

    /**
     * Parses {@code wait} or {@code drop} (any case).
     *
     * @param text the text.
     * @return the policy.
     * @throws IllegalArgumentException naming the text if it is neither.
     */
    public static RingFullPolicy parse(final String text)
    {
        if (text != null)
        {
            switch (text.trim().toLowerCase(Locale.ROOT))
            {
                case "wait":
                    return WAIT;
                case "drop":
                    return DROP;
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("ringFull='" + text + "' is not one of: wait, drop");
    }
}
