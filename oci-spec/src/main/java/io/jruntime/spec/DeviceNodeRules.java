package io.jruntime.spec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** linux.devices: nodes to create in the container. */
final class DeviceNodeRules {

    private DeviceNodeRules() {
    }

    static void check(List<Linux.Device> devices, ViolationCollector out) {
        if (devices == null) {
            return;
        }
        Map<String, String> firstByPath = new HashMap<>();
        for (int i = 0; i < devices.size(); i++) {
            Linux.Device device = devices.get(i);
            String at = JsonPath.index("linux.devices", i);
            String pathPath = JsonPath.field(at, "path");
            out.absolutePath(pathPath, device.path(), "/dev/fuse");
            if (ViolationCollector.isSet(device.path())) {
                String first = firstByPath.putIfAbsent(device.path(), pathPath);
                if (first != null) {
                    out.add(pathPath, "duplicate device " + ViolationCollector.quote(device.path())
                            + " (already at " + first + "); each path can hold one device");
                }
            }
            out.knownName(JsonPath.field(at, "type"), device.type(), KnownValues.DEVICE_TYPES, "device type",
                    "mknod(1)");
            // A FIFO has no device number; every other node needs both.
            if (!"p".equals(device.type())) {
                out.required(JsonPath.field(at, "major"), device.major(), "a " + describe(device.type())
                        + " needs a major number");
                out.required(JsonPath.field(at, "minor"), device.minor(), "a " + describe(device.type())
                        + " needs a minor number");
            }
            out.uint32(JsonPath.field(at, "fileMode"), device.fileMode(), "a file mode");
            out.uint32(JsonPath.field(at, "uid"), device.uid(), "a uid");
            out.uint32(JsonPath.field(at, "gid"), device.gid(), "a gid");
        }
    }

    private static String describe(String type) {
        return switch (type == null ? "" : type) {
            case "b" -> "block device";
            case "c", "u" -> "character device";
            default -> "device";
        };
    }
}
