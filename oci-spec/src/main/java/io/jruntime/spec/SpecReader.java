package io.jruntime.spec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fast path of {@link SpecIO#parse}: reads a well-formed config.json (or process, hooks, resources, seccomp
 * document) with jackson-core's streaming {@link JsonParser} straight into the records, without databind.
 *
 * <p>Why: every {@code create} runs in a fresh JVM, and databind's first {@code readValue} of a {@link Spec}
 * (deserializer construction for ~40 record types, annotation proxies, method handles) cost ~100 ms there even
 * with the AOT cache; this reader is plain code the AOT cache holds linked.
 *
 * <p>It accepts only what databind, configured as {@link SpecIO}'s mapper is, accepts with the same result:
 * known fields with exactly the JSON type the component has. Anything else (an unknown field, which databind keeps
 * as a {@code JsonNode}; null inside an array or object; a number out of range; a type mismatch; a duplicate key;
 * malformed JSON) makes it give up, and {@link SpecIO} parses the document again with databind, which then
 * accepts it or produces the error message naming the JSON path. So the messages stay databind's, and this class
 * holds no error handling of its own. {@code SpecReaderTest} pins that both paths give equal records.
 *
 * <p>No lambdas or streams here: this runs once per JVM on the create path, where each bootstrap costs.
 */
final class SpecReader {

    /** "Let databind do it": thrown anywhere below, caught once in {@link #tryRead}. No message, no stack trace. */
    private static final class GiveUp extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GiveUp() {
            super(null, null, false, false);
        }
    }

    private static final GiveUp GIVE_UP = new GiveUp();

    // element kinds of lists and maps (a switch instead of one reader object per kind: no extra classes)
    private static final int STRING = 0;
    private static final int INT64 = 1;
    private static final int MOUNT = 2;
    private static final int ID_MAPPING = 3;
    private static final int HOOK = 4;
    private static final int RLIMIT = 5;
    private static final int NAMESPACE = 6;
    private static final int DEVICE = 7;
    private static final int TIME_OFFSET = 8;
    private static final int NET_DEVICE = 9;
    private static final int SYSCALL = 10;
    private static final int SYSCALL_ARG = 11;
    private static final int DEVICE_RULE = 12;
    private static final int WEIGHT_DEVICE = 13;
    private static final int THROTTLE_DEVICE = 14;
    private static final int HUGEPAGE_LIMIT = 15;
    private static final int INTERFACE_PRIORITY = 16;
    private static final int RDMA = 17;

    private SpecReader() {
    }

    /** The streaming parser's factory; databind's mapper uses an equal one plus duplicate detection here. */
    private static final class Factory {
        static final JsonFactory JSON = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    /**
     * The document as a record of the given type, or {@code null} when this reader does not handle the type or
     * the document (the caller then uses databind).
     */
    static <T> T tryRead(byte[] json, Class<T> type) {
        Object value;
        try (JsonParser p = Factory.JSON.createParser(json)) {
            p.nextToken();
            if (type == Spec.class) {
                value = spec(p);
            } else if (type == Process.class) {
                value = process(p);
            } else if (type == Hooks.class) {
                value = hooks(p);
            } else if (type == Resources.class) {
                value = resources(p);
            } else if (type == Seccomp.class) {
                value = seccomp(p);
            } else {
                return null;
            }
            if (value == null || p.nextToken() != null) {
                return null;
            }
        } catch (IOException | RuntimeException e) {
            // GiveUp, a parse error or a constructor refusing a value: not ours to report; databind reads the
            // document again and names the problem
            return null;
        }
        return type.cast(value);
    }

    // ---- top-level documents -------------------------------------------------------------------------------

    private static Spec spec(JsonParser p) throws IOException {
        if (!objectOrNull(p)) {
            return null;
        }
        String ociVersion = null;
        Process process = null;
        Root root = null;
        String hostname = null;
        String domainname = null;
        List<Mount> mounts = null;
        Hooks hooks = null;
        Map<String, String> annotations = null;
        Linux linux = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "ociVersion" -> ociVersion = string(p);
                case "process" -> process = process(p);
                case "root" -> root = root(p);
                case "hostname" -> hostname = string(p);
                case "domainname" -> domainname = string(p);
                case "mounts" -> mounts = list(p, MOUNT);
                case "hooks" -> hooks = hooks(p);
                case "annotations" -> annotations = map(p, STRING);
                case "linux" -> linux = linux(p);
                default -> throw GIVE_UP;
            }
        }
        return new Spec(ociVersion, process, root, hostname, domainname, mounts, hooks, annotations, linux, null);
    }

    private static Root root(JsonParser p) throws IOException {
        if (!objectOrNull(p)) {
            return null;
        }
        String path = null;
        Boolean readonly = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "path" -> path = string(p);
                case "readonly" -> readonly = bool(p);
                default -> throw GIVE_UP;
            }
        }
        return new Root(path, readonly, null);
    }

    private static Mount mount(JsonParser p) throws IOException {
        requireObject(p);
        String destination = null;
        String type = null;
        String source = null;
        List<String> options = null;
        List<IdMapping> uidMappings = null;
        List<IdMapping> gidMappings = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "destination" -> destination = string(p);
                case "type" -> type = string(p);
                case "source" -> source = string(p);
                case "options" -> options = list(p, STRING);
                case "uidMappings" -> uidMappings = list(p, ID_MAPPING);
                case "gidMappings" -> gidMappings = list(p, ID_MAPPING);
                default -> throw GIVE_UP;
            }
        }
        return new Mount(destination, type, source, options, uidMappings, gidMappings, null);
    }

    private static IdMapping idMapping(JsonParser p) throws IOException {
        requireObject(p);
        Long containerID = null;
        Long hostID = null;
        Long size = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "containerID" -> containerID = int64(p);
                case "hostID" -> hostID = int64(p);
                case "size" -> size = int64(p);
                default -> throw GIVE_UP;
            }
        }
        return new IdMapping(containerID, hostID, size, null);
    }

    private static Hooks hooks(JsonParser p) throws IOException {
        if (!objectOrNull(p)) {
            return null;
        }
        List<Hook> prestart = null;
        List<Hook> createRuntime = null;
        List<Hook> createContainer = null;
        List<Hook> startContainer = null;
        List<Hook> poststart = null;
        List<Hook> poststop = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "prestart" -> prestart = list(p, HOOK);
                case "createRuntime" -> createRuntime = list(p, HOOK);
                case "createContainer" -> createContainer = list(p, HOOK);
                case "startContainer" -> startContainer = list(p, HOOK);
                case "poststart" -> poststart = list(p, HOOK);
                case "poststop" -> poststop = list(p, HOOK);
                default -> throw GIVE_UP;
            }
        }
        return new Hooks(prestart, createRuntime, createContainer, startContainer, poststart, poststop, null);
    }

    private static Hook hook(JsonParser p) throws IOException {
        requireObject(p);
        String path = null;
        List<String> args = null;
        List<String> env = null;
        Integer timeout = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "path" -> path = string(p);
                case "args" -> args = list(p, STRING);
                case "env" -> env = list(p, STRING);
                case "timeout" -> timeout = int32(p);
                default -> throw GIVE_UP;
            }
        }
        return new Hook(path, args, env, timeout, null);
    }

    // ---- process -----------------------------------------------------------------------------------------

    private static Process process(JsonParser p) throws IOException {
        if (!objectOrNull(p)) {
            return null;
        }
        Boolean terminal = null;
        Process.ConsoleSize consoleSize = null;
        Process.User user = null;
        List<String> args = null;
        String commandLine = null;
        List<String> env = null;
        String cwd = null;
        Process.Capabilities capabilities = null;
        List<Process.Rlimit> rlimits = null;
        Boolean noNewPrivileges = null;
        String apparmorProfile = null;
        Integer oomScoreAdj = null;
        Process.Scheduler scheduler = null;
        String selinuxLabel = null;
        Process.IoPriority ioPriority = null;
        Process.ExecCpuAffinity execCPUAffinity = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "terminal" -> terminal = bool(p);
                case "consoleSize" -> consoleSize = consoleSize(p);
                case "user" -> user = user(p);
                case "args" -> args = list(p, STRING);
                case "commandLine" -> commandLine = string(p);
                case "env" -> env = list(p, STRING);
                case "cwd" -> cwd = string(p);
                case "capabilities" -> capabilities = capabilities(p);
                case "rlimits" -> rlimits = list(p, RLIMIT);
                case "noNewPrivileges" -> noNewPrivileges = bool(p);
                case "apparmorProfile" -> apparmorProfile = string(p);
                case "oomScoreAdj" -> oomScoreAdj = int32(p);
                case "scheduler" -> scheduler = scheduler(p);
                case "selinuxLabel" -> selinuxLabel = string(p);
                case "ioPriority" -> ioPriority = ioPriority(p);
                case "execCPUAffinity" -> execCPUAffinity = execCpuAffinity(p);
                default -> throw GIVE_UP;
            }
        }
        return new Process(terminal, consoleSize, user, args, commandLine, env, cwd, capabilities, rlimits,
                noNewPrivileges, apparmorProfile, oomScoreAdj, scheduler, selinuxLabel, ioPriority, execCPUAffinity,
                null);
    }

    private static Process.ConsoleSize consoleSize(JsonParser p) throws IOException {
        if (!objectOrNull(p)) {
            return null;
        }
        Integer height = null;
        Integer width = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "height" -> height = int32(p);
                case "width" -> width = int32(p);
                default -> throw GIVE_UP;
            }
        }
        return new Process.ConsoleSize(height, width, null);
    }

    private static Process.User user(JsonParser p) throws IOException {
        if (!objectOrNull(p)) {
            return null;
        }
        Long uid = null;
        Long gid = null;
        Long umask = null;
        List<Long> additionalGids = null;
        String username = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "uid" -> uid = int64(p);
                case "gid" -> gid = int64(p);
                case "umask" -> umask = int64(p);
                case "additionalGids" -> additionalGids = list(p, INT64);
                case "username" -> username = string(p);
                default -> throw GIVE_UP;
            }
        }
        return new Process.User(uid, gid, umask, additionalGids, username, null);
    }

    private static Process.Capabilities capabilities(JsonParser p) throws IOException {
        if (!objectOrNull(p)) {
            return null;
        }
        List<String> bounding = null;
        List<String> effective = null;
        List<String> inheritable = null;
        List<String> permitted = null;
        List<String> ambient = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "bounding" -> bounding = list(p, STRING);
                case "effective" -> effective = list(p, STRING);
                case "inheritable" -> inheritable = list(p, STRING);
                case "permitted" -> permitted = list(p, STRING);
                case "ambient" -> ambient = list(p, STRING);
                default -> throw GIVE_UP;
            }
        }
        return new Process.Capabilities(bounding, effective, inheritable, permitted, ambient, null);
    }

    private static Process.Rlimit rlimit(JsonParser p) throws IOException {
        requireObject(p);
        String type = null;
        Long hard = null;
        Long soft = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "type" -> type = string(p);
                case "hard" -> hard = uint64(p);
                case "soft" -> soft = uint64(p);
                default -> throw GIVE_UP;
            }
        }
        return new Process.Rlimit(type, hard, soft, null);
    }

    private static Process.Scheduler scheduler(JsonParser p) throws IOException {
        if (!objectOrNull(p)) {
            return null;
        }
        String policy = null;
        Integer nice = null;
        Integer priority = null;
        List<String> flags = null;
        Long runtime = null;
        Long deadline = null;
        Long period = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "policy" -> policy = string(p);
                case "nice" -> nice = int32(p);
                case "priority" -> priority = int32(p);
                case "flags" -> flags = list(p, STRING);
                case "runtime" -> runtime = uint64(p);
                case "deadline" -> deadline = uint64(p);
                case "period" -> period = uint64(p);
                default -> throw GIVE_UP;
            }
        }
        return new Process.Scheduler(policy, nice, priority, flags, runtime, deadline, period, null);
    }

    private static Process.IoPriority ioPriority(JsonParser p) throws IOException {
        if (!objectOrNull(p)) {
            return null;
        }
        String ioClass = null;
        Integer priority = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "class" -> ioClass = string(p);
                case "priority" -> priority = int32(p);
                default -> throw GIVE_UP;
            }
        }
        return new Process.IoPriority(ioClass, priority, null);
    }

    private static Process.ExecCpuAffinity execCpuAffinity(JsonParser p) throws IOException {
        if (!objectOrNull(p)) {
            return null;
        }
        String initial = null;
        String last = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "initial" -> initial = string(p);
                case "final" -> last = string(p);
                default -> throw GIVE_UP;
            }
        }
        return new Process.ExecCpuAffinity(initial, last, null);
    }

    // ---- linux ---------------------------------------------------------------------------------------------

    private static Linux linux(JsonParser p) throws IOException {
        if (!objectOrNull(p)) {
            return null;
        }
        List<IdMapping> uidMappings = null;
        List<IdMapping> gidMappings = null;
        Map<String, String> sysctl = null;
        Resources resources = null;
        String cgroupsPath = null;
        List<Linux.Namespace> namespaces = null;
        List<Linux.Device> devices = null;
        Seccomp seccomp = null;
        String rootfsPropagation = null;
        List<String> maskedPaths = null;
        List<String> readonlyPaths = null;
        String mountLabel = null;
        Linux.IntelRdt intelRdt = null;
        Linux.Personality personality = null;
        Map<String, Linux.TimeOffset> timeOffsets = null;
        Map<String, Linux.NetDevice> netDevices = null;
        Linux.MemoryPolicy memoryPolicy = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "uidMappings" -> uidMappings = list(p, ID_MAPPING);
                case "gidMappings" -> gidMappings = list(p, ID_MAPPING);
                case "sysctl" -> sysctl = map(p, STRING);
                case "resources" -> resources = resources(p);
                case "cgroupsPath" -> cgroupsPath = string(p);
                case "namespaces" -> namespaces = list(p, NAMESPACE);
                case "devices" -> devices = list(p, DEVICE);
                case "seccomp" -> seccomp = seccomp(p);
                case "rootfsPropagation" -> rootfsPropagation = string(p);
                case "maskedPaths" -> maskedPaths = list(p, STRING);
                case "readonlyPaths" -> readonlyPaths = list(p, STRING);
                case "mountLabel" -> mountLabel = string(p);
                case "intelRdt" -> intelRdt = intelRdt(p);
                case "personality" -> personality = personality(p);
                case "timeOffsets" -> timeOffsets = map(p, TIME_OFFSET);
                case "netDevices" -> netDevices = map(p, NET_DEVICE);
                case "memoryPolicy" -> memoryPolicy = memoryPolicy(p);
                default -> throw GIVE_UP;
            }
        }
        return new Linux(uidMappings, gidMappings, sysctl, resources, cgroupsPath, namespaces, devices, seccomp,
                rootfsPropagation, maskedPaths, readonlyPaths, mountLabel, intelRdt, personality, timeOffsets,
                netDevices, memoryPolicy, null);
    }

    private static Linux.Namespace namespace(JsonParser p) throws IOException {
        requireObject(p);
        String type = null;
        String path = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "type" -> type = string(p);
                case "path" -> path = string(p);
                default -> throw GIVE_UP;
            }
        }
        return new Linux.Namespace(type, path, null);
    }

    private static Linux.Device device(JsonParser p) throws IOException {
        requireObject(p);
        String path = null;
        String type = null;
        Long major = null;
        Long minor = null;
        Long fileMode = null;
        Long uid = null;
        Long gid = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "path" -> path = string(p);
                case "type" -> type = string(p);
                case "major" -> major = int64(p);
                case "minor" -> minor = int64(p);
                case "fileMode" -> fileMode = int64(p);
                case "uid" -> uid = int64(p);
                case "gid" -> gid = int64(p);
                default -> throw GIVE_UP;
            }
        }
        return new Linux.Device(path, type, major, minor, fileMode, uid, gid, null);
    }

    private static Linux.TimeOffset timeOffset(JsonParser p) throws IOException {
        requireObject(p);
        Long secs = null;
        Long nanosecs = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "secs" -> secs = int64(p);
                case "nanosecs" -> nanosecs = int64(p);
                default -> throw GIVE_UP;
            }
        }
        return new Linux.TimeOffset(secs, nanosecs, null);
    }

    private static Linux.NetDevice netDevice(JsonParser p) throws IOException {
        requireObject(p);
        String name = null;
        while (nextField(p)) {
            if (!"name".equals(p.currentName())) {
                throw GIVE_UP;
            }
            name = string(p);
        }
        return new Linux.NetDevice(name, null);
    }

    private static Linux.IntelRdt intelRdt(JsonParser p) throws IOException {
        if (!objectOrNull(p)) {
            return null;
        }
        String closID = null;
        String schemata = null;
        String l3CacheSchema = null;
        String memBwSchema = null;
        Boolean enableCMT = null;
        Boolean enableMBM = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "closID" -> closID = string(p);
                case "schemata" -> schemata = string(p);
                case "l3CacheSchema" -> l3CacheSchema = string(p);
                case "memBwSchema" -> memBwSchema = string(p);
                case "enableCMT" -> enableCMT = bool(p);
                case "enableMBM" -> enableMBM = bool(p);
                default -> throw GIVE_UP;
            }
        }
        return new Linux.IntelRdt(closID, schemata, l3CacheSchema, memBwSchema, enableCMT, enableMBM, null);
    }

    private static Linux.Personality personality(JsonParser p) throws IOException {
        if (!objectOrNull(p)) {
            return null;
        }
        String domain = null;
        List<String> flags = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "domain" -> domain = string(p);
                case "flags" -> flags = list(p, STRING);
                default -> throw GIVE_UP;
            }
        }
        return new Linux.Personality(domain, flags, null);
    }

    private static Linux.MemoryPolicy memoryPolicy(JsonParser p) throws IOException {
        if (!objectOrNull(p)) {
            return null;
        }
        String mode = null;
        String nodes = null;
        List<String> flags = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "mode" -> mode = string(p);
                case "nodes" -> nodes = string(p);
                case "flags" -> flags = list(p, STRING);
                default -> throw GIVE_UP;
            }
        }
        return new Linux.MemoryPolicy(mode, nodes, flags, null);
    }

    // ---- seccomp -------------------------------------------------------------------------------------------

    private static Seccomp seccomp(JsonParser p) throws IOException {
        if (!objectOrNull(p)) {
            return null;
        }
        String defaultAction = null;
        Long defaultErrnoRet = null;
        List<String> architectures = null;
        List<String> flags = null;
        String listenerPath = null;
        String listenerMetadata = null;
        List<Seccomp.Syscall> syscalls = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "defaultAction" -> defaultAction = string(p);
                case "defaultErrnoRet" -> defaultErrnoRet = int64(p);
                case "architectures" -> architectures = list(p, STRING);
                case "flags" -> flags = list(p, STRING);
                case "listenerPath" -> listenerPath = string(p);
                case "listenerMetadata" -> listenerMetadata = string(p);
                case "syscalls" -> syscalls = list(p, SYSCALL);
                default -> throw GIVE_UP;
            }
        }
        return new Seccomp(defaultAction, defaultErrnoRet, architectures, flags, listenerPath, listenerMetadata,
                syscalls, null);
    }

    private static Seccomp.Syscall syscall(JsonParser p) throws IOException {
        requireObject(p);
        List<String> names = null;
        String action = null;
        Long errnoRet = null;
        List<Seccomp.Arg> args = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "names" -> names = list(p, STRING);
                case "action" -> action = string(p);
                case "errnoRet" -> errnoRet = int64(p);
                case "args" -> args = list(p, SYSCALL_ARG);
                default -> throw GIVE_UP;
            }
        }
        return new Seccomp.Syscall(names, action, errnoRet, args, null);
    }

    private static Seccomp.Arg syscallArg(JsonParser p) throws IOException {
        requireObject(p);
        Integer index = null;
        Long value = null;
        Long valueTwo = null;
        String op = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "index" -> index = int32(p);
                case "value" -> value = uint64(p);
                case "valueTwo" -> valueTwo = uint64(p);
                case "op" -> op = string(p);
                default -> throw GIVE_UP;
            }
        }
        return new Seccomp.Arg(index, value, valueTwo, op, null);
    }

    // ---- resources -----------------------------------------------------------------------------------------

    private static Resources resources(JsonParser p) throws IOException {
        if (!objectOrNull(p)) {
            return null;
        }
        List<Resources.DeviceRule> devices = null;
        Resources.Memory memory = null;
        Resources.Cpu cpu = null;
        Resources.Pids pids = null;
        Resources.BlockIo blockIO = null;
        List<Resources.HugepageLimit> hugepageLimits = null;
        Resources.Network network = null;
        Map<String, Resources.Rdma> rdma = null;
        Map<String, String> unified = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "devices" -> devices = list(p, DEVICE_RULE);
                case "memory" -> memory = memory(p);
                case "cpu" -> cpu = cpu(p);
                case "pids" -> pids = pids(p);
                case "blockIO" -> blockIO = blockIo(p);
                case "hugepageLimits" -> hugepageLimits = list(p, HUGEPAGE_LIMIT);
                case "network" -> network = network(p);
                case "rdma" -> rdma = map(p, RDMA);
                case "unified" -> unified = map(p, STRING);
                default -> throw GIVE_UP;
            }
        }
        return new Resources(devices, memory, cpu, pids, blockIO, hugepageLimits, network, rdma, unified, null);
    }

    private static Resources.DeviceRule deviceRule(JsonParser p) throws IOException {
        requireObject(p);
        Boolean allow = null;
        String type = null;
        Long major = null;
        Long minor = null;
        String access = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "allow" -> allow = bool(p);
                case "type" -> type = string(p);
                case "major" -> major = int64(p);
                case "minor" -> minor = int64(p);
                case "access" -> access = string(p);
                default -> throw GIVE_UP;
            }
        }
        return new Resources.DeviceRule(allow, type, major, minor, access, null);
    }

    private static Resources.Memory memory(JsonParser p) throws IOException {
        if (!objectOrNull(p)) {
            return null;
        }
        Long limit = null;
        Long reservation = null;
        Long swap = null;
        Long kernel = null;
        Long kernelTCP = null;
        Long swappiness = null;
        Boolean disableOOMKiller = null;
        Boolean useHierarchy = null;
        Boolean checkBeforeUpdate = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "limit" -> limit = int64(p);
                case "reservation" -> reservation = int64(p);
                case "swap" -> swap = int64(p);
                case "kernel" -> kernel = int64(p);
                case "kernelTCP" -> kernelTCP = int64(p);
                case "swappiness" -> swappiness = uint64(p);
                case "disableOOMKiller" -> disableOOMKiller = bool(p);
                case "useHierarchy" -> useHierarchy = bool(p);
                case "checkBeforeUpdate" -> checkBeforeUpdate = bool(p);
                default -> throw GIVE_UP;
            }
        }
        return new Resources.Memory(limit, reservation, swap, kernel, kernelTCP, swappiness, disableOOMKiller,
                useHierarchy, checkBeforeUpdate, null);
    }

    private static Resources.Cpu cpu(JsonParser p) throws IOException {
        if (!objectOrNull(p)) {
            return null;
        }
        Long shares = null;
        Long quota = null;
        Long burst = null;
        Long period = null;
        Long realtimeRuntime = null;
        Long realtimePeriod = null;
        String cpus = null;
        String mems = null;
        Long idle = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "shares" -> shares = uint64(p);
                case "quota" -> quota = int64(p);
                case "burst" -> burst = uint64(p);
                case "period" -> period = uint64(p);
                case "realtimeRuntime" -> realtimeRuntime = int64(p);
                case "realtimePeriod" -> realtimePeriod = uint64(p);
                case "cpus" -> cpus = string(p);
                case "mems" -> mems = string(p);
                case "idle" -> idle = int64(p);
                default -> throw GIVE_UP;
            }
        }
        return new Resources.Cpu(shares, quota, burst, period, realtimeRuntime, realtimePeriod, cpus, mems, idle,
                null);
    }

    private static Resources.Pids pids(JsonParser p) throws IOException {
        if (!objectOrNull(p)) {
            return null;
        }
        Long limit = null;
        while (nextField(p)) {
            if (!"limit".equals(p.currentName())) {
                throw GIVE_UP;
            }
            limit = int64(p);
        }
        return new Resources.Pids(limit, null);
    }

    private static Resources.BlockIo blockIo(JsonParser p) throws IOException {
        if (!objectOrNull(p)) {
            return null;
        }
        Integer weight = null;
        Integer leafWeight = null;
        List<Resources.WeightDevice> weightDevice = null;
        List<Resources.ThrottleDevice> readBps = null;
        List<Resources.ThrottleDevice> writeBps = null;
        List<Resources.ThrottleDevice> readIops = null;
        List<Resources.ThrottleDevice> writeIops = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "weight" -> weight = int32(p);
                case "leafWeight" -> leafWeight = int32(p);
                case "weightDevice" -> weightDevice = list(p, WEIGHT_DEVICE);
                case "throttleReadBpsDevice" -> readBps = list(p, THROTTLE_DEVICE);
                case "throttleWriteBpsDevice" -> writeBps = list(p, THROTTLE_DEVICE);
                case "throttleReadIOPSDevice" -> readIops = list(p, THROTTLE_DEVICE);
                case "throttleWriteIOPSDevice" -> writeIops = list(p, THROTTLE_DEVICE);
                default -> throw GIVE_UP;
            }
        }
        return new Resources.BlockIo(weight, leafWeight, weightDevice, readBps, writeBps, readIops, writeIops, null);
    }

    private static Resources.WeightDevice weightDevice(JsonParser p) throws IOException {
        requireObject(p);
        Long major = null;
        Long minor = null;
        Integer weight = null;
        Integer leafWeight = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "major" -> major = int64(p);
                case "minor" -> minor = int64(p);
                case "weight" -> weight = int32(p);
                case "leafWeight" -> leafWeight = int32(p);
                default -> throw GIVE_UP;
            }
        }
        return new Resources.WeightDevice(major, minor, weight, leafWeight, null);
    }

    private static Resources.ThrottleDevice throttleDevice(JsonParser p) throws IOException {
        requireObject(p);
        Long major = null;
        Long minor = null;
        Long rate = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "major" -> major = int64(p);
                case "minor" -> minor = int64(p);
                case "rate" -> rate = uint64(p);
                default -> throw GIVE_UP;
            }
        }
        return new Resources.ThrottleDevice(major, minor, rate, null);
    }

    private static Resources.HugepageLimit hugepageLimit(JsonParser p) throws IOException {
        requireObject(p);
        String pageSize = null;
        Long limit = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "pageSize" -> pageSize = string(p);
                case "limit" -> limit = uint64(p);
                default -> throw GIVE_UP;
            }
        }
        return new Resources.HugepageLimit(pageSize, limit, null);
    }

    private static Resources.Network network(JsonParser p) throws IOException {
        if (!objectOrNull(p)) {
            return null;
        }
        Long classID = null;
        List<Resources.InterfacePriority> priorities = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "classID" -> classID = int64(p);
                case "priorities" -> priorities = list(p, INTERFACE_PRIORITY);
                default -> throw GIVE_UP;
            }
        }
        return new Resources.Network(classID, priorities, null);
    }

    private static Resources.InterfacePriority interfacePriority(JsonParser p) throws IOException {
        requireObject(p);
        String name = null;
        Long priority = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "name" -> name = string(p);
                case "priority" -> priority = int64(p);
                default -> throw GIVE_UP;
            }
        }
        return new Resources.InterfacePriority(name, priority, null);
    }

    private static Resources.Rdma rdma(JsonParser p) throws IOException {
        requireObject(p);
        Long hcaHandles = null;
        Long hcaObjects = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "hcaHandles" -> hcaHandles = int64(p);
                case "hcaObjects" -> hcaObjects = int64(p);
                default -> throw GIVE_UP;
            }
        }
        return new Resources.Rdma(hcaHandles, hcaObjects, null);
    }

    // ---- containers and scalars --------------------------------------------------------------------------

    /** An element of a list or a value of a map; null there is an error databind reports, so give up. */
    private static Object element(JsonParser p, int kind) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            throw GIVE_UP;
        }
        return switch (kind) {
            case STRING -> string(p);
            case INT64 -> int64(p);
            case MOUNT -> mount(p);
            case ID_MAPPING -> idMapping(p);
            case HOOK -> hook(p);
            case RLIMIT -> rlimit(p);
            case NAMESPACE -> namespace(p);
            case DEVICE -> device(p);
            case TIME_OFFSET -> timeOffset(p);
            case NET_DEVICE -> netDevice(p);
            case SYSCALL -> syscall(p);
            case SYSCALL_ARG -> syscallArg(p);
            case DEVICE_RULE -> deviceRule(p);
            case WEIGHT_DEVICE -> weightDevice(p);
            case THROTTLE_DEVICE -> throttleDevice(p);
            case HUGEPAGE_LIMIT -> hugepageLimit(p);
            case INTERFACE_PRIORITY -> interfacePriority(p);
            case RDMA -> rdma(p);
            default -> throw GIVE_UP;
        };
    }

    /** A JSON array as a list (null when the field is null), the records' constructors copy it. */
    @SuppressWarnings("unchecked")
    private static <T> List<T> list(JsonParser p, int kind) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_ARRAY) {
            throw GIVE_UP;
        }
        List<Object> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            list.add(element(p, kind));
        }
        return (List<T>) list;
    }

    /** A JSON object as a map in document order (null when the field is null). */
    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> map(JsonParser p, int kind) throws IOException {
        if (!objectOrNull(p)) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        while (nextField(p)) {
            map.put(p.currentName(), element(p, kind));
        }
        return (Map<String, V>) map;
    }

    /** True at the start of an object, false at null; gives up on anything else. */
    private static boolean objectOrNull(JsonParser p) {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            return true;
        }
        if (t == JsonToken.VALUE_NULL) {
            return false;
        }
        throw GIVE_UP;
    }

    private static void requireObject(JsonParser p) {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw GIVE_UP;
        }
    }

    /** Advances to the next field's value; false at the end of the object. */
    private static boolean nextField(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.FIELD_NAME) {
            return false;
        }
        p.nextToken();
        return true;
    }

    private static String string(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw GIVE_UP;
    }

    private static Boolean bool(JsonParser p) {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_TRUE) {
            return Boolean.TRUE;
        }
        if (t == JsonToken.VALUE_FALSE) {
            return Boolean.FALSE;
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw GIVE_UP;
    }

    private static Integer int32(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            throw GIVE_UP;
        }
        return p.getIntValue();
    }

    private static Long int64(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw GIVE_UP;
        }
        return p.getLongValue();
    }

    /** {@link Uint64}: 0..2^64-1 held as its two's complement bit pattern. */
    private static Long uint64(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_NUMBER_INT) {
            throw GIVE_UP;
        }
        if (p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            long v = p.getLongValue();
            if (v < 0) {
                throw GIVE_UP;
            }
            return v;
        }
        BigInteger v = p.getBigIntegerValue();
        if (v.signum() < 0 || v.bitLength() > Long.SIZE) {
            throw GIVE_UP;
        }
        return v.longValue();
    }
}
