#!/usr/bin/env python3
"""Writes docker-like-seccomp.json: a linux.seccomp section with the shape of the profile Docker's daemon hands
runc for a default container (issue 13 item 17): default SCMP_ACT_ERRNO/EPERM, one long allow list, personality
allowed for five personas (SCMP_CMP_EQ), clone allowed only without namespace flags (SCMP_CMP_MASKED_EQ with mask
0x7E020000), clone3 answered with ENOSYS so that libc falls back to clone, socket allowed except AF_VSOCK
(SCMP_CMP_NE), the ARM and x86 private syscalls, and five architectures. 345 distinct syscall names.

The allow list is the one of podman-seccomp.json (next to this script) minus what a default Docker container may
not do without extra capabilities (namespaces, mounts, keyrings, ...), cut to size keeping the syscalls most of
the five architectures have. It is a test input with the
documented shape of Docker's profile, not a copy of it.

Usage: gen-docker-like.py > docker-like-seccomp.json
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = 345
# what the generated profile handles with its own rules, or denies (the default action) for a default container
SPECIAL = {"personality", "clone", "clone3", "socket", "arch_prctl", "modify_ldt"}
DENIED = {"unshare", "setns", "mount", "umount", "umount2", "pivot_root", "keyctl", "add_key", "request_key",
          "syscall", "timerfd",  # not syscalls on these architectures
          "bpf", "perf_event_open", "fanotify_init", "lookup_dcookie", "quotactl",
          "open_by_handle_at", "name_to_handle_at", "syslog", "vhangup", "reboot", "swapon", "swapoff",
          "sethostname", "setdomainname", "mount_setattr", "move_mount", "open_tree", "fsopen", "fsconfig",
          "fsmount", "fspick"}
ARM = ["arm_fadvise64_64", "arm_sync_file_range", "sync_file_range2", "breakpoint", "cacheflush", "set_tls"]
X86 = ["arch_prctl", "modify_ldt"]


def main():
    with open(os.path.join(HERE, "podman-seccomp.json")) as f:
        podman = json.load(f)
    allow = []
    for rule in podman["syscalls"]:
        if rule["action"] == "SCMP_ACT_ALLOW" and not rule.get("args"):
            allow += [n for n in rule["names"] if n not in SPECIAL and n not in DENIED and n not in ARM]
    special = ["personality", "clone", "clone3", "socket"] + ARM + X86
    # keep the syscalls the most of the five architectures have (syscalls.txt, next to this script)
    arches = {}
    with open(os.path.join(HERE, "syscalls.txt")) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2 and parts[0] != "arch" and not line.startswith("#"):
                arches[parts[1]] = arches.get(parts[1], 0) + 1
    allow = sorted(set(allow), key=lambda n: (-arches.get(n, 0), n))[:TARGET - len(special)]
    allow.sort()

    def rule(names, action="SCMP_ACT_ALLOW", args=None, errno=None):
        r = {"names": names, "action": action}
        if args:
            r["args"] = args
        if errno is not None:
            r["errnoRet"] = errno
        return r

    syscalls = [rule(allow)]
    for persona in (0x0, 0x8, 0x20000, 0x20008, 0xffffffff):
        syscalls.append(rule(["personality"], args=[{"index": 0, "value": persona, "op": "SCMP_CMP_EQ"}]))
    syscalls.append(rule(["clone"], args=[{"index": 0, "value": 0x7E020000, "valueTwo": 0,
                                           "op": "SCMP_CMP_MASKED_EQ"}]))
    syscalls.append(rule(["clone3"], "SCMP_ACT_ERRNO", errno=38))
    syscalls.append(rule(["socket"], args=[{"index": 0, "value": 40, "op": "SCMP_CMP_NE"}]))
    syscalls.append(rule(ARM))
    syscalls.append(rule(X86))
    names = {n for r in syscalls for n in r["names"]}
    assert len(names) == TARGET, len(names)
    profile = {
        "defaultAction": "SCMP_ACT_ERRNO",
        "defaultErrnoRet": 1,
        "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"],
        "syscalls": syscalls,
    }
    print(json.dumps(profile, indent=1))


main()
