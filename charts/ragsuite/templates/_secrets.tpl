{{/*
The Secrets the pods read (mounted as files, or one key as a secretKeyRef where a third-party image wants a variable),
as a YAML map of Secret name to the keys read from it ([] = any keys: each key is a file). One Secret may serve several
purposes; their keys add up. An ExternalSecret may only create one of these. Every new Secret a pod reads adds its
name and key here; keys a newer values section brings are read with get, so the list works before and after it.
Takes the root context.
*/}}
{{- define "ragsuite.consumedSecrets" -}}
{{- $mounted := dict }}
{{- $uses := list }}
{{- $uses = append $uses (list .Values.auth.existingSecret .Values.auth.secretKey) }}
{{- $uses = append $uses (list .Values.serviceToken.existingSecret .Values.serviceToken.secretKey) }}
{{- $uses = append $uses (list .Values.tests.apiKey.existingSecret .Values.tests.apiKey.secretKey) }}
{{- range $component := list "gateway" "embedder" "retriever" "reranker" "generator" }}
{{- $uses = append $uses (list (index $.Values $component).existingSecret "") }}
{{- end }}
{{- /* The store's Secrets, mounted into the retriever with its store only (get: keys a store adds to values). */}}
{{- $store := get .Values.retriever "store" | default "embedded" }}
{{- $qdrantKey := get (get .Values "qdrant" | default dict) "apiKey" | default dict }}
{{- if eq $store "qdrant" }}
{{- $uses = append $uses (list (get $qdrantKey "existingSecret") (get $qdrantKey "secretKey")) }}
{{- end }}
{{- $pgvector := get (get .Values "pgvector" | default dict) "connectionString" | default dict }}
{{- if eq $store "pgvector" }}
{{- $uses = append $uses (list (get $pgvector "existingSecret") (get $pgvector "secretKey")) }}
{{- end }}
{{- /* The generator's upstream API keys and the optional vLLM server's key and Hugging Face token. */}}
{{- range (get .Values.generator "upstreams" | default list) }}
{{- $key := get . "apiKey" | default dict }}
{{- $uses = append $uses (list (get $key "existingSecret") (get $key "secretKey")) }}
{{- end }}
{{- $vllm := get .Values "vllm" | default dict }}
{{- if get $vllm "enabled" }}
{{- range $purpose := list "apiKey" "huggingFace" }}
{{- $key := get $vllm $purpose | default dict }}
{{- $uses = append $uses (list (get $key "existingSecret") (get $key "secretKey")) }}
{{- end }}
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
