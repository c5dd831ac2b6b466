package io.jruntime.core.cgroups;

import java.nio.file.Path;
import java.util.Map;

/** devices.allow/deny on cgroup v1 (runc fs/devices.go); on v2 the rules are a BPF program ({@link DeviceFilter}). */
final class DevicesV1Writer {
    private static final String R = ResourceWriter.R;

    private DevicesV1Writer() {
    }

    /**
     * Brings devices.list to the target state. If both are allow-lists it only adds and removes the differences, so
     * a running container never sees a moment where everything is denied; otherwise it resets ("a" to devices.deny or
     * devices.allow) and writes the exceptions. The result is read back and compared.
     */
    static void write(Path d, DeviceCgroupRules.State target) {
        String f = R + "devices";
        DeviceCgroupRules.State cur = DeviceCgroupRules.parseList(CgroupFiles.read(d.resolve("devices.list")));
        if (DeviceCgroupRules.sameState(cur, target)) {
            return;
        }
        if (!target.defaultAllow() && !cur.defaultAllow()) {
            Map<DeviceCgroupRules.Key, Integer> have = new java.util.LinkedHashMap<>();
            cur.exceptions().forEach(e -> have.merge(e.key(), e.access(), (a, b) -> a | b));
            Map<DeviceCgroupRules.Key, Integer> want = new java.util.LinkedHashMap<>();
            target.exceptions().forEach(e -> want.merge(e.key(), e.access(), (a, b) -> a | b));
            for (var e : have.entrySet()) {
                int remove = e.getValue() & ~want.getOrDefault(e.getKey(), 0);
                if (remove != 0) {
                    var k = e.getKey();
                    CgroupFiles.write(f, d, "devices.deny",
                            new DeviceCgroupRules.Entry(k.type(), k.major(), k.minor(), remove).text());
                }
            }
            for (var e : want.entrySet()) {
                int add = e.getValue() & ~have.getOrDefault(e.getKey(), 0);
                if (add != 0) {
                    var k = e.getKey();
                    CgroupFiles.write(f, d, "devices.allow",
                            new DeviceCgroupRules.Entry(k.type(), k.major(), k.minor(), add).text());
                }
            }
            DeviceCgroupRules.State now = DeviceCgroupRules.parseList(CgroupFiles.read(d.resolve("devices.list")));
            if (DeviceCgroupRules.sameState(now, target)) {
                return;
            }
        }
        if (target.defaultAllow()) {
            CgroupFiles.write(f, d, "devices.allow", "a");
            for (DeviceCgroupRules.Entry e : target.exceptions()) {
                CgroupFiles.write(f, d, "devices.deny", e.text());
            }
        } else {
            CgroupFiles.write(f, d, "devices.deny", "a");
            for (DeviceCgroupRules.Entry e : target.exceptions()) {
                CgroupFiles.write(f, d, "devices.allow", e.text());
            }
        }
    }
}
