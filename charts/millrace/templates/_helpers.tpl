{{/* Chart name. */}}
{{- define "millrace.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Object name prefix: <release>-millrace, or the release name when it already says millrace. */}}
{{- define "millrace.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "millrace.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "millrace.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: millrace
{{- end -}}

{{/* Selector labels of one component: call with (dict "ctx" $ "component" "api"). */}}
{{- define "millrace.selectorLabels" -}}
app.kubernetes.io/name: {{ include "millrace.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "millrace.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "millrace.apiNamespace" -}}
{{- default .Release.Namespace .Values.api.namespace -}}
{{- end -}}

{{- define "millrace.operatorServiceAccount" -}}
{{- printf "%s-operator" (include "millrace.fullname" .) -}}
{{- end -}}

{{- define "millrace.apiServiceAccount" -}}
{{- printf "%s-api" (include "millrace.fullname" .) -}}
{{- end -}}

{{- define "millrace.dataClaim" -}}
{{- default (printf "%s-data" (include "millrace.fullname" .)) .Values.persistence.data.existingClaim -}}
{{- end -}}

{{- define "millrace.warehouseClaim" -}}
{{- default (printf "%s-warehouse" (include "millrace.fullname" .)) .Values.persistence.warehouse.existingClaim -}}
{{- end -}}

{{- define "millrace.storeClaim" -}}
{{- default (printf "%s-store" (include "millrace.fullname" .)) .Values.store.duckdb.existingClaim -}}
{{- end -}}

{{/* Namespaces that get the sync service account: the release namespace and every watched one. */}}
{{- define "millrace.syncNamespaces" -}}
{{- $all := list .Release.Namespace -}}
{{- range .Values.watchNamespaces -}}{{- $all = append $all . -}}{{- end -}}
{{- $all | uniq | join "," -}}
{{- end -}}

{{/* Checks that span several values (the schema checks each value alone). */}}
{{- define "millrace.validate" -}}
{{- if and .Values.watchNamespaces (not (has (include "millrace.apiNamespace" .) .Values.watchNamespaces)) -}}
{{- fail (printf "api.namespace %q (empty means the release namespace) must be one of watchNamespaces %v, or the operator never reconciles what the API serves" (include "millrace.apiNamespace" .) .Values.watchNamespaces) -}}
{{- end -}}
{{- end -}}

{{/* Flags every operator-running command takes (control-plane and operator). */}}
{{- define "millrace.operatorArgs" -}}
- --sync-image={{ include "millrace.image" . }}
- --image-pull-policy={{ .Values.image.pullPolicy }}
- --job-service-account={{ .Values.sync.serviceAccountName }}
- --data-claim={{ include "millrace.dataClaim" . }}
- --warehouse-claim={{ include "millrace.warehouseClaim" . }}
- --progress-listen=0.0.0.0:{{ .Values.operator.progressPort }}
- --progress-url=http://{{ include "millrace.fullname" . }}-progress.{{ .Release.Namespace }}.svc:{{ .Values.operator.progressPort }}
- --leader-election-namespace=$(POD_NAMESPACE)
- --leader-election-lease={{ include "millrace.fullname" . }}-operator
- --metrics-listen=0.0.0.0:{{ .Values.operator.metricsPort }}
{{- end -}}

{{/* The pod's namespace from the downward API: where the operator Lease lives. */}}
{{- define "millrace.podNamespaceEnv" -}}
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
{{- end -}}

{{/* Port, probes and scrape annotations of the operator's /metrics, /healthz and /readyz. */}}
{{- define "millrace.metricsPort" -}}
- name: metrics
  containerPort: {{ .Values.operator.metricsPort }}
  protocol: TCP
{{- end -}}

{{- define "millrace.operatorProbes" -}}
livenessProbe:
  httpGet:
    path: /healthz
    port: metrics
  initialDelaySeconds: 10
  periodSeconds: 20
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: /readyz
    port: metrics
  periodSeconds: 10
  failureThreshold: 3
{{- end -}}

{{- define "millrace.scrapeAnnotations" -}}
{{- if .Values.operator.metrics.scrapeAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .Values.operator.metricsPort | quote }}
prometheus.io/path: /metrics
{{- end }}
{{- end -}}

{{/* What every Millrace process reconciles or serves: all namespaces, or watchNamespaces. */}}
{{- define "millrace.scopeArgs" -}}
{{- with .Values.watchNamespaces }}
- --watch-namespace={{ join "," . }}
{{- end }}
{{- end -}}

{{/* Flags of the commands that serve the API (control-plane and api). */}}
{{- define "millrace.apiArgs" -}}
- --bind=0.0.0.0
- --port={{ .Values.api.port }}
- --api-namespace={{ include "millrace.apiNamespace" . }}
- --auth={{ join "," .Values.auth.modes }}
{{- if has "token" .Values.auth.modes }}
- --auth-token-secret={{ .Release.Namespace }}/{{ .Values.auth.existingTokenSecret }}
{{- end }}
{{- if has "jwt" .Values.auth.modes }}
- --jwt-hs256-secret-file=/etc/millrace/jwt/{{ .Values.auth.jwt.key }}
{{- with .Values.auth.jwt.issuer }}
- --jwt-issuer={{ . }}
{{- end }}
{{- with .Values.auth.jwt.audience }}
- --jwt-audience={{ . }}
{{- end }}
{{- end }}
{{- end -}}

{{/* The JWT shared secret as a read-only file (never an env var or an argument). */}}
{{- define "millrace.jwtVolumeMount" -}}
{{- if has "jwt" .Values.auth.modes }}
- name: jwt
  mountPath: /etc/millrace/jwt
  readOnly: true
{{- end }}
{{- end -}}

{{- define "millrace.jwtVolume" -}}
{{- if has "jwt" .Values.auth.modes }}
- name: jwt
  secret:
    secretName: {{ .Values.auth.jwt.existingSecret }}
    items:
      - key: {{ .Values.auth.jwt.key }}
        path: {{ .Values.auth.jwt.key }}
{{- end }}
{{- end -}}

{{- define "millrace.storeArgs" -}}
{{- if eq .Values.store.type "postgresql" }}
- --store-url={{ .Values.store.postgresql.url }}
{{- else }}
- --store=/var/lib/millrace/store.duckdb
{{- end }}
- --data-root=/data
- --warehouse-root=/warehouse
{{- end -}}

{{- define "millrace.storeEnv" -}}
- name: HOME
  value: /tmp
{{- if eq .Values.store.type "postgresql" }}
- name: MILLRACE_STORE_USER
  valueFrom:
    secretKeyRef:
      name: {{ .Values.store.postgresql.existingSecret }}
      key: {{ .Values.store.postgresql.userKey }}
- name: MILLRACE_STORE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.store.postgresql.existingSecret }}
      key: {{ .Values.store.postgresql.passwordKey }}
{{- end }}
{{- end -}}

{{- define "millrace.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "millrace.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop:
    - ALL
{{- end -}}

{{- define "millrace.probes" -}}
livenessProbe:
  httpGet:
    path: /api/status
    port: http
  initialDelaySeconds: {{ .Values.probes.livenessInitialDelaySeconds }}
  periodSeconds: {{ .Values.probes.periodSeconds }}
  timeoutSeconds: {{ .Values.probes.timeoutSeconds }}
  failureThreshold: {{ .Values.probes.failureThreshold }}
readinessProbe:
  httpGet:
    path: /api/status
    port: http
  initialDelaySeconds: {{ .Values.probes.readinessInitialDelaySeconds }}
  periodSeconds: {{ .Values.probes.periodSeconds }}
  timeoutSeconds: {{ .Values.probes.timeoutSeconds }}
  failureThreshold: {{ .Values.probes.failureThreshold }}
{{- end -}}

{{/* Pod scheduling and pull secrets: call with (dict "ctx" $ "pod" .Values.api). */}}
{{- define "millrace.podPlacement" -}}
{{- with .ctx.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .pod.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .pod.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .pod.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
