package io.jruntime.core.lifecycle;

import io.jruntime.core.JRuntimeException;
import io.jruntime.core.state.StateStore;
import io.jruntime.spec.Hook;
import io.jruntime.spec.Hooks;
import io.jruntime.spec.SpecIO;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The poststart and poststop hooks, kept apart from the saved config.json: `start` and `delete` run on every
 * container's life and must not pay for parsing the whole config when (as almost always) there are none. The file
 * exists only when there is a hook to run.
 */
public final class LateHooks {
    static final String FILE = "late-hooks.json";

    private LateHooks() {
    }

    public static void save(StateStore store, String id, Hooks hooks) {
        if (hooks == null || (Nulls.list(hooks.poststart()).isEmpty() && Nulls.list(hooks.poststop()).isEmpty())) {
            return;
        }
        Hooks late = new Hooks(null, null, null, null, hooks.poststart(), hooks.poststop(), null);
        try {
            StateStore.writePrivate(store.dir(id).resolve(FILE), SpecIO.toJson(late));
        } catch (IOException e) {
            throw new JRuntimeException("cannot save hooks of container " + id + ": " + e.getMessage(), e);
        }
    }

    static List<Hook> poststart(StateStore store, String id) {
        Hooks h = load(store, id);
        return h == null ? List.of() : Nulls.list(h.poststart());
    }

    static List<Hook> poststop(StateStore store, String id) {
        Hooks h = load(store, id);
        return h == null ? List.of() : Nulls.list(h.poststop());
    }

    private static Hooks load(StateStore store, String id) {
        Path f = store.dir(id).resolve(FILE);
        return Files.exists(f) ? SpecIO.read(f, Hooks.class) : null;
    }
}
