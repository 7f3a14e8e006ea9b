package dev.millrace.crds.anomalyrule;

import dev.millrace.crds.common.MillraceApi;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Flags executions whose metric leaves the z-score band of its baseline. */
@Group(MillraceApi.GROUP)
@Version(MillraceApi.VERSION)
@Kind("AnomalyRule")
@ShortNames("ar")
@Categories(MillraceApi.CATEGORY)
@AdditionalPrinterColumn(
        name = "Pipeline",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".spec.pipelineRef.name")
@AdditionalPrinterColumn(
        name = "Metric",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".spec.metricField")
@AdditionalPrinterColumn(
        name = "Z",
        type = AdditionalPrinterColumn.Type.NUMBER,
        jsonPath = ".spec.zThreshold")
@AdditionalPrinterColumn(
        name = "Anomalies",
        type = AdditionalPrinterColumn.Type.INTEGER,
        jsonPath = ".status.anomalyCount")
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
public class AnomalyRule extends CustomResource<AnomalyRuleSpec, AnomalyRuleStatus>
        implements Namespaced {}
