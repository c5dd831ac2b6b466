package io.jruntime.spec;

/** Builds the JSON paths used in messages: {@code linux.namespaces[2].type}, {@code linux.sysctl["net.core.x"]}. */
final class JsonPath {

    private JsonPath() {
    }

    /** {@code parent.name}, or just {@code name} at the top level (an empty parent). */
    static String field(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** Map keys are quoted because they often contain dots (sysctl names, annotations). */
    static String key(String parent, String key) {
        return parent + "[\"" + key + "\"]";
    }
}
