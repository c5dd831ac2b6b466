package io.jruntime.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Lists the JSON paths of every field that landed in some record's unknownFields, by walking the records. */
final class UnknownFieldFinder {

    private UnknownFieldFinder() {
    }

    static List<String> find(Record root) {
        List<String> found = new ArrayList<>();
        walk(root, "", found);
        return found;
    }

    private static void walk(Object value, String path, List<String> found) {
        if (value instanceof Record record) {
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                Object child = read(component, record);
                if (component.getName().equals("unknownFields")) {
                    ((Map<?, ?>) child).keySet().forEach(key -> found.add(JsonPath.field(path, (String) key)));
                } else {
                    walk(child, JsonPath.field(path, jsonName(component)), found);
                }
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), JsonPath.index(path, i), found);
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((key, child) -> walk(child, JsonPath.key(path, (String) key), found));
        }
    }

    private static String jsonName(RecordComponent component) {
        JsonProperty renamed = component.getAnnotation(JsonProperty.class);
        return renamed == null ? component.getName() : renamed.value();
    }

    private static Object read(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
