{{/*
Names, labels and the checks on values that Helm's schema cannot express with messages this clear.
*/}}

{{/* The components whose Deployment an HPA may scale (charts/ragsuite: <component>.autoscaling). */}}
{{- define "ragsuite-apps.scalableComponents" -}}
gateway embedder reranker generator retriever
{{- end }}

{{/* "true" when some environment deploys Qdrant, else empty. */}}
{{- define "ragsuite-apps.anyQdrant" -}}
{{- range .Values.environments }}{{ if .qdrant }}true{{ break }}{{ end }}{{ end }}
{{- end }}

{{/* Labels on every object: what it is part of, and who renders it. */}}
{{- define "ragsuite-apps.labels" -}}
app.kubernetes.io/part-of: ragsuite
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end }}

{{/* ragsuite-<env>: the namespace, the RagSuite Application and its Helm release (so the fullname is the same). */}}
{{- define "ragsuite-apps.envName" -}}
{{- printf "ragsuite-%s" . }}
{{- end }}

{{/* Fails, naming the value, on anything that would render Applications Argo CD rejects or misreads. */}}
{{- define "ragsuite-apps.validate" -}}
{{- if not .Values.repoURL }}
{{- fail "repoURL is required: the Git repository of this chart and charts/ragsuite (argocd/root.yaml passes its own source's URL; by hand: --set repoURL=https://...)" }}
{{- end }}
{{- if not (regexMatch "^(https://|ssh://|git@)[^ ]+$" .Values.repoURL) }}
{{- fail (printf "repoURL %q is not a Git URL (https://, ssh:// or git@host:path)" .Values.repoURL) }}
{{- end }}
{{- if not .Values.destinationServer }}
{{- fail "destinationServer is required: the API server URL of the cluster (https://kubernetes.default.svc for Argo CD's own)" }}
{{- end }}
{{- if not .Values.environments }}
{{- fail "environments is empty: list at least one (name, targetRevision, sync, autoscaled, qdrant)" }}
{{- end }}
{{- $seen := dict }}
{{- $scalable := splitList " " (include "ragsuite-apps.scalableComponents" .) }}
{{- range $i, $env := .Values.environments }}
{{- $name := $env.name | default "" | toString }}
{{- if not (regexMatch "^[a-z0-9]([-a-z0-9]{0,29}[a-z0-9])?$" $name) }}
{{- fail (printf "environments[%d].name %q must be 1-31 lower-case letters, digits or '-' (it names namespace ragsuite-<name> and fits the chart's 40-character release names)" $i $name) }}
{{- end }}
{{- if hasKey $seen $name }}
{{- fail (printf "environments[%d].name %q appears twice" $i $name) }}
{{- end }}
{{- $_ := set $seen $name true }}
{{- if not $env.targetRevision }}
{{- fail (printf "environments[%d] (%s): targetRevision is required (a branch to follow or a tag to pin)" $i $name) }}
{{- end }}
{{- if not (has $env.sync (list "automated" "manual")) }}
{{- fail (printf "environments[%d] (%s): sync must be automated or manual, not %v" $i $name $env.sync) }}
{{- end }}
{{- if not (kindIs "slice" $env.autoscaled) }}
{{- fail (printf "environments[%d] (%s): autoscaled must be a list of components ([] for none)" $i $name) }}
{{- end }}
{{- range $env.autoscaled }}
{{- if not (has . $scalable) }}
{{- fail (printf "environments[%d] (%s): autoscaled lists %q, which is not one of %s" $i $name . (join ", " $scalable)) }}
{{- end }}
{{- end }}
{{- if not (kindIs "bool" $env.qdrant) }}
{{- fail (printf "environments[%d] (%s): qdrant must be true or false" $i $name) }}
{{- end }}
{{- if and $env.qdrant (not (regexMatch "^[0-9]+\\.[0-9]+\\.[0-9]+$" (toString $.Values.qdrant.version))) }}
{{- fail (printf "qdrant.version %q must pin an exact chart version (x.y.z): environment %s deploys Qdrant" (toString $.Values.qdrant.version) $name) }}
{{- end }}
{{- end }}
{{- end }}
