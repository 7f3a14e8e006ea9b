package dev.millrace.sync.plan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Parquet destination: a folder holding one folder of Parquet files per stream, and the manifest
 * that says which files make up each stream.
 *
 * @param path the folder; relative paths resolve against the warehouse root
 * @param partitionBy columns to partition every stream holding all of them by (Hive-style {@code
 *     column=value} folders); empty for none
 */
public record ParquetPlan(String path, List<String> partitionBy) {

    public ParquetPlan {
        partitionBy =
                partitionBy == null
                        ? List.of()
                        : Collections.unmodifiableList(new ArrayList<>(partitionBy));
    }
}
