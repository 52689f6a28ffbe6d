package io.ringwal.segment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.ringwal.segment.PreallocationMode;

/**
 * The running average of force sizes and the mode it chooses.
 */
class AdaptivePreallocationTest
{
    @Test
    void shouldStartFromTheGuess()
    {
        assertThat(new AdaptivePreallocation(0).choose()).isEqualTo(PreallocationMode.BUFFERED_PAGES);
        assertThat(new AdaptivePreallocation(64L << 20).choose()).isEqualTo(PreallocationMode.DIRECT);
        assertThat(new AdaptivePreallocation(AdaptivePreallocation.THRESHOLD_BYTES).choose())
            .isEqualTo(PreallocationMode.DIRECT);
        assertThat(new AdaptivePreallocation(AdaptivePreallocation.THRESHOLD_BYTES - 1).choose())
            .isEqualTo(PreallocationMode.BUFFERED_PAGES);
    }

    @Test
    void shouldTurnToDirectAfterAFewLargeForcesAndBackAfterAFewSmallOnes()
    {
        final AdaptivePreallocation adaptive = new AdaptivePreallocation(0);
        int forces = 0;
        while (adaptive.choose() == PreallocationMode.BUFFERED_PAGES)
        {
            adaptive.recordForce(1 << 20);
            forces++;
        }
        assertThat(forces).as("1 MiB forces needed to cross 128 KiB from 0").isBetween(1, 3);
        for (int i = 0; i < 100; i++)
        {
            adaptive.recordForce(1 << 20);
        }
        assertThat(adaptive.averageForceBytes()).isGreaterThan(1000L * 1024);
        forces = 0;
        while (adaptive.choose() == PreallocationMode.DIRECT)
        {
            adaptive.recordForce(4096);
            forces++;
        }
        assertThat(forces).as("4 KiB forces needed to fall below 128 KiB from about 1 MiB").isBetween(10, 30);
    }

    @Test
    void shouldNotBeTippedByOneOddForce()
    {
        final AdaptivePreallocation adaptive = new AdaptivePreallocation(0);
        for (int i = 0; i < 100; i++)
        {
            adaptive.recordForce(16 * 1024);
        }
        adaptive.recordForce(512 * 1024);
        assertThat(adaptive.choose()).isEqualTo(PreallocationMode.BUFFERED_PAGES);
        assertThat(adaptive.averageForceBytes()).isBetween(16L * 1024, 128L * 1024);
    }

    @Test
    void shouldRefuseANegativeGuess()
    {
        assertThatThrownBy(() -> new AdaptivePreallocation(-1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initialAverageForceBytes=-1");
    }
}
