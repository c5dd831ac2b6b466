package io.jruntime.core.lifecycle;

import io.jruntime.core.log.Debug;
import io.jruntime.core.FaultInjection;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.RuntimeContext;
import io.jruntime.core.cgroups.Cgroup;
import io.jruntime.core.cgroups.CgroupManager;
import io.jruntime.core.cgroups.CgroupResources;
import io.jruntime.core.cgroups.DeviceCgroupRules;
import io.jruntime.core.cgroups.SpecResources;
import io.jruntime.core.hooks.HookRunner;
import io.jruntime.core.state.ContainerId;
import io.jruntime.core.state.ContainerState;
import io.jruntime.core.state.ContainerStatus;
import io.jruntime.core.state.ProcStat;
import io.jruntime.core.state.StateStore;
import io.jruntime.core.sys.Processes;
import io.jruntime.spec.Linux;
import io.jruntime.spec.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The steps that make a container's host side, shared by {@code create} and {@code restore} so that a step added
 * to one cannot go missing from the other: state directory and lock, the state record, config copy and late hooks,
 * cgroups, the helper and init processes, prestart/createRuntime hooks, the final state and pid file, and the
 * rollback of all of it.
 *
 * <p>Crash consistency: the state record is written <em>before</em> what it names is made, with phase
 * {@code creating}: first with the cgroup directories planned, then with those made, then with the process that
 * makes the container (jruntime-init's first stage, or criu), then with the init. Whatever a crash (kill -9,
 * power aside) leaves is therefore named in the record, and {@link ContainerDeleter} undoes it. While the creator
 * lives it holds the container's lock, which is how {@code state} and {@code list} tell a container being made
 * ({@code creating}) from one whose creator died ({@code stopped}). The named {@link FaultInjection} points
 * ({@code <op>.after-state-dir} ...) are where the crash consistency tests stop jruntime.
 *
 * <p>Use: {@code try (ContainerSetup s = ContainerSetup.begin(...)) { ...; return s.commit(pidFile); }}: closing a
 * setup that was not committed rolls everything back.
 */
public final class ContainerSetup implements AutoCloseable {
    private final RuntimeContext ctx;
    private final String op;
    private final BundleConfig bundle;
    private final StateStore store;
    private final StateStore.Lock lock;
    private ContainerState record;
    private Cgroup cgroup;
    private boolean committed;

    private ContainerSetup(RuntimeContext ctx, String op, BundleConfig bundle, StateStore.Lock lock, ContainerState record) {
        this.ctx = ctx;
        this.op = op;
        this.bundle = bundle;
        this.store = ctx.store();
        this.lock = lock;
        this.record = record;
    }

    /**
     * Claims the id (its state directory, locked), writes the first record (phase creating, the cgroups planned),
     * copies config.json and keeps the poststart/poststop hooks.
     *
     * @param op         "create" or "restore": names the fault-injection points and messages
     * @param stdioPaths where the container's fds 0-2 point (kept for checkpoint)
     */
    public static ContainerSetup begin(RuntimeContext ctx, String op, String id, BundleConfig bc, List<String> stdioPaths) {
        ContainerId.check(id);
        StateStore store = ctx.store();
        store.createDir(id);
        StateStore.Lock lock;
        try {
            lock = store.lock(id);
        } catch (RuntimeException e) {
            store.remove(id);
            throw e;
        }
        FaultInjection.point(op + ".after-state-dir");
        Spec spec = bc.spec();
        Linux linux = spec.linux();
        ContainerState record = new ContainerState(Spec.OCI_VERSION, id, 0, 0, bc.bundle().toString(),
                bc.rootfs().toString(), Instant.now().truncatedTo(ChronoUnit.NANOS).toString(), owner(),
                Nulls.map(spec.annotations()), Map.of(), Map.of(), ctx.rootlessEuid(), ctx.rootlessCgroups(), stdioPaths)
                .asCreating();
        ContainerSetup setup = new ContainerSetup(ctx, op, bc, lock, record);
        try {
            setup.save(record.withCgroups(new CgroupManager(ctx.caller().context().cgroups()).plan(id, linux == null ? null : linux.cgroupsPath(),
                    ctx.systemdCgroup(), ctx.rootlessCgroups())));
            FaultInjection.point(op + ".after-intent");
            store.saveConfigCopy(id, bc.configPath());
            LateHooks.save(store, id, spec.hooks());
            if (Debug.on()) {
                Debug.log(ContainerSetup.class, op + " " + id + ": state directory " + store.dir(id)
                        + " created and locked; state saved (phase creating, cgroups planned), config copied");
            }
            return setup;
        } catch (IOException e) {
            setup.close();
            throw new JRuntimeException(op + " " + id + ": cannot copy " + bc.configPath() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            setup.close();
            throw e;
        }
    }

    public String id() {
        return record.id();
    }

    public Path dir() {
        return store.dir(id());
    }

    /** The record as it is now (phase creating until {@link #commit}). */
    public ContainerState record() {
        return record;
    }

    /** Makes the container's cgroups with linux.resources applied (see {@link #createCgroup(RuntimeContext, String, Spec)}). */
    public Cgroup createCgroup() {
        cgroup = createCgroup(ctx, id(), bundle.spec());
        save(record.withCgroups(cgroup.toPaths()));
        if (Debug.on()) {
            Debug.log(ContainerSetup.class, "cgroups set up with linux.resources applied: " + Debug.cgroupPaths(cgroup.toPaths())
                    + "; state saved");
        }
        FaultInjection.point(op + ".after-cgroups");
        return cgroup;
    }

    /** The process that makes the container now exists (jruntime-init's first stage, criu). */
    public void helperStarted(int pid) {
        save(record.withHelper(pid, ProcStat.startTime(pid)));
        if (Debug.on()) {
            Debug.log(ContainerSetup.class, "helper pid " + pid + " recorded in the state");
        }
        FaultInjection.point(op + ".after-helper-spawned");
    }

    /** The container's init exists (not yet complete): recorded before it is given anything to do. */
    public ContainerState initStarted(int pid) {
        save(record.withInit(pid, ProcStat.startTime(pid)).withNamespaces(ContainerCreator.namespacePaths(bundle.spec().linux(), pid)));
        if (Debug.on()) {
            Debug.log(ContainerSetup.class, "container init pid " + pid + " recorded in the state, namespaces "
                    + record.namespacePaths());
        }
        return record;
    }

    /** The helper said READY (create) or criu finished (restore): the container is whole, not yet recorded so. */
    public void ready() {
        FaultInjection.point(op + ".after-ready");
    }

    /**
     * prestart then createRuntime hooks, with the container's state (status creating) on their stdin. Each hook is
     * recorded as soon as it runs, before it is given the state: if jruntime dies, the kernel kills the hook
     * (HookRunner) and {@code delete} kills what it started (its session).
     */
    public void runCreateHooks(ContainerState s) {
        Spec spec = bundle.spec();
        if (spec.hooks() != null) {
            String json = StateJson.of(s, ContainerStatus.CREATING);
            HookRunner.Started record = (pid, startTime) -> {
                save(this.record.withHook(pid, startTime));
                FaultInjection.point(op + ".hook-started");
            };
            HookRunner.run("prestart", Nulls.list(spec.hooks().prestart()), json, ctx.caller(), record);
            HookRunner.run("createRuntime", Nulls.list(spec.hooks().createRuntime()), json, ctx.caller(), record);
        }
    }

    /**
     * Records the container as complete and writes the pid file. After this, closing keeps the container. The pid
     * file comes last, as runc writes it: an engine that sees it may rely on the container.
     */
    public ContainerState commit(Path pidFile) {
        FaultInjection.point(op + ".before-state-json");
        ContainerState done = record.complete();
        save(done);
        if (Debug.on()) {
            Debug.log(ContainerSetup.class, "state saved: " + store.dir(id()) + " (complete)"
                    + (pidFile != null ? ", pid file " + pidFile : ""));
        }
        FaultInjection.point(op + ".after-state-json");
        if (pidFile != null) {
            ContainerCreator.writePidFile(pidFile, done.initPid(), ctx.caller().context());
        }
        committed = true;
        return done;
    }

    /** Rolls back everything made so far unless {@link #commit} succeeded; releases the lock. */
    @Override
    public void close() {
        try {
            if (!committed) {
                ContainerDeleter.undo(ctx, record, false);
            }
        } finally {
            lock.close();
        }
    }

    private void save(ContainerState s) {
        store.save(s);
        record = s;
    }

    /**
     * The container's cgroups with linux.resources applied. Device rules are the config's, then the devices
     * every container may use (runc 1.1.5's list, in its order), then again the config's denials of specific
     * devices so that they win over the built-in allow list. A linux.devices entry only creates a node: access
     * to it is what linux.resources.devices allows, nothing more (as runc).
     */
    public static Cgroup createCgroup(RuntimeContext ctx, String id, Spec spec) {
        Linux linux = spec.linux();
        CgroupResources res = SpecResources.from(linux == null ? null : linux.resources());
        List<CgroupResources.DeviceRule> rules = new ArrayList<>(res.devices() == null ? List.of() : res.devices());
        for (int i = 0; i < rules.size(); i++) {
            String odd = DeviceCgroupRules.unknownAccess(rules.get(i).access());
            if (!odd.isEmpty()) {
                Logger.getLogger(ContainerCreator.class.getName()).warning("linux.resources.devices[" + i + "].access: \""
                        + rules.get(i).access() + "\": ignoring \"" + odd + "\" (only r, w and m exist; as runc)");
            }
        }
        if (!ctx.rootlessEuid()) {
            rules.addAll(DeviceCgroupRules.runcDefaultRules());
            // A deny rule the config names for one specific device wins over the built-in allow list (runc lets
            // the allow list re-open it; a user who denies c 1:7 means it). Wildcard denials, such as the leading
            // deny-all, do not: they stay before the defaults.
            for (CgroupResources.DeviceRule r : res.devices() == null ? List.<CgroupResources.DeviceRule>of() : res.devices()) {
                if (!r.allow() && r.major() != null && r.minor() != null && r.major() >= 0 && r.minor() >= 0
                        && r.type() != null && !r.type().equals("a")) {
                    rules.add(r);
                }
            }
        }
        return new CgroupManager(ctx.caller().context().cgroups()).create(id, linux == null ? null : linux.cgroupsPath(), ctx.systemdCgroup(),
                rules.isEmpty() ? res : res.withDevices(rules), ctx.rootlessCgroups());
    }

    static String owner() {
        int uid = Processes.geteuid();
        return uid == 0 ? "root" : Integer.toString(uid);
    }
}
