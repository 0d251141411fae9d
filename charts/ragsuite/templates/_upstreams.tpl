{{/*
The generator's upstreams (RagSuite:Generator:Upstreams): the chart's vLLM first when vllm.enabled, then
generator.upstreams in order. Each API key is a Secret mounted as a file (ApiKeyFile), never an environment value.
*/}}

{{/* The list, as YAML {upstreams: [...]}, each with name, baseUrl, model, apiKey and its optional settings. Takes the root context. */}}
{{- define "ragsuite.generator.upstreams" -}}
{{- $upstreams := list }}
{{- with .Values.vllm }}
{{- if .enabled }}
{{- $vllm := deepCopy .upstream }}
{{- $_ := set $vllm "baseUrl" (printf "http://%s.%s.svc.%s:%d/v1" (include "ragsuite.componentName" (dict "ctx" $ "component" "vllm")) $.Release.Namespace $.Values.clusterDomain (int .port)) }}
{{- $_ := set $vllm "model" (.servedModelName | default .model) }}
{{- $_ := set $vllm "apiKey" .apiKey }}
{{- $_ := set $vllm "contextWindow" .maxModelLen }}
{{- $upstreams = append $upstreams $vllm }}
{{- end }}
{{- end }}
{{- range $i, $u := .Values.generator.upstreams }}
{{- range $field := list "name" "baseUrl" "model" }}
{{- $_ := required (printf "generator.upstreams[%d].%s is required" $i $field) (get $u $field) }}
{{- end }}
{{- end }}
{{- $upstreams = concat $upstreams .Values.generator.upstreams }}
{{- $seen := dict }}
{{- range $upstreams }}
{{- $key := lower .name }}
{{- if has $key (list "auto" "extractive") }}
{{- fail (printf "generator.upstreams: the name '%s' is reserved for a generation mode; choose another name" .name) }}
{{- end }}
{{- if hasKey $seen $key }}
{{- fail (printf "generator.upstreams: the name '%s' is used twice (vllm.upstream.name counts when vllm.enabled); the generator refuses duplicate names" .name) }}
{{- end }}
{{- $_ := set $seen $key true }}
{{- end }}
{{- toYaml (dict "upstreams" $upstreams) }}
{{- end }}

{{/* Where an upstream's key Secret is mounted. Takes the upstream. */}}
{{- define "ragsuite.generator.upstreamKeyDirectory" -}}
/var/run/secrets/ragsuite/upstream-{{ .name }}
{{- end }}

{{/* ConfigMap entries for every upstream and the routing policy. Takes the root context. */}}
{{- define "ragsuite.generator.upstreamSettings" -}}
{{- range $i, $u := (include "ragsuite.generator.upstreams" . | fromYaml).upstreams }}
{{- $prefix := printf "RagSuite__Generator__Upstreams__%d__" $i }}
{{ $prefix }}Name: {{ $u.name | quote }}
{{ $prefix }}BaseUrl: {{ $u.baseUrl | quote }}
{{ $prefix }}Model: {{ $u.model | quote }}
{{- with get $u "apiKey" }}
{{- if .existingSecret }}
{{ $prefix }}ApiKeyFile: {{ printf "%s/%s" (include "ragsuite.generator.upstreamKeyDirectory" $u) .secretKey | quote }}
{{- end }}
{{- end }}
{{- range $key := list "contextWindow" "maxConcurrency" }}
{{- if hasKey $u $key }}
{{ $prefix }}{{ title $key }}: {{ index $u $key | int64 | quote }}
{{- end }}
{{- end }}
{{- range $key := list "firstTokenTimeoutSeconds" "idleTimeoutSeconds" "timeoutSeconds" "queueTimeoutSeconds" "inputCostPer1k" "outputCostPer1k" "tokenizer" }}
{{- if hasKey $u $key }}
{{ $prefix }}{{ title $key }}: {{ index $u $key | toString | quote }}
{{- end }}
{{- end }}
{{- end }}
RagSuite__Generator__Routing__Policy: {{ .Values.generator.routing.policy | quote }}
{{- end }}

{{/* The generator's key mounts and volumes: one read-only Secret directory per upstream with a key. Take the root context. */}}
{{- define "ragsuite.generator.upstreamKeyMounts" -}}
{{- range $i, $u := (include "ragsuite.generator.upstreams" . | fromYaml).upstreams }}
{{- if (get $u "apiKey" | default dict).existingSecret }}
- name: upstream-key-{{ $i }}
  mountPath: {{ include "ragsuite.generator.upstreamKeyDirectory" $u }}
  readOnly: true
{{- end }}
{{- end }}
{{- end }}

{{- define "ragsuite.generator.upstreamKeyVolumes" -}}
{{- range $i, $u := (include "ragsuite.generator.upstreams" . | fromYaml).upstreams }}
{{- if (get $u "apiKey" | default dict).existingSecret }}
- name: upstream-key-{{ $i }}
  secret:
    secretName: {{ $u.apiKey.existingSecret }}
    items:
      - key: {{ $u.apiKey.secretKey }}
        path: {{ $u.apiKey.secretKey }}
    defaultMode: 288  # 0440: the app user reads it through fsGroup
{{- end }}
{{- end }}
{{- end }}
