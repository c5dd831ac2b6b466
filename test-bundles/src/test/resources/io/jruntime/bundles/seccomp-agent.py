# A minimal seccomp agent for SeccompNotifyIT: accepts connections on argv[1]; for the n-th one it writes the received
# ContainerProcessState JSON to argv[2] (n = 1) or argv[2].n, then answers every notification on the received fd with
# -EXDEV until the filter has no users left. Python only because the JDK's unix sockets cannot receive SCM_RIGHTS.
import array, fcntl, os, socket, struct, sys, threading

NOTIF_RECV = 0xC0502100  # _IOWR('!', 0, struct seccomp_notif), 80 bytes
NOTIF_SEND = 0xC0182101  # _IOWR('!', 1, struct seccomp_notif_resp), 24 bytes
EXDEV = 18


def serve(fd):
    while True:
        buf = bytearray(80)
        try:
            fcntl.ioctl(fd, NOTIF_RECV, buf, True)
        except OSError:
            return  # ENOENT: nobody uses the filter any more
        notif_id = struct.unpack_from("Q", buf, 0)[0]
        try:
            fcntl.ioctl(fd, NOTIF_SEND, bytearray(struct.pack("QqiI", notif_id, 0, -EXDEV, 0)), True)
        except OSError:
            pass  # the caller died meanwhile


path, out = sys.argv[1], sys.argv[2]
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
srv.listen(4)
open(out + ".ready", "w").close()
n = 0
while True:
    conn, _ = srv.accept()
    n += 1
    msg, anc, _, _ = conn.recvmsg(1 << 16, socket.CMSG_SPACE(4))
    conn.close()
    fds = array.array("i")
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[:4])
    target = out if n == 1 else out + "." + str(n)
    with open(target + ".tmp", "w") as f:
        f.write(msg.decode())
    os.rename(target + ".tmp", target)
    if len(fds):
        threading.Thread(target=serve, args=(fds[0],), daemon=True).start()
