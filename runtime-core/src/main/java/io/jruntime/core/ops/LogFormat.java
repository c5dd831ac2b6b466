package io.jruntime.core.ops;

/** {@code --log-format}: logrus-style text lines or one JSON object per line. */
public enum LogFormat {
    TEXT, JSON
}
