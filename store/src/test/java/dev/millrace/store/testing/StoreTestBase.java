package dev.millrace.store.testing;

import dev.millrace.store.Store;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/**
 * A store on a fresh database of the {@link Backend} the test class is parameterised with:
 * subclasses are annotated {@code @ParameterizedClass @EnumSource(Backend.class)}.
 */
public abstract class StoreTestBase {

    @Parameter protected Backend backend;

    @TempDir protected Path tempDir;

    protected TestDatabase database;
    protected Store store;

    @BeforeEach
    void openStore() {
        database = backend.freshDatabase(tempDir);
        store = database.open();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /** Closes the store and opens the same database again, as a restarted process would. */
    protected Store reopen() {
        store.close();
        store = null;
        store = database.open();
        return store;
    }
}
