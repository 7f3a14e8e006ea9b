package dev.millrace.crds.connector;

import dev.millrace.crds.common.MillraceApi;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A database or HTTP endpoint with its credentials (through a Secret), tested and browsed. */
@Group(MillraceApi.GROUP)
@Version(MillraceApi.VERSION)
@Kind("Connector")
@ShortNames("ctr")
@Categories(MillraceApi.CATEGORY)
@AdditionalPrinterColumn(
        name = "Type",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".spec.type")
@AdditionalPrinterColumn(
        name = "Host",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".spec.host")
@AdditionalPrinterColumn(
        name = "Reachable",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Reachable\")].status")
@AdditionalPrinterColumn(
        name = "Tables",
        type = AdditionalPrinterColumn.Type.INTEGER,
        jsonPath = ".status.metadata.tables")
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
public class Connector extends CustomResource<ConnectorSpec, ConnectorStatus>
        implements Namespaced {}
