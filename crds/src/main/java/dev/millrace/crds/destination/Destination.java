package dev.millrace.crds.destination;

import dev.millrace.crds.common.MillraceApi;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Where data lands: a DuckDB file, a Parquet folder or a PostgreSQL database. */
@Group(MillraceApi.GROUP)
@Version(MillraceApi.VERSION)
@Kind("Destination")
@ShortNames("dst")
@Categories(MillraceApi.CATEGORY)
@AdditionalPrinterColumn(
        name = "Type",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".spec.type")
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
public class Destination extends CustomResource<DestinationSpec, DestinationStatus>
        implements Namespaced {}
