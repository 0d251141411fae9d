{{/*
Names and labels. Component helpers take a dict: (dict "ctx" $ "component" "embedder").
*/}}

{{- define "ragsuite.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-wide name, cut to 40 characters so "<name>-<component>-headless" stays within 63. */}}
{{- define "ragsuite.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "ragsuite.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* <fullname>-<component>: the Deployment/StatefulSet, ClusterIP Service and ConfigMap name. */}}
{{- define "ragsuite.componentName" -}}
{{- printf "%s-%s" (include "ragsuite.fullname" .ctx) .component }}
{{- end }}

{{- define "ragsuite.headlessName" -}}
{{- printf "%s-headless" (include "ragsuite.componentName" .) }}
{{- end }}

{{/* Immutable selector labels: never add anything here that changes between upgrades. */}}
{{- define "ragsuite.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ragsuite.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
{{- with get . "component" }}
app.kubernetes.io/component: {{ . }}
{{- end }}
{{- end }}

{{/* Full labels for metadata: selector labels plus version and ownership. */}}
{{- define "ragsuite.labels" -}}
helm.sh/chart: {{ include "ragsuite.chart" .ctx }}
{{ include "ragsuite.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: ragsuite
{{- end }}

{{- define "ragsuite.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "ragsuite.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* registry/repository:tag; the tag falls back to image.tag, then to appVersion. */}}
{{- define "ragsuite.image" -}}
{{- $values := index .ctx.Values .component }}
{{- $tag := $values.image.tag | default .ctx.Values.image.tag | default .ctx.Chart.AppVersion }}
{{- if .ctx.Values.image.registry }}
{{- printf "%s/%s:%s" .ctx.Values.image.registry $values.image.repository $tag }}
{{- else }}
{{- printf "%s:%s" $values.image.repository $tag }}
{{- end }}
{{- end }}

{{/* The gateway's address for a role: the override, or dns:/// over the role's headless Service. */}}
{{- define "ragsuite.serviceAddress" -}}
{{- $call := index .ctx.Values.gateway.services .component }}
{{- if $call.address }}
{{- $call.address }}
{{- else }}
{{- printf "dns:///%s.%s.svc.%s:%d" (include "ragsuite.headlessName" .) .ctx.Release.Namespace .ctx.Values.clusterDomain (int .ctx.Values.ports.grpc) }}
{{- end }}
{{- end }}

{{/* Checks that the schema cannot express. */}}
{{- define "ragsuite.validate" -}}
{{- include "ragsuite.validateStore" . }}
{{- end }}
