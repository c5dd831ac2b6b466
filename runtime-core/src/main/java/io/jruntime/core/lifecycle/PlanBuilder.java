package io.jruntime.core.lifecycle;

import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.cgroups.Cgroup;
import io.jruntime.core.cgroups.CgroupHost;
import io.jruntime.core.hooks.HookRunner;
import io.jruntime.core.init.InitProtocol;
import io.jruntime.core.init.LaunchPlan;
import io.jruntime.core.init.PlanRecord;
import io.jruntime.core.mounts.HostMounts;
import io.jruntime.core.mounts.IdmapPlan;
import io.jruntime.core.mounts.MountOptions;
import io.jruntime.core.mounts.NoMountNamespace;
import io.jruntime.core.rootless.RootlessDecision;
import io.jruntime.core.security.CapabilityNames;
import io.jruntime.core.security.RlimitNames;
import io.jruntime.core.security.seccomp.SeccompProgram;
import io.jruntime.core.sys.Processes;
import io.jruntime.core.userns.IdMapWriter;
import io.jruntime.spec.Hook;
import io.jruntime.spec.IdMapping;
import io.jruntime.spec.Linux;
import io.jruntime.spec.Mount;
import io.jruntime.spec.Process;
import io.jruntime.spec.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.logging.Logger;

/**
 * Computes the launch plan jruntime-init executes, from config.json and the command's options. All
 * decisions are made here (flags, order, defaults, which devices, bind or mknod); the helper only carries
 * them out. Two shapes: {@link #forCreate} builds a whole container, {@link #forExec} adds a process to one.
 */
public final class PlanBuilder {
    /** Devices every container gets when /dev is a fresh tmpfs, as runc and the spec's defaults list them. */
    private static final List<String[]> DEFAULT_DEVICES = List.of(
            new String[] {"/dev/null", "c", "1", "3"}, new String[] {"/dev/zero", "c", "1", "5"},
            new String[] {"/dev/full", "c", "1", "7"}, new String[] {"/dev/random", "c", "1", "8"},
            new String[] {"/dev/urandom", "c", "1", "9"}, new String[] {"/dev/tty", "c", "5", "0"});

    /** What create needs besides config.json. */
    public record CreateInputs(String id, Path bundle, Path rootfs, Path execFifo, boolean noPivot,
                               boolean noNewKeyring, int preserveFds, boolean rootlessEuid,
                               Cgroup cgroup, SeccompProgram seccomp) {
    }

    private final List<PlanRecord> out = new ArrayList<>();

    private PlanBuilder() {
    }

    public static LaunchPlan forCreate(Spec spec, CreateInputs in) {
        PlanBuilder b = new PlanBuilder();
        Linux linux = spec.linux();
        b.add(PlanRecord.text(InitProtocol.MODE, "create"));
        long unshare = 0;
        boolean userns = false;
        boolean cgroupns = false;
        if (linux != null) {
            for (String type : Namespaces.ORDER) {
                for (Linux.Namespace ns : Nulls.list(linux.namespaces())) {
                    if (!type.equals(ns.type())) {
                        continue;
                    }
                    if (ns.path() == null || ns.path().isEmpty()) {
                        if (type.equals("cgroup")) {
                            cgroupns = true;
                        } else {
                            unshare |= Namespaces.flag(type);
                        }
                        userns |= type.equals("user");
                    } else {
                        b.add(PlanRecord.text(InitProtocol.JOIN_NS, Namespaces.procName(type), ns.path()));
                        userns |= type.equals("user");
                    }
                }
            }
        }
        boolean mountNs = (unshare & Namespaces.CLONE_NEWNS) != 0
                || (linux != null && linux.namespace("mount").filter(n -> n.path() != null).isPresent());
        if (!mountNs) {
            NoMountNamespace.check(spec);
        }
        b.add(PlanRecord.number(InitProtocol.UNSHARE, unshare));
        if ((unshare & Namespaces.CLONE_NEWNET) != 0) {
            b.add(PlanRecord.flag(InitProtocol.LOOPBACK_UP));
        }
        if (cgroupns) {
            b.add(PlanRecord.flag(InitProtocol.UNSHARE_CGROUP));
        }
        if (linux != null && !Nulls.map(linux.timeOffsets()).isEmpty()) {
            StringBuilder sb = new StringBuilder();
            Nulls.map(linux.timeOffsets()).forEach((clock, off) -> sb.append(clock).append(' ')
                    .append(off.secs() == null ? 0 : off.secs()).append(' ')
                    .append(off.nanosecs() == null ? 0 : off.nanosecs()).append('\n'));
            b.add(PlanRecord.text(InitProtocol.TIMENS_OFFSETS, sb.toString()));
        }

        b.add(PlanRecord.text(InitProtocol.ROOTFS, in.rootfs().toString()));
        if (mountNs) {
            b.rootfsMounts(spec, in, userns);
        } else {
            // Nothing to mount (NoMountNamespace refused it all): a chroot, and linux.devices made in the rootfs.
            if (linux != null && !Nulls.list(linux.devices()).isEmpty() && (userns || runningInUserNamespace())) {
                throw new InvalidArgumentException("linux.devices: in a user namespace devices are bind-mounted, which "
                        + "needs a mount namespace (linux.namespaces has no \"mount\")");
            }
            b.devices(linux, false, userns || runningInUserNamespace());
            b.add(PlanRecord.text(InitProtocol.PIVOT, "chroot"));
        }
        if (spec.root() != null && Boolean.TRUE.equals(spec.root().readonly())) {
            b.add(PlanRecord.flag(InitProtocol.ROOT_READONLY));
        }
        if (spec.hostname() != null && !spec.hostname().isEmpty()) {
            b.add(PlanRecord.text(InitProtocol.HOSTNAME, spec.hostname()));
        }
        if (spec.domainname() != null && !spec.domainname().isEmpty()) {
            b.add(PlanRecord.text(InitProtocol.DOMAINNAME, spec.domainname()));
        }
        if (!in.noNewKeyring()) {
            b.add(PlanRecord.text(InitProtocol.KEYRING, "_ses." + in.id()));
        }
        if (spec.hooks() != null) {
            if (!Nulls.list(spec.hooks().prestart()).isEmpty() || !Nulls.list(spec.hooks().createRuntime()).isEmpty()) {
                b.add(PlanRecord.flag(InitProtocol.RUNTIME_HOOKS));
            }
            // Hooks the init runs without an env of their own get the process's (runc's init runs them with the
            // container process's environment already in place).
            List<String> procEnv = spec.process() == null ? List.of() : Nulls.list(spec.process().env());
            Nulls.list(spec.hooks().createContainer())
                    .forEach(h -> b.add(hook(InitProtocol.HOOK_CREATE_CONTAINER, h, procEnv)));
            Nulls.list(spec.hooks().startContainer())
                    .forEach(h -> b.add(hook(InitProtocol.HOOK_START_CONTAINER, h, procEnv)));
        }
        if (in.execFifo() != null) {
            b.add(PlanRecord.text(InitProtocol.EXEC_FIFO, in.execFifo().toString()));
        }
        Process p = spec.process();
        if (p == null) {
            throw new InvalidArgumentException("process: config.json has no process to run");
        }
        List<String> uidMap = new ArrayList<>();
        List<String> gidMap = new ArrayList<>();
        boolean newUserns = linux != null && (unshare & Namespaces.CLONE_NEWUSER) != 0;
        if (newUserns) {
            Nulls.list(linux.uidMappings()).forEach(m -> uidMap.add(mapLine(m)));
            Nulls.list(linux.gidMappings()).forEach(m -> gidMap.add(mapLine(m)));
        }
        // Rootless, setgroups is denied exactly when jruntime writes gid_map itself (one line: our own gid);
        // with newgidmap it stays allowed. A joined user namespace made by someone rootless is assumed denied.
        boolean denySetgroups = newUserns
                ? in.rootlessEuid() && IdMapWriter.setgroupsDenied(true, gidMap, Integer.toUnsignedLong(Processes.getegid()))
                : in.rootlessEuid() && userns;
        b.process(p, linux, denySetgroups, in.preserveFds(), in.seccomp());
        if (Boolean.TRUE.equals(p.terminal())) {
            b.add(PlanRecord.flag(InitProtocol.CONSOLE_BIND));
        }
        return new LaunchPlan(b.out, uidMap, gidMap, denySetgroups, in.preserveFds());
    }

    /**
     * A plan that joins the namespaces of a running container (type to /proc/PID/ns path, in join order) and
     * execs one process there.
     */
    public static LaunchPlan forExec(Map<String, String> namespacePaths, Process p, Linux linux, int preserveFds,
                                     boolean setgroupsDenied, SeccompProgram seccomp) {
        return forExec(namespacePaths, p, linux, preserveFds, setgroupsDenied, seccomp, null);
    }

    /** As above; {@code rootfs} is the container's, chrooted into when it has no mount namespace of its own. */
    public static LaunchPlan forExec(Map<String, String> namespacePaths, Process p, Linux linux, int preserveFds,
                                     boolean setgroupsDenied, SeccompProgram seccomp, String rootfs) {
        PlanBuilder b = new PlanBuilder();
        b.add(PlanRecord.text(InitProtocol.MODE, "exec"));
        for (String type : Namespaces.ORDER) {
            String path = namespacePaths.get(type);
            if (path != null) {
                b.add(PlanRecord.text(InitProtocol.JOIN_NS, Namespaces.procName(type), path));
            }
        }
        b.add(PlanRecord.number(InitProtocol.UNSHARE, 0));
        if (!namespacePaths.containsKey("mount") && rootfs != null) {
            // The container shares the runtime's mount namespace and lives in a chroot: so does the new process.
            b.add(PlanRecord.text(InitProtocol.ROOTFS, rootfs));
            b.add(PlanRecord.text(InitProtocol.PIVOT, "chroot"));
        }
        b.process(p, linux, setgroupsDenied && namespacePaths.containsKey("user"), preserveFds, seccomp);
        return new LaunchPlan(b.out, List.of(), List.of(), false, preserveFds);
    }

    private static Boolean inUserns;

    /** True when jruntime itself is not in the initial user namespace (root in Docker-in-LXD, rootless Podman). */
    static boolean runningInUserNamespace() {
        if (inUserns == null) {
            String map;
            try {
                map = Files.readString(Path.of("/proc/self/uid_map"));
            } catch (java.io.IOException e) {
                map = "0 0 4294967295";
            }
            inUserns = !RootlessDecision.inInitialUserNamespace(map);
        }
        return inUserns;
    }

    private void add(PlanRecord r) {
        out.add(r);
    }

    private static String mapLine(IdMapping m) {
        return m.containerID() + " " + m.hostID() + " " + m.size();
    }

    private static PlanRecord hook(int tag, Hook h, List<String> defaultEnv) {
        List<String> f = new ArrayList<>();
        f.add(Integer.toString(h.timeout() == null ? 0 : h.timeout()));
        f.add(h.path());
        f.add(Integer.toString(Nulls.list(h.args()).size()));
        f.addAll(Nulls.list(h.args()));
        f.addAll(HookRunner.env(h, defaultEnv));
        return PlanRecord.text(tag, f);
    }

    /** Everything done in the container's own mount namespace: propagation, mounts, devices, masks, the pivot. */
    private void rootfsMounts(Spec spec, CreateInputs in, boolean userns) {
        Linux linux = spec.linux();
        Long rootProp = MountOptions.propagation(linux == null ? null : linux.rootfsPropagation());
        add(PlanRecord.number(InitProtocol.ROOT_PROPAGATION,
                rootProp != null ? rootProp : MountOptions.MS_SLAVE | MountOptions.MS_REC));
        // As real root creating a user namespace, bind sources are cloned before it exists: inside it, a source
        // under a 0700 root-owned directory is out of reach (runc opens such sources on the host side too).
        boolean hostRoot = !in.rootlessEuid() && !runningInUserNamespace();
        boolean devIsTmpfs = mounts(spec, in, userns, userns && hostRoot, hostRoot);
        // mknod is refused in any user namespace but the initial one: also when jruntime itself runs in one.
        devices(linux, devIsTmpfs, userns || runningInUserNamespace());
        if (linux != null) {
            // Read-only first, then masks: a masked path under a read-only one must still be masked (runc's order).
            Nulls.list(linux.readonlyPaths()).forEach(p -> add(PlanRecord.text(InitProtocol.READONLY, p)));
            Nulls.list(linux.maskedPaths()).forEach(p -> add(PlanRecord.text(InitProtocol.MASK, p)));
            Nulls.map(linux.sysctl()).forEach((k, v) -> add(PlanRecord.text(InitProtocol.SYSCTL, k, v)));
        }
        if (in.noPivot()) {
            HostMounts.fullProcAndSysfsOutside(in.rootfs()).forEach(m -> add(PlanRecord.text(InitProtocol.NOPIVOT_HIDE, m)));
        }
        add(PlanRecord.text(InitProtocol.PIVOT, in.noPivot() ? "move" : "pivot"));
    }

    /**
     * Emits the config's mounts in order; returns whether /dev is a fresh tmpfs (so default devices go in).
     * {@code early}: bind sources are cloned before the user namespace; {@code hostRoot}: jruntime is real root
     * (idmapped mounts need it).
     */
    private boolean mounts(Spec spec, CreateInputs in, boolean userns, boolean early, boolean hostRoot) {
        boolean devTmpfs = false;
        List<Mount> mounts = Nulls.list(spec.mounts());
        for (int i = 0; i < mounts.size(); i++) {
            Mount m = mounts.get(i);
            String field = "mounts[" + i + "]";
            String dst = m.destination();
            if (dst == null || !dst.startsWith("/")) {
                throw new InvalidArgumentException(field + ".destination: must be an absolute path, got \"" + dst + "\"");
            }
            MountOptions.Parsed o = MountOptions.parse(m.options());
            String type = m.type() == null ? "" : m.type();
            boolean bind = o.bind() || type.equals("bind");
            boolean copyUp = MountOptions.copyUp(m.options());
            if (copyUp && (bind || !type.equals("tmpfs"))) {
                // runc drops it silently on anything but a tmpfs; an option is applied or refused here.
                throw new InvalidArgumentException(field + ".options: \"tmpcopyup\" applies to a tmpfs only, not to "
                        + (bind ? "a bind mount" : "type \"" + type + "\""));
            }
            if (type.equals("cgroup") || type.equals("cgroup2")) {
                if (o.recursive() || !o.idmap().isEmpty()) {
                    throw new InvalidArgumentException(field + ".options: recursive attributes and idmap are not "
                            + "supported on cgroup mounts");
                }
                cgroupMount(m, o, in, spec.linux() != null && spec.linux().namespace("cgroup").isPresent());
                continue;
            }
            IdmapPlan.check(field, m, o, bind, userns, hostRoot, spec.linux());
            if (!bind && (type.equals("proc") || type.equals("sysfs"))) {
                requireOrdinaryDirectory(in.rootfs(), dst, type, field);
            }
            String source = m.source() == null ? "" : m.source();
            char mk = 'd';
            if (bind) {
                Path src = Path.of(source);
                if (!src.isAbsolute()) {
                    src = in.bundle().resolve(src);
                }
                if (!Files.exists(src)) {
                    throw new InvalidArgumentException(field + ".source: bind source " + src + " for " + dst
                            + " does not exist");
                }
                source = src.toString();
                mk = Files.isDirectory(src) ? 'd' : 'f';
            }
            long flags = o.flags() | (bind ? MountOptions.MS_BIND : 0);
            boolean roDev = dst.equals("/dev") && !bind && (flags & MountOptions.MS_RDONLY) != 0;
            if (roDev) {
                // Populated first, made read-only after the pivot (runc issue 3248: mkdir /dev/pts on a ro tmpfs).
                flags &= ~MountOptions.MS_RDONLY;
                add(PlanRecord.text(InitProtocol.REMOUNT, "/dev", Long.toString(MountOptions.MOUNT_ATTR_RDONLY)));
            }
            long attrSet = o.attrSet();
            if (!roDev && !bind && type.equals("tmpfs") && (flags & MountOptions.MS_RDONLY) != 0) {
                // runc mounts a tmpfs read-write and then makes only the mount read-only: its superblock stays rw
                // (mountinfo shows "ro ... - tmpfs tmpfs rw"). The mount is fresh, so the recursive attribute the
                // helper sets right after mounting reaches this mount alone. An explicit rrw wins, as in runc.
                flags &= ~MountOptions.MS_RDONLY;
                if ((o.attrClr() & MountOptions.MOUNT_ATTR_RDONLY) == 0) {
                    attrSet |= MountOptions.MOUNT_ATTR_RDONLY;
                }
            }
            add(PlanRecord.text(InitProtocol.MOUNT, source, dst, bind ? "" : type, Long.toString(flags),
                    Long.toString(o.propagation()), o.data(), bind ? "b" : "o", String.valueOf(mk),
                    Long.toString(attrSet), Long.toString(o.attrClr()), bind && early ? "1" : "0",
                    o.idmap().isEmpty() ? "" : o.idmap().substring(0, 1), copyUp ? "1" : "0"));
            if (dst.equals("/dev") && !bind) {
                devTmpfs = true;
            }
        }
        return devTmpfs;
    }

    /**
     * proc and sysfs go on a real directory (or a missing one, made then), never through a symlink the image
     * placed there: runc refuses it with these words, which tools match on. The helper resolves the destination
     * inside the rootfs on its own; this is the early, clear refusal.
     */
    private static void requireOrdinaryDirectory(Path rootfs, String dst, String type, String field) {
        Path p = rootfs.resolve(dst.substring(1));
        if (Files.isSymbolicLink(p) || Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                && !Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidArgumentException(field + ": error mounting \"" + type + "\" to rootfs at \"" + dst
                    + "\": filesystem \"" + type + "\" must be mounted on ordinary directory");
        }
    }

    /** A cgroup mount shows the container its own cgroups (see {@link CgroupMounts}); without any, an empty tmpfs. */
    private void cgroupMount(Mount m, MountOptions.Parsed o, CreateInputs in, boolean cgroupns) {
        if (in.cgroup() == null || in.cgroup().paths().isEmpty()) {
            long flags = o.flags() & ~MountOptions.MS_BIND & ~MountOptions.MS_REC;
            add(PlanRecord.text(InitProtocol.MOUNT, "tmpfs", m.destination(), "tmpfs",
                    Long.toString(flags | MountOptions.MS_NOSUID | MountOptions.MS_NODEV | MountOptions.MS_NOEXEC),
                    "0", "mode=755", "o", "d"));
            return;
        }
        CgroupMounts.records(m.destination(), o, in.cgroup(), CgroupHost.detect(), cgroupns).forEach(this::add);
    }

    private void devices(Linux linux, boolean devTmpfs, boolean userns) {
        Map<String, String[]> devs = new LinkedHashMap<>();
        if (devTmpfs) {
            for (String[] d : DEFAULT_DEVICES) {
                devs.put(d[0], new String[] {d[0], d[1], d[2], d[3], "438", "0", "0"});
            }
        }
        if (linux != null) {
            for (int i = 0; i < Nulls.list(linux.devices()).size(); i++) {
                Linux.Device d = Nulls.list(linux.devices()).get(i);
                if (d.path() == null || !d.path().startsWith("/")) {
                    throw new InvalidArgumentException("linux.devices[" + i + "].path: must be an absolute path");
                }
                String type = d.type() == null ? "c" : d.type().equals("u") ? "c" : d.type();
                devs.put(d.path(), new String[] {d.path(), type, str(d.major()), str(d.minor()),
                        Long.toString(d.fileMode() == null ? 0666 : d.fileMode()), str(d.uid()), str(d.gid())});
            }
        }
        for (String[] d : devs.values()) {
            // mknod is not allowed in a user namespace; bind-mount the host's node there instead.
            add(PlanRecord.text(InitProtocol.DEVICE, d[0], d[1], d[2], d[3], d[4], d[5], d[6], userns ? "1" : "0"));
        }
        if (devTmpfs) {
            add(PlanRecord.text(InitProtocol.SYMLINK, "/proc/self/fd", "/dev/fd"));
            add(PlanRecord.text(InitProtocol.SYMLINK, "/proc/self/fd/0", "/dev/stdin"));
            add(PlanRecord.text(InitProtocol.SYMLINK, "/proc/self/fd/1", "/dev/stdout"));
            add(PlanRecord.text(InitProtocol.SYMLINK, "/proc/self/fd/2", "/dev/stderr"));
            add(PlanRecord.text(InitProtocol.SYMLINK, "pts/ptmx", "/dev/ptmx"));
            if (Files.exists(Path.of("/proc/kcore"))) {
                add(PlanRecord.text(InitProtocol.SYMLINK, "/proc/kcore", "/dev/core"));
            }
        }
    }

    private static String str(Long v) {
        return v == null ? "0" : Long.toString(v);
    }

    /** The per-process part, shared by create and exec. */
    private void process(Process p, Linux linux, boolean setgroupsDenied, int preserveFds, SeccompProgram seccomp) {
        if (Nulls.list(p.args()).isEmpty()) {
            throw new InvalidArgumentException("process.args: must name at least the executable");
        }
        add(PlanRecord.text(InitProtocol.ARGS, Nulls.list(p.args())));
        add(PlanRecord.text(InitProtocol.ENV, Nulls.list(p.env())));
        add(PlanRecord.text(InitProtocol.CWD, p.cwd() == null || p.cwd().isEmpty() ? "/" : p.cwd()));
        Process.User u = p.user();
        long uid = u == null || u.uid() == null ? 0 : u.uid();
        long gid = u == null || u.gid() == null ? 0 : u.gid();
        long umask = u == null || u.umask() == null ? -1 : u.umask();
        add(PlanRecord.text(InitProtocol.USER, Long.toString(uid), Long.toString(gid), Long.toString(umask)));
        if (u != null && !Nulls.list(u.additionalGids()).isEmpty()) {
            if (setgroupsDenied) {
                throw new InvalidArgumentException("process.user.additionalGids: supplementary groups need setgroups(2), "
                        + "which is denied in this user namespace because jruntime (rootless) wrote gid_map itself; "
                        + "map a range of gids with newgidmap instead (linux.gidMappings within your /etc/subgid range) "
                        + "or drop additionalGids");
            }
            add(PlanRecord.text(InitProtocol.GROUPS, Nulls.list(u.additionalGids()).stream().map(String::valueOf).toList()));
        }
        if (!setgroupsDenied) {
            add(PlanRecord.flag(InitProtocol.SETGROUPS_ALLOWED));
        }
        for (int i = 0; i < Nulls.list(p.rlimits()).size(); i++) {
            Process.Rlimit r = Nulls.list(p.rlimits()).get(i);
            int res = RlimitNames.resource(r.type());
            if (res < 0) {
                throw new InvalidArgumentException("process.rlimits[" + i + "].type: unknown rlimit \"" + r.type() + "\"");
            }
            add(PlanRecord.text(InitProtocol.RLIMIT, Integer.toString(res),
                    Long.toUnsignedString(r.soft() == null ? 0 : r.soft()), Long.toUnsignedString(r.hard() == null ? 0 : r.hard())));
        }
        if (p.oomScoreAdj() != null) {
            add(PlanRecord.number(InitProtocol.OOM_SCORE_ADJ, p.oomScoreAdj()));
        }
        if (linux != null && linux.personality() != null && linux.personality().domain() != null) {
            String d = linux.personality().domain();
            long persona = switch (d) {
                case "LINUX" -> 0x0000;
                case "LINUX32" -> 0x0008;
                default -> throw new InvalidArgumentException("linux.personality.domain: unknown domain \"" + d
                        + "\" (LINUX or LINUX32)");
            };
            add(PlanRecord.number(InitProtocol.PERSONALITY, persona));
        }
        Process.Capabilities c = p.capabilities();
        if (c != null) {
            SortedSet<String> ignored = CapabilityNames.ignored(List.of(Nulls.list(c.bounding()),
                    Nulls.list(c.effective()), Nulls.list(c.inheritable()), Nulls.list(c.permitted()),
                    Nulls.list(c.ambient())));
            if (!ignored.isEmpty()) {
                // runtime-spec 1.1+: logged, not fatal; runc's words, which tools match on.
                Logger.getLogger(PlanBuilder.class.getName()).warning("ignoring unknown or unavailable capabilities: ["
                        + String.join(" ", ignored) + "]");
            }
            add(PlanRecord.text(InitProtocol.CAPS,
                    Long.toUnsignedString(CapabilityNames.mask(c.bounding(), "process.capabilities.bounding")),
                    Long.toUnsignedString(CapabilityNames.mask(c.effective(), "process.capabilities.effective")),
                    Long.toUnsignedString(CapabilityNames.mask(c.inheritable(), "process.capabilities.inheritable")),
                    Long.toUnsignedString(CapabilityNames.mask(c.permitted(), "process.capabilities.permitted")),
                    Long.toUnsignedString(CapabilityNames.mask(c.ambient(), "process.capabilities.ambient"))));
        }
        if (Boolean.TRUE.equals(p.noNewPrivileges())) {
            add(PlanRecord.flag(InitProtocol.NO_NEW_PRIVS));
        }
        if (seccomp != null) {
            add(PlanRecord.number(InitProtocol.SECCOMP_FLAGS, seccomp.flags()));
            add(new PlanRecord(InitProtocol.SECCOMP_PROG, seccomp.filter()));
        }
        if (Boolean.TRUE.equals(p.terminal())) {
            Process.ConsoleSize cs = p.consoleSize();
            add(PlanRecord.text(InitProtocol.TERMINAL, cs == null || cs.height() == null ? "0" : cs.height().toString(),
                    cs == null || cs.width() == null ? "0" : cs.width().toString()));
        }
        if (preserveFds > 0) {
            add(PlanRecord.number(InitProtocol.PRESERVE_FDS, preserveFds));
        }
    }
}
