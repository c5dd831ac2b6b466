package io.jruntime.core.lifecycle;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProcessEnvTest {
    @Test
    void laterEntriesWinAtTheFirstPosition() {
        assertEquals(List.of("FOO=cli", "PATH=/bin", "BAR=1"),
                List.copyOf(ProcessEnv.merge(List.of("FOO=config", "PATH=/bin", "FOO=cli", "BAR=1")).values()));
    }

    @Test
    void homeIsTheFirstMatchingUidsEntryElseRoot() {
        String passwd = "# comment\nroot:x:0:0:root:/root:/bin/sh\nbad:x:notanumber:0::/bad:/bin/sh\n"
                + "user:x:1000:1000:u:/home/user:/bin/sh\ndup:x:1000:1000::/second:/bin/sh\nnohome:x:7:7:::/bin/sh\n";
        assertEquals("/root", ContainerPasswd.homeOf(passwd, 0));
        assertEquals("/home/user", ContainerPasswd.homeOf(passwd, 1000));
        assertEquals("/", ContainerPasswd.homeOf(passwd, 7));
        assertEquals("/", ContainerPasswd.homeOf(passwd, 4242));
    }
}
