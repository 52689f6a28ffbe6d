package io.ringwal.cli;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HelpTextTest
{
    @Test
    void shouldFitEightyColumnsWithoutEarlyBreaksWhenShowingHelpOfEveryCliCommand()
    {
        final Map<String, String> help = HelpText.helpOfEveryCommand(RingwalCommand.commandLine());

        assertThat(help).containsKeys("ringwal", "verify", "dump", "tail");
        assertThat(HelpText.problemsOfEveryCommand(RingwalCommand.commandLine())).isEmpty();
    }

    @Test
    void shouldFlagHardLineBreakInsideASentenceWhenCheckingHelp()
    {
        assertThat(HelpText.problems("  --progress   print progress\n                 every second.\n"))
            .singleElement().asString().contains("broken before it had to be");
        assertThat(HelpText.problems("x".repeat(81))).singleElement().asString().contains("longer than 80");
        assertThat(HelpText.problems("Examples:\n  ./ringwal verify DIR   check\n  ./ringwal dump DIR\n")).isEmpty();
    }
}
