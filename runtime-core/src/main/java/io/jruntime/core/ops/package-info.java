/**
 * Immutable option records, one per runc command, filled by the CLI from its flags (runtime-cli parses, this
 * package carries). Lifecycle, cgroup and CRIU code take these records and never see picocli.
 *
 * <p>Conventions: paths the user names relative to the working directory are already absolute (bundle,
 * pid-file, process.json, image/work path) except console sockets, which stay as given because sun_path is
 * short; a {@code null} reference field means "flag not given"; lists are never null and are unmodifiable.
 */
package io.jruntime.core.ops;
