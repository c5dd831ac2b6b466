package io.jruntime.cli.daemon;

import io.jruntime.core.sys.Fds;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/** Streams over raw fds received from a client (java.io cannot wrap an int fd without reflection). */
final class FdStreams {
    private FdStreams() {
    }

    static OutputStream output(int fd) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                if (len > 0) {
                    Fds.writeFully(fd, Arrays.copyOfRange(b, off, off + len), "to the caller's fd " + fd);
                }
            }
        };
    }

    static InputStream input(int fd) {
        return new InputStream() {
            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (len == 0) {
                    return 0;
                }
                byte[] got = Fds.read(fd, len, "from the caller's stdin");
                if (got == null || got.length == 0) {
                    return -1;
                }
                System.arraycopy(got, 0, b, off, got.length);
                return got.length;
            }
        };
    }
}
