package dev.millrace.cli;

import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Keeps a server command alive until the JVM is asked to stop, then closes its parts in order. */
final class RunUntilStopped {
    private RunUntilStopped() {}

    /** Blocks until shutdown; {@code parts} are closed first to last. */
    static int await(List<AutoCloseable> parts) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    for (AutoCloseable part : parts) {
                                        try {
                                            part.close();
                                        } catch (Exception e) {
                                            System.err.println(
                                                    "millrace: while stopping: " + e.getMessage());
                                        }
                                    }
                                    stopped.countDown();
                                },
                                "millrace-shutdown"));
        stopped.await();
        return 0;
    }
}
