package io.jruntime.criu;

/** Which optional kernel features to ask CRIU about (FEATURE_CHECK request). */
public record FeatureCheck(boolean memTrack, boolean lazyPages, boolean pidfdStore) {
    public static final FeatureCheck ALL = new FeatureCheck(true, true, true);
    public static final FeatureCheck MEM_TRACK = new FeatureCheck(true, false, false);
    public static final FeatureCheck LAZY_PAGES = new FeatureCheck(false, true, false);
}
