package io.ringwal.bench.cli;

import java.util.Locale;

import io.ringwal.bench.load.RecordSizes;
import io.ringwal.journal.ForcePolicy;
import picocli.CommandLine;

/**
 * picocli converters for the options of the {@code ringwal} commands. Each turns a bad value into a one-line
 * {@link CommandLine.TypeConversionException} that names the value and the accepted forms.
 */
final class Converters
{
    private Converters()
    {
    }

    /** {@code 65536}, {@code 64k}, {@code 64KiB}, {@code 64m}, {@code 64MiB}, {@code 1g}, {@code 1GiB}. */
    static final class ByteSize implements CommandLine.ITypeConverter<Integer>
    {
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

    /** {@code every-batch}, {@code never}, {@code bounded:10ms:1048576}. */
    static final class Policy implements CommandLine.ITypeConverter<ForcePolicy>
    {
        @Override
        public ForcePolicy convert(final String value)
        {
            try
            {
                return ForcePolicy.parse(value);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CommandLine.TypeConversionException(ex.getMessage());
            }
        }
    }

    /** {@code 256} or {@code 64-4096}. */
    static final class Sizes implements CommandLine.ITypeConverter<RecordSizes>
    {
        @Override
        public RecordSizes convert(final String value)
        {
            try
            {
                return RecordSizes.parse(value);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CommandLine.TypeConversionException(ex.getMessage());
            }
        }
    }
}
