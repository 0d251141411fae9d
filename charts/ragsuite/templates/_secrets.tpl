{{/*
The Secrets the pods mount, as a YAML map of Secret name to the keys read from it ([] = any keys: every key is a file).
One Secret may serve several purposes; their keys add up. An ExternalSecret may only create one of these.
Every new Secret mount adds its name and key here. Takes the root context.
*/}}
{{- define "ragsuite.mountedSecrets" -}}
{{- $mounted := dict }}
{{- $uses := list }}
{{- $uses = append $uses (list .Values.auth.existingSecret .Values.auth.secretKey) }}
{{- $uses = append $uses (list .Values.serviceToken.existingSecret .Values.serviceToken.secretKey) }}
{{- $uses = append $uses (list .Values.tests.apiKey.existingSecret .Values.tests.apiKey.secretKey) }}
{{- range $component := list "gateway" "embedder" "retriever" "reranker" "generator" }}
{{- $uses = append $uses (list (index $.Values $component).existingSecret "") }}
{{- end }}
{{- range $uses }}
{{- $name := index . 0 }}
{{- $key := index . 1 }}
{{- if $name }}
{{- $keys := get $mounted $name | default list }}
{{- if and $key (not (has $key $keys)) }}{{ $keys = append $keys $key }}{{ end }}
{{- $_ := set $mounted $name $keys }}
{{- end }}
{{- end }}
{{- toYaml $mounted }}
{{- end }}
