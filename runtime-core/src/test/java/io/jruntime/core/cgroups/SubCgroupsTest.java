package io.jruntime.core.cgroups;

import io.jruntime.core.InvalidArgumentException;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SubCgroupsTest {
    private static final Map<String, String> STATE = new LinkedHashMap<>();

    static {
        STATE.put("cpu", "/sys/fs/cgroup/cpu,cpuacct/c");
        STATE.put("cpuacct", "/sys/fs/cgroup/cpu,cpuacct/c");
        STATE.put("memory", "/sys/fs/cgroup/memory/c");
        STATE.put("", "/sys/fs/cgroup/unified/c");
        STATE.put("jruntime.created", "cpu=1,memory=1,=1");
    }

    @Test
    void onePathMovesEveryHierarchy() {
        Map<String, String> m = SubCgroups.apply(STATE, List.of("sub"));
        assertEquals("/sys/fs/cgroup/memory/c/sub", m.get("memory"));
        assertEquals("/sys/fs/cgroup/cpu,cpuacct/c/sub", m.get("cpuacct"));
        assertEquals("/sys/fs/cgroup/unified/c/sub", m.get(""));
        assertEquals("cpu=1,memory=1,=1", m.get("jruntime.created"));
    }

    @Test
    void controllerFormMovesThatHierarchyWithItsCoMountedControllers() {
        Map<String, String> m = SubCgroups.apply(STATE, List.of("cpu:a/b"));
        assertEquals("/sys/fs/cgroup/cpu,cpuacct/c/a/b", m.get("cpu"));
        assertEquals("/sys/fs/cgroup/cpu,cpuacct/c/a/b", m.get("cpuacct"));
        assertEquals("/sys/fs/cgroup/memory/c", m.get("memory"));
    }

    @Test
    void refusalsUseRuncsWords() {
        assertEquals("unknown controller bogus in SubCgroupPaths", assertThrows(InvalidArgumentException.class,
                () -> SubCgroups.apply(STATE, List.of("bogus:/"))).getMessage());
        assertEquals(".. is not a sub cgroup path", assertThrows(InvalidArgumentException.class,
                () -> SubCgroups.apply(STATE, List.of(".."))).getMessage());
        // runc's string-prefix check lets this reach the sibling cgroup "cx"; jruntime does not
        assertEquals("../cx is not a sub cgroup path", assertThrows(InvalidArgumentException.class,
                () -> SubCgroups.apply(STATE, List.of("memory:../cx"))).getMessage());
        assertEquals("invalid --cgroup argument: a:b:c", assertThrows(InvalidArgumentException.class,
                () -> SubCgroups.parse(List.of("a:b:c"))).getMessage());
        assertEquals("invalid --cgroup argument: x (missing <controller>: prefix)", assertThrows(
                InvalidArgumentException.class, () -> SubCgroups.parse(List.of("x", "cpu:y"))).getMessage());
        assertThrows(InvalidArgumentException.class, () -> SubCgroups.apply(STATE, List.of("jruntime.created:x")));
    }
}
