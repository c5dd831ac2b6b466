package io.jruntime.criu;

import io.jruntime.criu.rpc.CriuRpc.criu_notify;
import io.jruntime.criu.rpc.CriuRpc.criu_req;
import io.jruntime.criu.rpc.CriuRpc.criu_req_type;
import io.jruntime.criu.rpc.CriuRpc.criu_resp;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * For bin/jruntime's AOT cache training (no CRIU and no container needed): builds a dump and a restore request the
 * way a container checkpoint and restore do, encodes them, and parses the answers CRIU sends, so protobuf-java and
 * the generated RPC classes are loaded and linked in the cache instead of at every checkpoint's start.
 */
public final class EncodingTraining {
    private EncodingTraining() {
    }

    /** Returns the total size of what was encoded (so nothing is optimised away). */
    public static int run() {
        Path images = Path.of("/nonexistent/images");
        DumpRequest dump = DumpRequest.builder(1, images).workDir(images).leaveRunning(true).tcpEstablished(true)
                .extMount("/data", "/data").manageCgroups(CriuCgroupMode.SOFT).build();
        RestoreRequest restore = RestoreRequest.builder(images).workDir(images).root("/rootfs").rstSibling(true)
                .extMount("/data", "/srv/data").manageCgroups(CriuCgroupMode.SOFT).inheritFd("pipe:[1]", 0)
                .cgroupRoot(new CgroupRoot("cpu", "/c")).build();
        Map<Integer, Integer> childFds = new HashMap<>();
        byte[] d = criu_req.newBuilder().setType(criu_req_type.DUMP)
                .setOpts(CriuClient.dumpOpts(dump, 4, 5, false)).build().toByteArray();
        byte[] r = criu_req.newBuilder().setType(criu_req_type.RESTORE)
                .setOpts(CriuClient.restoreOpts(restore, 4, 5, childFds)).build().toByteArray();
        int n = d.length + r.length;
        for (byte[] answer : new byte[][] {
                criu_resp.newBuilder().setType(criu_req_type.NOTIFY).setSuccess(true)
                        .setNotify(criu_notify.newBuilder().setScript(CriuNotification.POST_RESTORE).setPid(42)).build().toByteArray(),
                criu_resp.newBuilder().setType(criu_req_type.DUMP).setSuccess(true).build().toByteArray()}) {
            try {
                n += criu_resp.parseFrom(answer).getSerializedSize();
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
        }
        return n;
    }
}
