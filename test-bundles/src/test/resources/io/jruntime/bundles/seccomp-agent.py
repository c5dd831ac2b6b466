# A minimal seccomp agent for SeccompNotifyIT: accepts one connection on argv[1], writes the received
# ContainerProcessState JSON to argv[2], then answers every notification on the received fd with -EXDEV
# until the filter has no users left. Python only because the JDK's unix sockets cannot receive SCM_RIGHTS.
import array, fcntl, os, socket, struct, sys

path, out = sys.argv[1], sys.argv[2]
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
srv.listen(4)
open(out + ".ready", "w").close()
conn, _ = srv.accept()
msg, anc, _, _ = conn.recvmsg(1 << 16, socket.CMSG_SPACE(4))
conn.close()
fds = array.array("i")
for level, kind, data in anc:
    if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
        fds.frombytes(data[:4])
with open(out + ".tmp", "w") as f:
    f.write(msg.decode())
os.rename(out + ".tmp", out)
NOTIF_RECV = 0xC0502100  # _IOWR('!', 0, struct seccomp_notif), 80 bytes
NOTIF_SEND = 0xC0182101  # _IOWR('!', 1, struct seccomp_notif_resp), 24 bytes
EXDEV = 18
while True:
    buf = bytearray(80)
    try:
        fcntl.ioctl(fds[0], NOTIF_RECV, buf, True)
    except OSError:
        break  # ENOENT: nobody uses the filter any more
    notif_id = struct.unpack_from("Q", buf, 0)[0]
    try:
        fcntl.ioctl(fds[0], NOTIF_SEND, bytearray(struct.pack("QqiI", notif_id, 0, -EXDEV, 0)), True)
    except OSError:
        pass  # the caller died meanwhile
