package dev.millrace.crds.source;

import dev.millrace.crds.common.MillraceApi;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Where data comes from: a file folder, a database through a Connector, or a REST API. */
@Group(MillraceApi.GROUP)
@Version(MillraceApi.VERSION)
@Kind("Source")
@ShortNames("src")
@Categories(MillraceApi.CATEGORY)
@AdditionalPrinterColumn(
        name = "Type",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".spec.type")
@AdditionalPrinterColumn(
        name = "Status",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.status")
@AdditionalPrinterColumn(
        name = "Rows",
        type = AdditionalPrinterColumn.Type.INTEGER,
        jsonPath = ".status.rowCount")
@AdditionalPrinterColumn(
        name = "Last Sync",
        type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".status.lastSync")
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
public class Source extends CustomResource<SourceSpec, SourceStatus> implements Namespaced {}
