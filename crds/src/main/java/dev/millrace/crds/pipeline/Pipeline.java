package dev.millrace.crds.pipeline;

import dev.millrace.crds.common.MillraceApi;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A monitored pipeline: executions, watermarks, freshness and timeliness (Watcher semantics). */
@Group(MillraceApi.GROUP)
@Version(MillraceApi.VERSION)
@Kind("Pipeline")
@ShortNames("pl")
@Categories(MillraceApi.CATEGORY)
@AdditionalPrinterColumn(
        name = "Display Name",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".spec.displayName")
@AdditionalPrinterColumn(
        name = "Type",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".spec.pipelineTypeRef.name")
@AdditionalPrinterColumn(
        name = "Active",
        type = AdditionalPrinterColumn.Type.BOOLEAN,
        jsonPath = ".spec.active")
@AdditionalPrinterColumn(
        name = "Fresh",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Fresh\")].status")
@AdditionalPrinterColumn(
        name = "Timely",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Timely\")].status")
@AdditionalPrinterColumn(
        name = "Ready",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
        name = "Age",
        type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".metadata.creationTimestamp")
@AdditionalPrinterColumn(
        name = "ID",
        type = AdditionalPrinterColumn.Type.INTEGER,
        jsonPath = ".status.id",
        priority = 1)
public class Pipeline extends CustomResource<PipelineSpec, PipelineStatus> implements Namespaced {}
