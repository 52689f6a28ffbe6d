package io.ringwal.logging;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.ringwal.journal.ForcePolicy;

/**
 * Parses the text values of appender attributes, for both appenders alike: sizes ({@code 65536}, {@code 64KiB},
 * {@code 64MiB}, {@code 1GiB}; {@code K}, {@code KB} and {@code KiB} all mean 1,024), durations ({@code 250ms},
 * {@code 10s}, {@code 30m}, {@code 12h}, {@code 7d}) and force policies (through {@link ForcePolicy#parse}, the
 * same parser as the {@code ringwal} command). Every error names the attribute and the value.
 */
public final class Settings
{
    private Settings()
    {
    }

    /**
     * Parses a size in bytes.
     *
     * @param attribute the attribute name, for the error message.
     * @param text      the value.
     * @return the number of bytes, not negative.
     * @throws IllegalArgumentException naming the attribute if the value is not a size.
     */
    public static long parseSize(final String attribute, final String text)
    {
        final String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        int end = 0;
        while (end < value.length() && Character.isDigit(value.charAt(end)))
        {
            end++;
        }
        final long multiplier;
        switch (value.substring(end).trim())
        {
            case "":
            case "b":
                multiplier = 1;
                break;
            case "k":
            case "kb":
            case "kib":
                multiplier = 1L << 10;
                break;
            case "m":
            case "mb":
            case "mib":
                multiplier = 1L << 20;
                break;
            case "g":
            case "gb":
            case "gib":
                multiplier = 1L << 30;
                break;
            case "t":
            case "tb":
            case "tib":
                multiplier = 1L << 40;
                break;
            default:
                throw notA(attribute, text, "size (e.g. 65536, 64KiB, 64MiB, 1GiB)");
        }
        if (end == 0 || end > 12)
        {
            throw notA(attribute, text, "size (e.g. 65536, 64KiB, 64MiB, 1GiB)");
        }
        return Long.parseLong(value.substring(0, end)) * multiplier;
    }

    /**
     * Parses a size that must fit an {@code int}.
     *
     * @param attribute the attribute name, for the error message.
     * @param text      the value.
     * @return the number of bytes.
     * @throws IllegalArgumentException naming the attribute if the value is not a size or exceeds 1 GiB.
     */
    public static int parseIntSize(final String attribute, final String text)
    {
        final long bytes = parseSize(attribute, text);
        if (bytes > (1 << 30))
        {
            throw new IllegalArgumentException(attribute + "='" + text + "' is larger than 1 GiB");
        }
        return (int)bytes;
    }

    /**
     * Parses a duration.
     *
     * @param attribute the attribute name, for the error message.
     * @param text      the value: digits then {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}.
     * @return the duration in nanoseconds, not negative.
     * @throws IllegalArgumentException naming the attribute if the value is not a duration.
     */
    public static long parseDurationNanos(final String attribute, final String text)
    {
        final String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        int end = 0;
        while (end < value.length() && Character.isDigit(value.charAt(end)))
        {
            end++;
        }
        if (end == 0 || end > 12)
        {
            throw notA(attribute, text, "duration (e.g. 250ms, 10s, 30m, 12h, 7d)");
        }
        final long amount = Long.parseLong(value.substring(0, end));
        switch (value.substring(end).trim())
        {
            case "ms":
                return TimeUnit.MILLISECONDS.toNanos(amount);
            case "s":
                return TimeUnit.SECONDS.toNanos(amount);
            case "m":
                return TimeUnit.MINUTES.toNanos(amount);
            case "h":
                return TimeUnit.HOURS.toNanos(amount);
            case "d":
                return TimeUnit.DAYS.toNanos(amount);
            default:
                throw notA(attribute, text, "duration (e.g. 250ms, 10s, 30m, 12h, 7d)");
        }
    }

    /**
     * Parses a force policy: {@code never}, {@code every-batch} or {@code bounded:<millis>ms:<bytes>}.
     *
     * @param attribute the attribute name, for the error message.
     * @param text      the value.
     * @return the policy.
     * @throws IllegalArgumentException naming the attribute if the value is not a policy.
     */
    public static ForcePolicy parseForcePolicy(final String attribute, final String text)
    {
        try
        {
            return ForcePolicy.parse(text == null ? null : text.trim());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(attribute + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Parses {@code true} or {@code false} (any case).
     *
     * @param attribute the attribute name, for the error message.
     * @param text      the value.
     * @return the value.
     * @throws IllegalArgumentException naming the attribute if the value is neither.
     */
    public static boolean parseBoolean(final String attribute, final String text)
    {
        final String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if ("true".equals(value))
        {
            return true;
        }
        if ("false".equals(value))
        {
            return false;
        }
        throw notA(attribute, text, "boolean (true or false)");
    }

    private static IllegalArgumentException notA(final String attribute, final String text, final String what)
    {
        return new IllegalArgumentException(attribute + "='" + text + "' is not a " + what);
    }
}
