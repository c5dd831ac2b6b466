package io.jruntime.criu;

/**
 * CRIU's answer to a {@link FeatureCheck}. A feature that was not asked for reads false.
 *
 * @param memTrack   memory dirty tracking (soft-dirty bits): needed by pre-dump and --track-mem
 *                   (`criu check --feature mem_dirty_track`)
 * @param lazyPages  non-cooperative userfaultfd: needed by lazy-pages dump/restore (`criu check --feature uffd-noncoop`)
 * @param pidfdStore pidfd_open and pidfd_getfd: needed by the pidfd store that detects pid reuse between iterative dumps
 */
public record CriuFeatures(boolean memTrack, boolean lazyPages, boolean pidfdStore) {
}
