package dev.millrace.api.platform.watcher;

import dev.millrace.api.ApiSettings;
import dev.millrace.api.platform.PlatformApiException;
import dev.millrace.api.platform.SourceSyncs;
import dev.millrace.api.platform.csv.SourceFolder;
import dev.millrace.crds.source.Source;
import dev.millrace.crds.source.SourceType;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dango's file watcher: watches the folders of the namespace's CSV Sources and, once a folder has
 * been quiet for the debounce time after a change to a file the source reads, requests a sync of
 * that source as POST sync would. A change while a sync is requested or running is kept and retried
 * after it, so no change is missed. Only the folder itself is watched, not subfolders.
 */
public final class CsvFolderWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CsvFolderWatcher.class);
    private static final long MAX_POLL_MILLIS = 1_000;
    private static final long RESCAN_MILLIS = 5_000;

    private final ApiSettings settings;
    private final KubernetesClient client;
    private final SourceSyncs syncs;
    private final Clock clock;
    private final Duration debounce;
    private final Map<String, Long> dueAt = new ConcurrentHashMap<>();
    private final Map<Path, WatchKey> keys = new HashMap<>();
    private final Map<Path, List<SourceFolder>> foldersByDirectory = new ConcurrentHashMap<>();
    private volatile boolean sourcesChanged = true;
    private volatile boolean closed;
    private WatchService watchService;
    private SharedIndexInformer<Source> informer;
    private Thread thread;

    public CsvFolderWatcher(
            ApiSettings settings, KubernetesClient client, SourceSyncs syncs, Clock clock) {
        this.settings = settings;
        this.client = client;
        this.syncs = syncs;
        this.clock = clock;
        this.debounce = settings.fileWatchDebounce();
    }

    /** Starts watching; stops by itself when the Kubernetes client is closed. */
    public synchronized CsvFolderWatcher start() {
        try {
            watchService = settings.dataRoot().getFileSystem().newWatchService();
        } catch (IOException e) {
            LOG.warn("CSV folder watcher not started: {}", e.toString());
            return this;
        }
        informer =
                client.resources(Source.class)
                        .inNamespace(settings.namespace())
                        .inform(
                                new ResourceEventHandler<>() {
                                    @Override
                                    public void onAdd(Source s) {
                                        sourcesChanged = true;
                                    }

                                    @Override
                                    public void onUpdate(Source before, Source after) {
                                        sourcesChanged = true;
                                    }

                                    @Override
                                    public void onDelete(Source s, boolean unknownFinalState) {
                                        sourcesChanged = true;
                                    }
                                },
                                0);
        informer.stopped().whenComplete((ignored, error) -> close());
        thread = new Thread(this::run, "csv-folder-watcher");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    public boolean running() {
        Thread t = thread;
        return !closed && t != null && t.isAlive();
    }

    public Duration debounce() {
        return debounce;
    }

    /** The globs of the watched sources, e.g. {@code *.csv}. */
    public List<String> patterns() {
        TreeSet<String> globs = new TreeSet<>();
        foldersByDirectory.values().forEach(list -> list.forEach(f -> globs.add(f.glob())));
        return List.copyOf(globs);
    }

    /** The folders watched now (a source's folder that does not exist yet is not). */
    public List<String> directories() {
        TreeSet<String> dirs = new TreeSet<>();
        foldersByDirectory.keySet().forEach(d -> dirs.add(d.toString()));
        return List.copyOf(dirs);
    }

    private void run() {
        long nextRescan = 0;
        while (!closed) {
            try {
                long now = clock.millis();
                if (sourcesChanged || now >= nextRescan) {
                    sourcesChanged = false;
                    nextRescan = now + RESCAN_MILLIS;
                    refreshFolders();
                }
                WatchKey key = watchService.poll(pollMillis(now), TimeUnit.MILLISECONDS);
                if (key != null) {
                    collect(key);
                }
                requestDueSyncs();
            } catch (ClosedWatchServiceException | InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("CSV folder watcher: {}", e.toString());
            }
        }
    }

    private long pollMillis(long now) {
        long wait = MAX_POLL_MILLIS;
        for (long due : dueAt.values()) {
            wait = Math.min(wait, Math.max(1, due - now));
        }
        return wait;
    }

    private void refreshFolders() {
        Map<Path, List<SourceFolder>> wanted = new HashMap<>();
        for (Source source : informer.getStore().list()) {
            if (source.getSpec() == null
                    || source.getSpec().type != SourceType.CSV
                    || !source.getSpec().isEnabled()) {
                continue;
            }
            SourceFolder folder;
            try {
                folder = SourceFolder.of(source, settings.dataRoot());
            } catch (PlatformApiException notCsv) {
                continue;
            }
            if (Files.isDirectory(folder.directory())) {
                wanted.computeIfAbsent(folder.directory(), d -> new ArrayList<>()).add(folder);
            }
        }
        for (var it = keys.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (!wanted.containsKey(entry.getKey()) || !entry.getValue().isValid()) {
                entry.getValue().cancel();
                it.remove();
            }
        }
        for (Path directory : wanted.keySet()) {
            if (!keys.containsKey(directory)) {
                try {
                    keys.put(
                            directory,
                            directory.register(
                                    watchService,
                                    StandardWatchEventKinds.ENTRY_CREATE,
                                    StandardWatchEventKinds.ENTRY_MODIFY,
                                    StandardWatchEventKinds.ENTRY_DELETE));
                } catch (IOException e) {
                    LOG.warn("cannot watch {}: {}", directory, e.toString());
                }
            }
        }
        foldersByDirectory.keySet().retainAll(keys.keySet());
        keys.keySet().forEach(d -> foldersByDirectory.put(d, wanted.get(d)));
        dueAt.keySet()
                .retainAll(
                        wanted.values().stream()
                                .flatMap(List::stream)
                                .map(SourceFolder::sourceName)
                                .toList());
    }

    private void collect(WatchKey key) {
        Path directory = (Path) key.watchable();
        List<SourceFolder> folders = foldersByDirectory.getOrDefault(directory, List.of());
        long due = clock.millis() + debounce.toMillis();
        for (WatchEvent<?> event : key.pollEvents()) {
            for (SourceFolder folder : folders) {
                boolean relevant =
                        event.kind() == StandardWatchEventKinds.OVERFLOW
                                || folder.matches(directory.resolve((Path) event.context()));
                if (relevant) {
                    // Every change restarts the quiet period.
                    dueAt.put(folder.sourceName(), due);
                }
            }
        }
        key.reset();
    }

    private void requestDueSyncs() {
        long now = clock.millis();
        for (var entry : Map.copyOf(dueAt).entrySet()) {
            if (entry.getValue() > now) {
                continue;
            }
            String name = entry.getKey();
            Source source = informer.getStore().getByKey(settings.namespace() + "/" + name);
            if (source == null) {
                dueAt.remove(name);
                continue;
            }
            try {
                syncs.request(source, SourceSyncs.Options.INCREMENTAL);
                dueAt.remove(name);
                LOG.info("files of source {} changed: sync requested", name);
            } catch (PlatformApiException e) {
                if (e.status() == 409) {
                    dueAt.put(name, now + Math.min(debounce.toMillis(), RESCAN_MILLIS));
                } else {
                    dueAt.remove(name);
                    LOG.info("files of source {} changed, not synced: {}", name, e.getMessage());
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (informer != null) {
            informer.close();
        }
        if (watchService != null) {
            try {
                watchService.close();
            } catch (IOException e) {
                LOG.debug("closing the watch service: {}", e.toString());
            }
        }
    }
}
