package io.jruntime.core.cgroups;

import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.NotImplementedException;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Creates container cgroups the way runc's cgroupfs driver does, on unified, legacy and hybrid hosts.
 *
 * <pre>
 * CgroupManager m = new CgroupManager();
 * Cgroup cg = m.create(id, spec.linux.cgroupsPath, systemdCgroupFlag, resources, rootless);
 * cg.join(initPid);
 * state.cgroupPaths = cg.toPaths();          // later: Cgroup.fromPaths(state.cgroupPaths)
 * </pre>
 */
public final class CgroupManager {
    private final CgroupHost host;

    /** A manager for this machine's layout. */
    public CgroupManager() {
        this(CgroupHost.detect());
    }

    public CgroupManager(CgroupHost host) {
        this.host = host;
    }

    public CgroupHost host() {
        return host;
    }

    /**
     * Makes the container's cgroup in every hierarchy (all mounted v1 hierarchies including name=systemd, and the
     * cgroup2 tree on unified and hybrid hosts), prepares it (cpuset.cpus/mems copied from the parent on v1; controllers
     * delegated down the path on v2), and applies the resources. Nothing joins yet: call {@link Cgroup#join}.
     *
     * @param containerId     used for the default path (runc: the id, relative to the caller's own cgroup)
     * @param cgroupsPath     linux.cgroupsPath (null/empty = default)
     * @param systemdCgroup   --systemd-cgroup
     * @param resources       linux.resources (null = none)
     * @param rootlessCgroups rootless semantics: permission errors on creating/joining become warnings unless
     *                        resources were requested for that hierarchy
     */
    public Cgroup create(String containerId, String cgroupsPath, boolean systemdCgroup, CgroupResources resources,
                         boolean rootlessCgroups) {
        if (systemdCgroup) {
            if (!CgroupHost.systemdRunning()) {
                throw new InvalidArgumentException(CgroupPath.systemdNotRunningMessage(containerId));
            }
            CgroupPath.Systemd s = CgroupPath.Systemd.parse(containerId, cgroupsPath);
            throw new NotImplementedException("systemd cgroup driver (transient unit " + s.unitName() + " in "
                    + s.slice() + ", cgroup " + s.cgroupPath() + ", created through D-Bus); drop --systemd-cgroup");
        }
        CgroupPath path = CgroupPath.resolve(containerId, cgroupsPath);
        CgroupResources res = resources == null ? CgroupResources.NONE : resources;
        ResourceWriter.validate(res);
        // Rootless, device rules are best effort (as runc): the spec's default deny-all is in nearly every config, and
        // in a user namespace devices cannot be created anyway (only bind-mounted), so they never make a cgroup required.
        Map<String, String> required = requiredControllers(rootlessCgroups ? res.withDevices(null) : res, host.mode());
        checkUnified(res);
        preflight(path);
        Map<String, Path> paths = new LinkedHashMap<>();
        Map<String, Integer> created = new LinkedHashMap<>();
        try {
            for (CgroupHost.Hierarchy h : host.all()) {
                Path dir = path.in(host, h);
                if (!dir.normalize().startsWith(h.mountPoint())) {
                    throw new InvalidArgumentException("linux.cgroupsPath \"" + cgroupsPath + "\" resolves to " + dir
                            + ", outside " + h.mountPoint());
                }
                int levels;
                try {
                    levels = mkdirs(dir);
                } catch (CreateException e) {
                    if (rootlessCgroups && e.kind == CgroupFiles.Kind.PERMISSION) {
                        String field = null;
                        for (String k : h.keys()) {
                            field = field != null ? field : required.get(k);
                        }
                        if (field == null) {
                            Cgroup.log().warning("rootless cgroups: " + e.getMessage() + " (ignored: no resources requested "
                                    + "for " + Cgroup.describeKeys(h.keys()) + ")");
                            continue;
                        }
                        throw new JRuntimeException(field + ": " + e.getMessage()
                                + " (rootless cgroups; the requested limit cannot be enforced)", e.getCause());
                    }
                    throw new JRuntimeException(e.getMessage(), e.getCause());
                }
                for (String k : h.keys()) {
                    paths.put(k, dir);
                    created.put(k, levels);
                }
                if (h.controllers().contains("cpuset")) {
                    initCpuset(h.mountPoint(), dir);
                }
                if (h.v2() && host.mode() == CgroupLayout.UNIFIED) {
                    delegateControllers(h.mountPoint(), dir);
                }
            }
            Cgroup cg = new Cgroup(host.mode(), paths, created, rootlessCgroups, required);
            cg.apply(res);
            return cg;
        } catch (RuntimeException e) {
            try {
                new Cgroup(host.mode(), paths, created, rootlessCgroups, Map.of()).destroy(Duration.ofSeconds(1));
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * linux.resources.unified without cgroup v2 is refused before anything is made (runc: "invalid configuration:
     * cannot use unified on cgroup v1"). A hybrid host's v2 tree takes a key only when its controller is
     * available there (cgroup.* keys always); otherwise the same refusal, naming the key.
     */
    private void checkUnified(CgroupResources res) {
        if (res.unified() == null || res.unified().isEmpty() || host.mode() == CgroupLayout.UNIFIED) {
            return;
        }
        java.util.Set<String> available = host.mode() == CgroupLayout.HYBRID ? host.unifiedControllers() : java.util.Set.of();
        for (String key : new java.util.TreeSet<>(res.unified().keySet())) {
            int dot = key.indexOf('.');
            String controller = dot < 0 ? key : key.substring(0, dot);
            if (host.mode() == CgroupLayout.HYBRID && (controller.equals("cgroup") || available.contains(controller))) {
                continue;
            }
            throw new InvalidArgumentException("invalid configuration: cannot use unified on cgroup v1 "
                    + "(linux.resources.unified[\"" + key + "\"]: " + (host.mode() == CgroupLayout.HYBRID
                    ? "the " + controller + " controller is not in this hybrid host's cgroup v2 tree; use the matching"
                    + " linux.resources field)" : "this host has no cgroup v2)"));
        }
    }

    /**
     * runc's checks on a target cgroup that already exists, before anything is created: a frozen one is refused
     * (the init would hang in it, in D state, until someone thaws it), one with processes only warned about.
     */
    private void preflight(CgroupPath path) {
        long procs = 0;
        for (CgroupHost.Hierarchy h : host.all()) {
            Path dir = path.in(host, h);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            if (frozen(h, dir)) {
                throw new InvalidArgumentException("container's cgroup unexpectedly frozen");
            }
            procs = Math.max(procs, countProcesses(dir));
        }
        if (procs > 0) {
            Cgroup.log().warning("container's cgroup is not empty: " + procs + " process(es) found");
        }
    }

    /** Frozen by itself (v1 freezer.self_freezing, as runc decides) or through cgroup.freeze on v2. */
    private static boolean frozen(CgroupHost.Hierarchy h, Path dir) {
        try {
            if (h.v2()) {
                Path f = dir.resolve("cgroup.freeze");
                return Files.exists(f) && CgroupFiles.read(f).trim().equals("1");
            }
            if (h.controllers().contains("freezer")) {
                String state = CgroupFiles.read(dir.resolve("freezer.state")).trim();
                return !state.equals("THAWED") && CgroupFiles.read(dir.resolve("freezer.self_freezing")).trim().equals("1");
            }
        } catch (RuntimeException e) {
            Cgroup.log().fine("freezer state of " + dir + ": " + e.getMessage());
        }
        return false;
    }

    private static long countProcesses(Path dir) {
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isDirectory).mapToLong(d -> {
                try {
                    return CgroupFiles.read(d.resolve("cgroup.procs")).lines().filter(l -> !l.isBlank()).count();
                } catch (RuntimeException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    /**
     * The state map {@link #create} would return, computed without creating anything: every hierarchy's directory and,
     * as the levels "created", the trailing levels that do not exist yet. Written to the state record before the
     * cgroups are made, so that {@link Cgroup#destroy} can remove what a crashed create made, and never more
     * (directories that are missing are fine to destroy; levels that exist now are never counted). Empty with the
     * systemd driver, which {@link #create} refuses.
     */
    public Map<String, String> plan(String containerId, String cgroupsPath, boolean systemdCgroup, boolean rootlessCgroups) {
        if (systemdCgroup) {
            return Map.of();
        }
        CgroupPath path = CgroupPath.resolve(containerId, cgroupsPath);
        Map<String, Path> paths = new LinkedHashMap<>();
        Map<String, Integer> missing = new LinkedHashMap<>();
        for (CgroupHost.Hierarchy h : host.all()) {
            Path dir = path.in(host, h);
            if (!dir.normalize().startsWith(h.mountPoint())) {
                continue; // create refuses it before making anything
            }
            int levels = 0;
            for (Path p = dir; p != null && !p.equals(h.mountPoint()) && !Files.isDirectory(p); p = p.getParent()) {
                levels++;
            }
            for (String k : h.keys()) {
                paths.put(k, dir);
                missing.put(k, levels);
            }
        }
        return new Cgroup(host.mode(), paths, missing, rootlessCgroups, Map.of()).toPaths();
    }

    private static final class CreateException extends Exception {
        final CgroupFiles.Kind kind;

        CreateException(String msg, CgroupFiles.Kind kind, IOException cause) {
            super(msg, cause);
            this.kind = kind;
        }
    }

    /**
     * mkdir -p, counting how many trailing levels this call created (a level that already existed resets the count:
     * it and its parents belong to someone else).
     */
    private static int mkdirs(Path dir) throws CreateException {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.add(p);
        }
        Collections.reverse(missing);
        int made = 0;
        for (Path p : missing) {
            try {
                Files.createDirectory(p);
                made++;
            } catch (FileAlreadyExistsException e) {
                made = 0;
            } catch (IOException e) {
                throw new CreateException("cannot create cgroup " + p + ": " + CgroupFiles.reason(e), CgroupFiles.kind(e), e);
            }
        }
        return made;
    }

    /**
     * A new v1 cpuset cgroup has empty cpuset.cpus/mems and refuses tasks (ENOSPC) until they are set: copy them from
     * the parent, top-down, for every level on the path that is still empty.
     */
    static void initCpuset(Path mountPoint, Path dir) {
        Path rel = mountPoint.relativize(dir);
        Path parent = mountPoint;
        for (int i = 0; i < rel.getNameCount(); i++) {
            Path cur = parent.resolve(rel.getName(i));
            for (String f : new String[]{"cpuset.cpus", "cpuset.mems"}) {
                String mine = CgroupFiles.readOptional(cur.resolve(f));
                if (mine != null && mine.trim().isEmpty()) {
                    String from = CgroupFiles.readOptional(parent.resolve(f));
                    if (from == null || from.trim().isEmpty()) {
                        throw new JRuntimeException("cannot initialise " + cur.resolve(f) + ": " + parent.resolve(f)
                                + " is empty");
                    }
                    CgroupFiles.write(f + " (copied from " + parent + ")", cur, f, from.trim());
                }
            }
            parent = cur;
        }
    }

    /**
     * cgroup v2: a controller is usable in a cgroup only if every ancestor lists it in cgroup.subtree_control. Enable
     * all available controllers from the root down to the container's parent (as runc does); failures are left for
     * the resource writes to report, with the file and field.
     */
    static void delegateControllers(Path mountPoint, Path dir) {
        Path rel = mountPoint.relativize(dir);
        Path cur = mountPoint;
        for (int i = 0; i < rel.getNameCount(); i++) {
            Set<String> avail = CgroupFiles.readControllers(cur.resolve("cgroup.controllers"));
            Set<String> on = CgroupFiles.readControllers(cur.resolve("cgroup.subtree_control"));
            Set<String> missing = new LinkedHashSet<>(avail);
            missing.removeAll(on);
            if (!missing.isEmpty()) {
                List<String> plus = new ArrayList<>();
                missing.forEach(c -> plus.add("+" + c));
                try {
                    CgroupFiles.writeRaw(cur.resolve("cgroup.subtree_control"), String.join(" ", plus));
                } catch (IOException e) {
                    for (String c : plus) {
                        try {
                            CgroupFiles.writeRaw(cur.resolve("cgroup.subtree_control"), c);
                        } catch (IOException e2) {
                            Cgroup.log().fine("cannot enable " + c + " in " + cur + ": " + CgroupFiles.reason(e2));
                        }
                    }
                }
            }
            cur = cur.resolve(rel.getName(i));
        }
    }

    /** For each hierarchy key: the first resource field that needs it (for rootless error messages). */
    static Map<String, String> requiredControllers(CgroupResources r, CgroupLayout mode) {
        Map<String, String> m = new LinkedHashMap<>();
        String p = "linux.resources.";
        if (r.memory() != null && !r.memory().isEmpty()) {
            m.putIfAbsent("memory", p + "memory");
        }
        if (r.cpu() != null && !r.cpu().isEmpty()) {
            var c = r.cpu();
            if ((c.cpus() != null && !c.cpus().isEmpty()) || (c.mems() != null && !c.mems().isEmpty())) {
                m.putIfAbsent("cpuset", p + "cpu." + (c.cpus() != null && !c.cpus().isEmpty() ? "cpus" : "mems"));
            }
            if (c.shares() != null || c.quota() != null || c.period() != null || c.burst() != null
                    || c.realtimeRuntime() != null || c.realtimePeriod() != null || c.idle() != null) {
                m.putIfAbsent("cpu", p + "cpu");
            }
        }
        if (r.pids() != null && r.pids().limit() != null) {
            m.putIfAbsent("pids", p + "pids.limit");
        }
        if (r.blockIO() != null && !r.blockIO().isEmpty()) {
            m.putIfAbsent("blkio", p + "blockIO");
        }
        if (r.hugepageLimits() != null && !r.hugepageLimits().isEmpty()) {
            m.putIfAbsent("hugetlb", p + "hugepageLimits");
        }
        if (r.network() != null && r.network().classID() != null) {
            m.putIfAbsent("net_cls", p + "network.classID");
        }
        if (r.network() != null && r.network().priorities() != null && !r.network().priorities().isEmpty()) {
            m.putIfAbsent("net_prio", p + "network.priorities");
        }
        if (r.rdma() != null && !r.rdma().isEmpty()) {
            m.putIfAbsent("rdma", p + "rdma");
        }
        if (r.devices() != null && !r.devices().isEmpty()) {
            m.putIfAbsent("devices", p + "devices");
        }
        if (r.unified() != null && !r.unified().isEmpty()) {
            m.putIfAbsent("", p + "unified");
        }
        if (mode == CgroupLayout.UNIFIED && !m.isEmpty() && !m.containsKey("")) {
            m.put("", m.values().iterator().next());
        }
        return m;
    }
}
