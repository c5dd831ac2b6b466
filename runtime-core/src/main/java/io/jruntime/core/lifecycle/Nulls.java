package io.jruntime.core.lifecycle;

import java.util.List;
import java.util.Map;

/** The spec model keeps absent fields as null (to write them back absent); these read them as empty. */
public final class Nulls {
    private Nulls() {
    }

    public static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }

    public static <K, V> Map<K, V> map(Map<K, V> m) {
        return m == null ? Map.of() : m;
    }
}
