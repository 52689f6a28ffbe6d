package io.ringwal.bench.cli;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.ringwal.cli.HelpText;
import io.ringwal.cli.RingwalCommand;

import static org.assertj.core.api.Assertions.assertThat;

class HelpTextTest
{
    @Test
    void shouldFitEightyColumnsWithoutEarlyBreaksWhenShowingHelpOfEveryCommandOfTheJar()
    {
        final Map<String, String> help = HelpText.helpOfEveryCommand(RingwalCommand.commandLine());

        assertThat(help).containsKeys("ringwal", "load", "jmh", "force-cost", "seek-recovery", "verify", "dump",
            "tail");
        assertThat(HelpText.problemsOfEveryCommand(RingwalCommand.commandLine())).isEmpty();
    }
}
