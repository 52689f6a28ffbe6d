package io.ringwal.cli;

import java.util.Locale;

import picocli.CommandLine;

/**
 * Converts a byte size argument: {@code 65536}, {@code 64k}, {@code 64KiB}, {@code 64m}, {@code 64MiB}, {@code 1g},
 * {@code 1GiB}; at most 1 GiB. For every {@code ringwal} command that takes a size.
 */
public final class ByteSizeConverter implements CommandLine.ITypeConverter<Integer>
{
    /**
     * Creates the converter (picocli instantiates it).
     */
    public ByteSizeConverter()
    {
    }

    @Override
    public Integer convert(final String value)
    {
        final String text = value.trim().toLowerCase(Locale.ROOT);
        int end = text.length();
        while (end > 0 && !Character.isDigit(text.charAt(end - 1)))
        {
            end--;
        }
        final String unit = text.substring(end).trim();
        final long multiplier;
        switch (unit)
        {
            case "":
            case "b":
                multiplier = 1;
                break;
            case "k":
            case "kb":
            case "kib":
                multiplier = 1024;
                break;
            case "m":
            case "mb":
            case "mib":
                multiplier = 1024 * 1024;
                break;
            case "g":
            case "gb":
            case "gib":
                multiplier = 1024 * 1024 * 1024;
                break;
            default:
                throw new CommandLine.TypeConversionException("'" + value + "' is not a size (e.g. 65536, 64KiB, " +
                    "64MiB, 1GiB)");
        }
        try
        {
            final long bytes = Long.parseLong(text.substring(0, end).trim()) * multiplier;
            if (bytes > Integer.MAX_VALUE)
            {
                throw new CommandLine.TypeConversionException("'" + value + "' is larger than 1 GiB");
            }
            return (int)bytes;
        }
        catch (final NumberFormatException ex)
        {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a size (e.g. 65536, 64KiB, " +
                "64MiB, 1GiB)");
        }
    }
}
