package io.jruntime.criu;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Our criu_rpc.proto must agree with the rpc.proto CRIU installs (/usr/include/criu/rpc.proto, from `make install`
 * of CRIU 4.2.1) on every message, field (label, type, number, default) and enum value we declare.
 */
class ProtoConformanceTest {
    private static final Path OURS = Path.of("src/main/proto/criu_rpc.proto");
    private static final Path CRIUS = Path.of(System.getProperty("jruntime.criu.rpcProto", "/usr/include/criu/rpc.proto"));

    private static final Pattern BLOCK = Pattern.compile("(message|enum)\\s+(\\w+)\\s*\\{(.*?)\\n\\s*}", Pattern.DOTALL);
    private static final Pattern FIELD = Pattern.compile(
            "(required|optional|repeated)\\s+(\\w+)\\s+(\\w+)\\s*=\\s*(\\d+)\\s*(\\[[^]]*])?\\s*;");
    private static final Pattern ENUM_VALUE = Pattern.compile("(\\w+)\\s*=\\s*(-?\\d+)\\s*;");

    /** "message.field" to "label type number [default]", "enum.VALUE" to number. */
    static Map<String, String> parse(String text) {
        String noComments = text.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
        Map<String, String> out = new LinkedHashMap<>();
        Matcher b = BLOCK.matcher(noComments);
        while (b.find()) {
            String name = b.group(2);
            if (b.group(1).equals("message")) {
                Matcher f = FIELD.matcher(b.group(3));
                while (f.find()) {
                    String dflt = f.group(5) == null ? "" : " " + f.group(5).replaceAll("\\s+", "");
                    out.put(name + "." + f.group(3), f.group(1) + " " + f.group(2) + " " + f.group(4) + dflt);
                }
            } else {
                Matcher v = ENUM_VALUE.matcher(b.group(3));
                while (v.find()) {
                    out.put(name + "." + v.group(1), v.group(2));
                }
            }
        }
        return out;
    }

    @Test
    void everyDeclarationMatchesCriu() throws Exception {
        assumeTrue(Files.isRegularFile(CRIUS), "skipping: CRIU's rpc.proto not installed at " + CRIUS);
        Map<String, String> ours = parse(Files.readString(OURS));
        Map<String, String> criu = parse(Files.readString(CRIUS));
        assertTrue(ours.size() > 100, "parsed too little of our proto: " + ours.size());
        assertTrue(criu.size() > 100, "parsed too little of CRIU's proto: " + criu.size());
        for (Map.Entry<String, String> e : ours.entrySet()) {
            String theirs = criu.get(e.getKey());
            assertNotNull(theirs, "CRIU's rpc.proto has no " + e.getKey());
            assertEquals(theirs, e.getValue(), e.getKey());
        }
        System.out.println("criu_rpc.proto: " + ours.size() + " declarations match " + CRIUS);
    }

    @Test
    void requiredMessagesAreDeclared() throws Exception {
        Map<String, String> ours = parse(Files.readString(OURS));
        for (String m : new String[] {"criu_opts.images_dir_fd", "criu_req.type", "criu_resp.success",
                "criu_notify.script", "criu_dump_resp.restored", "criu_restore_resp.pid", "criu_page_server_info.port",
                "criu_features.pidfd_store", "criu_version.sublevel", "ext_mount_map.val", "inherit_fd.fd",
                "unix_sk.inode", "cgroup_root.ctrl", "join_namespace.ns_file", "criu_req_type.SINGLE_PRE_DUMP",
                "criu_cg_mode.DEFAULT", "criu_pre_dump_mode.VM_READ", "criu_network_lock_method.NFTABLES"}) {
            assertTrue(ours.containsKey(m), m);
        }
    }
}
