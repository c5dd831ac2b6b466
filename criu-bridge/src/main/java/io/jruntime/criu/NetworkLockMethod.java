package io.jruntime.criu;

/** How CRIU blocks network traffic of the tasks while dumping TCP connections (criu_network_lock_method). */
public enum NetworkLockMethod {
    IPTABLES,
    NFTABLES
}
