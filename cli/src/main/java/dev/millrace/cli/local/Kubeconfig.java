package dev.millrace.cli.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a kubeconfig that points at local mode's embedded API (for `millrace apply --local`). */
final class Kubeconfig {
    private Kubeconfig() {}

    static void write(Path file, String serverUrl, String namespace) throws IOException {
        String text =
                """
                apiVersion: v1
                kind: Config
                clusters:
                - name: millrace-local
                  cluster:
                    server: %s
                contexts:
                - name: millrace-local
                  context:
                    cluster: millrace-local
                    namespace: %s
                    user: millrace-local
                current-context: millrace-local
                users:
                - name: millrace-local
                  user: {}
                """
                        .formatted(serverUrl, namespace);
        Files.writeString(file, text);
    }
}
