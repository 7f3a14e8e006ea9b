package dev.millrace.crds.connection;

import dev.millrace.crds.common.MillraceApi;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Moves a Source's streams into a Destination on a schedule, as sync Jobs. */
@Group(MillraceApi.GROUP)
@Version(MillraceApi.VERSION)
@Kind("Connection")
@ShortNames("cxn")
@Categories(MillraceApi.CATEGORY)
@AdditionalPrinterColumn(
        name = "Source",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".spec.sourceRef.name")
@AdditionalPrinterColumn(
        name = "Destination",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".spec.destinationRef.name")
@AdditionalPrinterColumn(
        name = "Schedule",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".spec.schedule.scheduleType")
@AdditionalPrinterColumn(
        name = "Last Job",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.lastJob.status")
@AdditionalPrinterColumn(
        name = "Next Sync",
        type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".status.nextSyncAt")
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
public class Connection extends CustomResource<ConnectionSpec, ConnectionStatus>
        implements Namespaced {}
