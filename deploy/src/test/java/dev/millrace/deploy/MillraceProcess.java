package dev.millrace.deploy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One `java -jar millrace.jar <command>` child process, as a container of the chart runs it: its
 * output goes to a file the test reads, and it is stopped with SIGTERM like the kubelet does.
 */
final class MillraceProcess implements AutoCloseable {
    final String name;
    final Path output;
    private final Process process;

    private MillraceProcess(String name, Path output, Process process) {
        this.name = name;
        this.output = output;
        this.process = process;
    }

    /** Starts the jar with {@code args}; {@code env} is added to this JVM's environment. */
    static MillraceProcess start(String name, Path dir, Map<String, String> env, List<String> args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small heaps: five developers share two cores and this machine's memory.
        command.add("-Xmx384m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(args);
        Path output = dir.resolve(name + ".log");
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile());
        builder.environment().putAll(env);
        return new MillraceProcess(name, output, builder.start());
    }

    /** The shaded cli jar the deploy module depends on (cli/target/millrace.jar in the reactor). */
    static Path jar() {
        try {
            Path location =
                    Path.of(
                            Class.forName("dev.millrace.cli.Millrace")
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI());
            if (!Files.isRegularFile(location) || !location.toString().endsWith(".jar")) {
                throw new IllegalStateException(
                        "the cli module is on the classpath as "
                                + location
                                + ", not as its shaded jar: run the deploy tests with `verify`"
                                + " (the jar is made in `package`)");
            }
            return location;
        } catch (ClassNotFoundException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static URI local(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /**
     * SIGTERM, then waits for the shutdown hook to close everything; the exit code (143 is a JVM
     * that ran its shutdown hooks after SIGTERM).
     */
    int stop(Duration grace) throws InterruptedException {
        if (!process.isAlive()) {
            return process.exitValue();
        }
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException(
                    name + " did not stop within " + grace + " of SIGTERM; output:\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
