package dev.millrace.store.lineage;

/** Data flows from the source address to the target address through the pipeline. */
public record LineageEdge(long pipelineId, long sourceAddressId, long targetAddressId) {}
