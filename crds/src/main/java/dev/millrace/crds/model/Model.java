package dev.millrace.crds.model;

import dev.millrace.crds.common.MillraceApi;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A SQL model materialised as a view or table in a DuckDB destination. */
@Group(MillraceApi.GROUP)
@Version(MillraceApi.VERSION)
@Kind("Model")
@ShortNames("mdl")
@Categories(MillraceApi.CATEGORY)
@AdditionalPrinterColumn(
        name = "Materialization",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".spec.materialization")
@AdditionalPrinterColumn(
        name = "Status",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.status")
@AdditionalPrinterColumn(
        name = "Rows",
        type = AdditionalPrinterColumn.Type.INTEGER,
        jsonPath = ".status.rowCount")
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
public class Model extends CustomResource<ModelSpec, ModelStatus> implements Namespaced {}
