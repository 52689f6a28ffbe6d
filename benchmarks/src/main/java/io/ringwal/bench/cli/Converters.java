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
