package dev.millrace.sync.source.jdbc;

import dev.millrace.sync.destination.duckdb.Column;
import dev.millrace.sync.destination.duckdb.DuckDbSession;
import dev.millrace.sync.destination.duckdb.Sql;
import dev.millrace.sync.plan.StreamPlan;
import dev.millrace.sync.result.SyncFailure;
import dev.millrace.sync.source.jdbc.JdbcRead.SourceColumn;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Reads a PostgreSQL stream the fastest way measured on this hardware (DESIGN §9): PostgreSQL
 * writes the rows as CSV with {@code COPY (SELECT …) TO STDOUT}, the bytes go through a named pipe,
 * and DuckDB's {@code read_csv} parses them into staging as they arrive. Extract and load overlap
 * and Java touches no row, where the JDBC path decodes and appends every value on one thread.
 *
 * <p>Used only when every column has a PostgreSQL type whose CSV text DuckDB parses back to the
 * same value ({@link #canRead}); any other table (bytea, arrays, intervals, money, user types) is
 * read through JDBC by {@link JdbcRead}. The text of the two paths differs only where JDBC loses
 * precision: a {@code real} lands as PostgreSQL prints it (1.1), not widened from a Java float.
 *
 * <p>A failure on either side fails the read: PostgreSQL ending the COPY early closes the pipe,
 * which DuckDB would take for the end of the data, so the writer's outcome is checked before the
 * rows count as read, and the sync's transaction rolls back.
 */
final class PostgresCopyRead {

    /**
     * PostgreSQL types whose CSV output (DateStyle ISO, TimeZone UTC) DuckDB reads into the column
     * JdbcRead would land them in, with the same value.
     */
    private static final Set<String> COPYABLE_TYPES =
            Set.of(
                    "bool",
                    "int2",
                    "int4",
                    "int8",
                    "float4",
                    "float8",
                    "numeric",
                    "date",
                    "time",
                    "timestamp",
                    "timestamptz",
                    "text",
                    "varchar",
                    "bpchar",
                    "name",
                    "uuid",
                    "json",
                    "jsonb");

    /** How long a failed read waits for the COPY thread to notice and end. */
    private static final long WRITER_STOP_SECONDS = 30;

    /**
     * The longest row DuckDB's CSV reader accepts here. Its default, 2 MB, would fail a table with
     * a large text or JSON value that the JDBC path reads; its buffer would default to 16 times
     * this, so it is set to twice instead, which bounds the read's memory.
     */
    private static final long MAX_LINE_BYTES = 16L * 1024 * 1024;

    private static final AtomicLong PIPES = new AtomicLong();

    private PostgresCopyRead() {}

    /**
     * Whether {@code columns} of {@code source} can be read with COPY: a PostgreSQL connection,
     * named pipes available (Linux, macOS), and only {@link #COPYABLE_TYPES}.
     */
    static boolean canRead(Connection source, List<SourceColumn> columns) throws SQLException {
        if (!source.isWrapperFor(PGConnection.class) || !NamedPipe.supported()) {
            return false;
        }
        return columns.stream()
                .allMatch(c -> COPYABLE_TYPES.contains(c.typeName().toLowerCase(Locale.ROOT)));
    }

    /**
     * Stages the rows of {@code select} (already filtered past the cursor) into the staging table
     * {@code target} of columns {@code staged}, labelling each with {@code label} as JdbcRead's
     * Appender does.
     */
    static void stage(
            DuckDbSession session,
            Connection source,
            StreamPlan stream,
            String select,
            List<Column> staged,
            String[] target,
            String label)
            throws SQLException {
        try (Statement settings = source.createStatement()) {
            // The CSV text of dates and times depends on these; ISO and UTC are what DuckDB
            // parses exactly. standard_conforming_strings keeps cursor literals literal.
            settings.execute("SET DateStyle = 'ISO, YMD'");
            settings.execute("SET TimeZone = 'UTC'");
            settings.execute("SET standard_conforming_strings = on");
            settings.execute("SET extra_float_digits = 1");
        }
        CopyManager copy = source.unwrap(PGConnection.class).getCopyAPI();
        String copySql = "COPY (" + select + ") TO STDOUT (FORMAT csv)";
        Thread reader = Thread.currentThread();
        try (NamedPipe pipe = NamedPipe.create()) {
            AtomicReference<Throwable> writerFailure = new AtomicReference<>();
            Thread writer =
                    new Thread(
                            () -> {
                                try (OutputStream out =
                                        new CancellableOutput(
                                                new FileOutputStream(pipe.path().toFile()),
                                                reader)) {
                                    copy.copyOut(copySql, out);
                                } catch (Throwable t) {
                                    writerFailure.set(t);
                                }
                            },
                            "millrace-pg-copy-" + stream.name());
            writer.setDaemon(true);
            writer.start();
            try {
                session.update(
                        "INSERT INTO "
                                + Sql.qualified(target[0], target[1], target[2])
                                + " SELECT *, "
                                + Sql.literal(label)
                                + " FROM "
                                + readCsv(pipe.path(), staged));
            } catch (SQLException | RuntimeException e) {
                stopWriter(writer, pipe, source);
                Throwable copyFailure = writerFailure.get();
                if (copyFailure != null && !(copyFailure instanceof IOException)) {
                    e.addSuppressed(copyFailure);
                }
                throw e;
            }
            joinWriter(writer);
            Throwable failure = writerFailure.get();
            if (failure instanceof InterruptedIOException || reader.isInterrupted()) {
                throw new CancellationException("interrupted while reading " + stream.name());
            }
            if (failure instanceof SQLException sql) {
                throw sql;
            }
            if (failure != null) {
                throw new SyncFailure(
                        "reading " + stream.name() + " from PostgreSQL failed: " + failure);
            }
        } catch (IOException e) {
            throw new SyncFailure("could not create a pipe to stage " + stream.name() + ": " + e);
        }
    }

    /**
     * The read_csv call for PostgreSQL's CSV: columns by position (the staging table names them),
     * typed as staging is, no sniffing (a pipe can be read once), an unquoted empty field is NULL
     * and a quoted one the empty string, exactly as PostgreSQL writes them.
     */
    private static String readCsv(Path pipe, List<Column> staged) {
        List<String> columns = new ArrayList<>();
        for (int index = 0; index < staged.size(); index++) {
            columns.add(
                    Sql.literal("c" + index)
                            + ": "
                            + Sql.literal(Sql.type(staged.get(index).type())));
        }
        return "read_csv("
                + Sql.literal(pipe.toString())
                + ", columns = {"
                + String.join(", ", columns)
                + "}, header = false, auto_detect = false, delim = ',', quote = '\"',"
                + " escape = '\"', nullstr = '', allow_quoted_nulls = false, parallel = false,"
                + " max_line_size = "
                + MAX_LINE_BYTES
                + ", buffer_size = "
                + 2 * MAX_LINE_BYTES
                + ")";
    }

    /**
     * Ends a COPY whose reader gave up: cancel it in PostgreSQL, and while the writer lives, open
     * and close the pipe read-write. That open never blocks (Linux), releases a writer still
     * blocked in opening the pipe because DuckDB never did, and once closed leaves the pipe without
     * a reader, so the writer's next write fails with a broken pipe.
     */
    private static void stopWriter(Thread writer, NamedPipe pipe, Connection source) {
        try {
            source.unwrap(PGConnection.class).cancelQuery();
        } catch (SQLException ignored) {
            // Nothing running to cancel.
        }
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WRITER_STOP_SECONDS);
        try {
            while (writer.isAlive() && System.nanoTime() < deadline) {
                try (RandomAccessFile release = new RandomAccessFile(pipe.path().toFile(), "rw")) {
                    // Opened and closed: that is all it is for.
                } catch (IOException gone) {
                    // The pipe is gone: nothing to release.
                }
                writer.join(100);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void joinWriter(Thread writer) {
        boolean interrupted = Thread.interrupted();
        try {
            writer.join(TimeUnit.SECONDS.toMillis(WRITER_STOP_SECONDS));
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The COPY's output, which stops the COPY when the sync thread is interrupted: the thread is
     * then blocked in DuckDB, whose statement the sync's interrupt watch cancels, but PostgreSQL
     * would go on producing rows nobody reads.
     */
    private static final class CancellableOutput extends OutputStream {
        private final OutputStream out;
        private final Thread syncThread;

        CancellableOutput(OutputStream out, Thread syncThread) {
            this.out = out;
            this.syncThread = syncThread;
        }

        @Override
        public void write(int b) throws IOException {
            check();
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            check();
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }

        private void check() throws InterruptedIOException {
            if (syncThread.isInterrupted()) {
                throw new InterruptedIOException("sync interrupted");
            }
        }
    }

    /** A named pipe (FIFO) in a private temporary directory, removed on close. */
    record NamedPipe(Path directory, Path path) implements AutoCloseable {

        static boolean supported() {
            return Files.isExecutable(Path.of("/usr/bin/mkfifo"))
                    || Files.isExecutable(Path.of("/bin/mkfifo"));
        }

        static NamedPipe create() throws IOException {
            Path directory = Files.createTempDirectory("millrace-copy-");
            Path path = directory.resolve("rows-" + PIPES.incrementAndGet() + ".csv");
            Process mkfifo =
                    new ProcessBuilder("mkfifo", "-m", "600", path.toString())
                            .redirectErrorStream(true)
                            .start();
            try {
                String output = new String(mkfifo.getInputStream().readAllBytes());
                if (mkfifo.waitFor() != 0) {
                    Files.deleteIfExists(directory);
                    throw new IOException("mkfifo failed: " + output.strip());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while creating a pipe");
            }
            return new NamedPipe(directory, path);
        }

        @Override
        public void close() throws IOException {
            Files.deleteIfExists(path);
            Files.deleteIfExists(directory);
        }
    }
}
