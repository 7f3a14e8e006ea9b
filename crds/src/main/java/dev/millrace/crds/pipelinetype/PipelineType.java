package dev.millrace.crds.pipelinetype;

import dev.millrace.crds.common.MillraceApi;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A group of pipelines sharing default freshness and timeliness thresholds. */
@Group(MillraceApi.GROUP)
@Version(MillraceApi.VERSION)
@Kind("PipelineType")
@ShortNames("plt")
@Categories(MillraceApi.CATEGORY)
@AdditionalPrinterColumn(
        name = "Display Name",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".spec.displayName")
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
public class PipelineType extends CustomResource<PipelineTypeSpec, PipelineTypeStatus>
        implements Namespaced {}
