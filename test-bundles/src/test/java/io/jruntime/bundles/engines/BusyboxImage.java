package io.jruntime.bundles.engines;

import io.jruntime.bundles.Bundle;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * A local busybox image, since no registry is reachable: the busybox-static rootfs of {@link Bundle} as a
 * plain tarball (for `podman import`) and as an OCI image-layout archive written by hand (for `ctr image import`).
 */
public final class BusyboxImage {
    public static final String PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private BusyboxImage() {
    }

    /** dir/rootfs.tar: a tarball of the busybox rootfs (owned by root, as an image layer must be). */
    public static Path rootfsTar(Path dir) throws IOException {
        Path rootfs = dir.resolve("image-rootfs");
        Bundle.makeRootfs(rootfs);
        Path tar = dir.resolve("rootfs.tar");
        Cmd.run(List.of("tar", "--numeric-owner", "--owner=0", "--group=0", "-C", rootfs.toString(), "-cf", tar.toString(), "."),
                Map.of(), null, 60).ok();
        Cmd.run(List.of("rm", "-rf", rootfs.toString()), Map.of(), null, 60).ok();
        return tar;
    }

    /** dir/busybox-oci.tar: an OCI image layout (one gzip layer) whose index names the image ref. */
    public static Path ociArchive(Path dir, String ref) throws IOException {
        Path tar = rootfsTar(dir);
        Path layout = dir.resolve("oci-layout-dir");
        Path blobs = layout.resolve("blobs/sha256");
        Files.createDirectories(blobs);
        byte[] layerTar = Files.readAllBytes(tar);
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(gz)) {
            o.write(layerTar);
        }
        byte[] layer = gz.toByteArray();
        String layerDigest = blob(blobs, layer);
        String config = """
                {"architecture":"amd64","os":"linux","config":{"Env":["%s"],"Cmd":["sh"]},\
                "rootfs":{"type":"layers","diff_ids":["%s"]}}""".formatted(PATH_ENV, sha256(layerTar));
        byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
        String configDigest = blob(blobs, configBytes);
        String manifest = """
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",\
                "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%d},\
                "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%d}]}"""
                .formatted(configDigest, configBytes.length, layerDigest, layer.length);
        byte[] manifestBytes = manifest.getBytes(StandardCharsets.UTF_8);
        String manifestDigest = blob(blobs, manifestBytes);
        String tag = ref.substring(ref.lastIndexOf(':') + 1);
        Files.writeString(layout.resolve("index.json"), """
                {"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",\
                "digest":"%s","size":%d,"platform":{"architecture":"amd64","os":"linux"},\
                "annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}"""
                .formatted(manifestDigest, manifestBytes.length, ref, tag));
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Path archive = dir.resolve("busybox-oci.tar");
        Cmd.run(List.of("tar", "-C", layout.toString(), "-cf", archive.toString(), "oci-layout", "index.json", "blobs"),
                Map.of(), null, 60).ok();
        Cmd.run(List.of("rm", "-rf", layout.toString(), tar.toString()), Map.of(), null, 60).ok();
        return archive;
    }

    private static String blob(Path blobs, byte[] data) throws IOException {
        String d = sha256(data);
        Files.write(blobs.resolve(d.substring("sha256:".length())), data);
        return d;
    }

    private static String sha256(byte[] data) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
