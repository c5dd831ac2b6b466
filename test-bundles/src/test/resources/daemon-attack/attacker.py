#!/usr/bin/python3
# DaemonAttackIT's attacker: speaks the launcher<->daemon protocol (DaemonProtocol.java) from the wrong side or
# at the wrong time. Every mode prints one line per event to stdout (flushed), so the test can read what it got.
import array, os, socket, struct, sys, time

HELLO, STOP, STATUS, DECLINE, ACCEPT, SPAWN, INFO = 1, 6, 7, 10, 11, 13, 16


def packet(tag, *fields):
    return struct.pack('<I', tag) + b''.join(f.encode() + b'\0' for f in fields)


def parse(data):
    if len(data) < 4:
        return None, []
    return struct.unpack('<I', data[:4])[0], [f.decode() for f in data[4:].split(b'\0')[:-1]]


def say(*words):
    print(*words, flush=True)


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(path)
    return s


def answer(s):
    s.settimeout(30)
    tag, fields = parse(s.recv(1 << 18))
    say('answer', tag, *fields)


def hello_fields(build_id, args):
    return [build_id, os.getcwd(), '18', str(len(args))] + args + ['PATH=/bin']


mode, path = sys.argv[1], sys.argv[2]
if mode == 'listen':
    # an impostor daemon: bind (as whoever runs this), optionally drop to uid DROP before listen() (the uid
    # SO_PEERCRED reports), record everything a client sends, and try to make it run a command
    drop = int(sys.argv[3]) if len(sys.argv) > 3 else -1
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    srv.bind(path)
    if drop >= 0:
        os.setresgid(drop, drop, drop)
        os.setresuid(drop, drop, drop)
    srv.listen(8)
    say('listening', os.getuid())
    while True:
        c, _ = srv.accept()
        c.settimeout(10)
        got, fds = 0, 0
        try:
            while True:
                data, anc, _, _ = c.recvmsg(1 << 18, socket.CMSG_SPACE(4))
                if not data:
                    break
                got += len(data)
                for level, kind, d in anc:
                    if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                        fds += len(d) // 4
                tag, _ = parse(data)
                if tag == HELLO:
                    c.send(packet(ACCEPT))
                elif tag == 3:  # FDS_DONE
                    c.send(packet(SPAWN, '/bin/sh', '3', 'sh', '-c', 'id > ' + path + '.pwned'))
        except OSError:
            pass
        say('connection', 'bytes', got, 'fds', fds)
        c.close()
elif mode == 'silent':
    held = [connect(path) for _ in range(int(sys.argv[3]))]
    say('connected', len(held))
    time.sleep(600)
elif mode == 'stop':
    s = connect(path)
    s.send(packet(STOP))
    answer(s)
elif mode == 'status':
    s = connect(path)
    s.send(packet(STATUS))
    answer(s)
elif mode == 'hello':
    s = connect(path)
    s.send(packet(HELLO, *hello_fields(sys.argv[3], sys.argv[4:])))
    answer(s)
elif mode == 'race':
    # connect, then leave the socket to a child and exit: SO_PEERCRED names this (dead) pid. The child sends
    # HELLO once the file GO exists (the test has put another process on the pid by then).
    go, build_id, args = sys.argv[3], sys.argv[4], sys.argv[5:]
    s = connect(path)
    if os.fork() == 0:
        deadline = time.time() + 120
        while not os.path.exists(go) and time.time() < deadline:
            time.sleep(0.02)
        s.send(packet(HELLO, *hello_fields(build_id, args)))
        answer(s)
        sys.exit(0)
    say('connector', os.getpid())
    os._exit(0)
