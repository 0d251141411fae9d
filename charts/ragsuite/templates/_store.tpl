{{/*
The retriever's vector store (retriever.store: embedded, qdrant or pgvector): where it is, where its secrets are
mounted, and the checks that fail rendering when a store lacks what it needs. Take the root context.
*/}}

{{/* True ("true") when the retriever keeps its collections itself: a StatefulSet with a volume, one replica. */}}
{{- define "ragsuite.embeddedStore" -}}
{{- if eq .Values.retriever.store "embedded" }}true{{ end }}
{{- end }}

{{/* Qdrant's REST URL: qdrant.url, or the Service of the official chart's release named qdrant in this namespace. */}}
{{- define "ragsuite.qdrantUrl" -}}
{{- .Values.qdrant.url | default (printf "http://qdrant.%s.svc.%s:6333" .Release.Namespace .Values.clusterDomain) | trimSuffix "/" }}
{{- end }}

{{- define "ragsuite.qdrantApiKeyDirectory" -}}
/var/run/secrets/ragsuite/qdrant
{{- end }}

{{- define "ragsuite.qdrantApiKeyFile" -}}
{{ include "ragsuite.qdrantApiKeyDirectory" . }}/{{ .Values.qdrant.apiKey.secretKey }}
{{- end }}

{{- define "ragsuite.pgvectorDirectory" -}}
/var/run/secrets/ragsuite/pgvector
{{- end }}

{{- define "ragsuite.pgvectorFile" -}}
{{ include "ragsuite.pgvectorDirectory" . }}/{{ .Values.pgvector.connectionString.secretKey }}
{{- end }}

{{/*
What values.schema.json cannot say, or says only to tools that read it: each message names the value and the way out.
*/}}
{{- define "ragsuite.validateStore" -}}
{{- $r := .Values.retriever }}
{{- $q := .Values.qdrant }}
{{- if not (has $r.store (list "embedded" "qdrant" "pgvector")) }}
{{- fail (printf "retriever.store is %q: it must be embedded, qdrant or pgvector" (toString $r.store)) }}
{{- end }}
{{- if eq $r.store "embedded" }}
{{- if gt (int $r.replicas) 1 }}
{{- fail (printf "retriever.replicas is %d, but the embedded store locks its data directory: one replica at most. Scale out with retriever.store qdrant or pgvector" (int $r.replicas)) }}
{{- end }}
{{- if $r.autoscaling.enabled }}
{{- fail "retriever.autoscaling.enabled needs retriever.store qdrant or pgvector: the embedded store runs one replica" }}
{{- end }}
{{- end }}
{{- if and (eq $r.store "pgvector") (not .Values.pgvector.connectionString.existingSecret) }}
{{- fail "retriever.store is pgvector but pgvector.connectionString.existingSecret is empty: name the Secret holding the connection string (see values.yaml)" }}
{{- end }}
{{- if and $q.url (not (regexMatch "^https?://[^/@]+(/.*)?$" $q.url)) }}
{{- /* The URL is not repeated: it may hold the very credentials it must not. */}}
{{- fail "qdrant.url must be an http:// or https:// URL without credentials (the key belongs in qdrant.apiKey)" }}
{{- end }}
{{- if gt (int $q.writeConsistencyFactor) (max 1 (int $q.replicationFactor)) }}
{{- fail (printf "qdrant.writeConsistencyFactor (%d) exceeds qdrant.replicationFactor (%d): no write could ever be acknowledged" (int $q.writeConsistencyFactor) (max 1 (int $q.replicationFactor))) }}
{{- end }}
{{- if and $q.snapshots.enabled (ne $r.store "qdrant") }}
{{- fail (printf "qdrant.snapshots.enabled needs retriever.store qdrant (it is %s): there is no Qdrant to snapshot" $r.store) }}
{{- end }}
{{- end }}
