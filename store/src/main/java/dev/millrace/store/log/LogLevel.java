package dev.millrace.store.log;

/** The levels of the platform API's activity log, spelled as that API spells them. */
public enum LogLevel {
    INFO,
    WARNING,
    ERROR,
    SUCCESS
}
