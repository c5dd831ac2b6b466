package io.jruntime.core.cgroups;

import io.jruntime.core.JRuntimeException;
import io.jruntime.core.cgroups.CgroupResources.HugepageLimit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** {@code hugetlb.<size>.limit_in_bytes} (v1) / {@code hugetlb.<size>.max} (v2), and the {@code .rsvd} files where they exist (runc fs/hugetlb.go, fs2/hugetlb.go). */
final class HugetlbWriter {
    private static final String R = ResourceWriter.R;

    private HugetlbWriter() {
    }

    static void write(ResourceWriter w, List<HugepageLimit> limits) {
        ResourceWriter.Target t = w.target("hugetlb", R + "hugepageLimits");
        Path d = t.dir();
        String suffix = t.v2() ? ".max" : ".limit_in_bytes";
        for (int i = 0; i < limits.size(); i++) {
            HugepageLimit h = limits.get(i);
            String file = "hugetlb." + h.pageSize() + suffix;
            String field = R + "hugepageLimits[" + i + "]";
            if (!Files.exists(d.resolve(file))) {
                throw new JRuntimeException(field + ".pageSize: huge page size " + h.pageSize() + " is not supported here ("
                        + d.resolve(file) + " does not exist; available: " + String.join(", ", hugePageSizes(d, suffix)) + ")");
            }
            String v = h.limit() < 0 ? (t.v2() ? "max" : "-1") : Long.toString(h.limit());
            CgroupFiles.write(field + ".limit", d, file, v);
            String rsvd = "hugetlb." + h.pageSize() + ".rsvd" + suffix;
            if (Files.exists(d.resolve(rsvd))) {
                CgroupFiles.write(field + ".limit", d, rsvd, v);
            }
        }
    }

    static List<String> hugePageSizes(Path d, String suffix) {
        Set<String> s = new TreeSet<>();
        try (var ds = Files.newDirectoryStream(d, "hugetlb.*" + suffix)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                String mid = n.substring("hugetlb.".length(), n.length() - suffix.length());
                if (!mid.contains(".")) {
                    s.add(mid);
                }
            }
        } catch (Exception e) {
            // none
        }
        return new ArrayList<>(s);
    }
}
