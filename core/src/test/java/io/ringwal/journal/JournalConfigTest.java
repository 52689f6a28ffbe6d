package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.ringwal.segment.PreallocationMode;

/**
 * The preallocation default follows the force policy, and a mode set explicitly wins whatever the policy.
 */
class JournalConfigTest
{
    @Test
    void everyBatchDefaultsToPageSizedZeroFill()
    {
        assertThat(JournalConfig.builder().build().preallocationMode()).isEqualTo(PreallocationMode.BUFFERED_PAGES);
        assertThat(JournalConfig.builder().forcePolicy(ForcePolicy.everyBatch()).build().preallocationMode())
            .isEqualTo(PreallocationMode.BUFFERED_PAGES);
    }

    @Test
    void neverAndBoundedDefaultToDirectZeroFill()
    {
        assertThat(JournalConfig.builder().forcePolicy(ForcePolicy.never()).build().preallocationMode())
            .isEqualTo(PreallocationMode.DIRECT);
        assertThat(JournalConfig.builder().forcePolicy(ForcePolicy.bounded(1, TimeUnit.MILLISECONDS, 1 << 20))
            .build().preallocationMode()).isEqualTo(PreallocationMode.DIRECT);
    }

    @Test
    void theDefaultFollowsThePolicySetAfterOtherSettings()
    {
        final JournalConfig config = JournalConfig.builder().segmentSize(1 << 20)
            .forcePolicy(ForcePolicy.never()).build();
        assertThat(config.preallocationMode()).isEqualTo(PreallocationMode.DIRECT);
    }

    @Test
    void anExplicitModeWinsOverThePolicyDefault()
    {
        for (final PreallocationMode mode : PreallocationMode.values())
        {
            assertThat(JournalConfig.builder().forcePolicy(ForcePolicy.never()).preallocationMode(mode).build()
                .preallocationMode()).isEqualTo(mode);
            assertThat(JournalConfig.builder().forcePolicy(ForcePolicy.everyBatch()).preallocationMode(mode).build()
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
