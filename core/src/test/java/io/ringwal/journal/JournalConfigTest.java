package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.ringwal.segment.PreallocationMode;
import io.ringwal.segment.PretouchMode;

/**
 * The preallocation default is ADAPTIVE whatever the force policy, and a mode set explicitly wins.
 */
class JournalConfigTest
{
    @Test
    void defaultsToAdaptivePreallocationForEveryPolicy()
    {
        assertThat(JournalConfig.builder().build().preallocationMode()).isEqualTo(PreallocationMode.ADAPTIVE);
        for (final ForcePolicy policy : new ForcePolicy[]{ForcePolicy.everyBatch(), ForcePolicy.never(),
            ForcePolicy.bounded(1, TimeUnit.MILLISECONDS, 1 << 20)})
        {
            assertThat(JournalConfig.builder().forcePolicy(policy).build().preallocationMode())
                .isEqualTo(PreallocationMode.ADAPTIVE);
        }
    }

    @Test
    void defaultsToStagedWritesWithReadPretouchUnderEveryPolicy()
    {
        for (final ForcePolicy policy : new ForcePolicy[] {ForcePolicy.never(), ForcePolicy.everyBatch(),
            ForcePolicy.bounded(5, TimeUnit.MILLISECONDS, 1 << 20)})
        {
            final JournalConfig config = JournalConfig.builder().forcePolicy(policy).build();
            assertThat(config.writeMode()).as("%s", policy).isEqualTo(WriteMode.STAGED);
            assertThat(config.pretouchMode()).as("%s", policy).isEqualTo(PretouchMode.READ);
        }
        assertThat(JournalConfig.builder().forcePolicy(ForcePolicy.never()).writeMode(WriteMode.MAPPED).build()
            .pretouchMode()).isEqualTo(PretouchMode.WRITE);
    }

    @Test
    void anExplicitModeWins()
    {
        for (final PreallocationMode mode : PreallocationMode.values())
        {
            assertThat(JournalConfig.builder().forcePolicy(ForcePolicy.never()).preallocationMode(mode).build()
                .preallocationMode()).isEqualTo(mode);
        }
    }

    @Test
    void aNullModeIsRefusedByName()
    {
        assertThatThrownBy(() -> JournalConfig.builder().preallocationMode(null))
            .isInstanceOf(NullPointerException.class).hasMessageContaining("preallocationMode");
    }
}
