{{/*
GPU pods and their placement: the GPU image, the GPU limit, node selector, tolerations, host anti-affinity and a
rollout that cannot deadlock a full GPU pool. All take (dict "ctx" $ "component" "<name>") and read the component's
values; a component is on GPUs when its values have a gpu map whose enabled is true (vllm's has no enabled: always on).
*/}}

{{/* "true" when the component runs on GPUs, else empty. */}}
{{- define "ragsuite.gpu.on" -}}
{{- $gpu := get (index .ctx.Values .component) "gpu" }}
{{- if and $gpu (or (not (hasKey $gpu "enabled")) $gpu.enabled) }}true{{ end }}
{{- end }}

{{/* The image's repository and tag on GPUs: the GPU build of the same image unless gpu.image names another. */}}
{{- define "ragsuite.gpu.image" -}}
{{- $v := index .ctx.Values .component }}
{{- $cpuTag := $v.image.tag | default .ctx.Values.image.tag | default .ctx.Chart.AppVersion }}
{{- $repository := $v.gpu.image.repository | default $v.image.repository }}
{{- $tag := $v.gpu.image.tag | default (printf "%s%s" $cpuTag $v.gpu.image.tagSuffix) }}
{{- if .ctx.Values.image.registry }}
{{- printf "%s/%s:%s" .ctx.Values.image.registry $repository $tag }}
{{- else }}
{{- printf "%s:%s" $repository $tag }}
{{- end }}
{{- end }}

{{/* resources, with the GPU limit added on GPUs (an extended resource: its request defaults to the limit). */}}
{{- define "ragsuite.gpu.resources" -}}
{{- $v := index .ctx.Values .component }}
{{- $resources := deepCopy ($v.resources | default dict) }}
{{- if include "ragsuite.gpu.on" . }}
{{- $limits := get $resources "limits" | default dict }}
{{- $_ := set $limits $v.gpu.resourceName ($v.gpu.count | int) }}
{{- $_ := set $resources "limits" $limits }}
{{- end }}
{{- toYaml $resources }}
{{- end }}

{{/* nodeSelector: the GPU pool's labels under the component's own, which win. Empty when there is none. */}}
{{- define "ragsuite.gpu.nodeSelector" -}}
{{- $v := index .ctx.Values .component }}
{{- $selector := deepCopy ($v.nodeSelector | default dict) }}
{{- if include "ragsuite.gpu.on" . }}
{{- $selector = merge $selector (deepCopy ($v.gpu.nodeSelector | default dict)) }}
{{- end }}
{{- with $selector }}{{ toYaml . }}{{ end }}
{{- end }}

{{/* tolerations: the GPU pool's taints, then the component's own. Empty when there are none. */}}
{{- define "ragsuite.gpu.tolerations" -}}
{{- $v := index .ctx.Values .component }}
{{- $tolerations := list }}
{{- if include "ragsuite.gpu.on" . }}
{{- $tolerations = concat $tolerations ($v.gpu.tolerations | default list) }}
{{- end }}
{{- $tolerations = concat $tolerations ($v.tolerations | default list) | uniq }}
{{- with $tolerations }}{{ toYaml . }}{{ end }}
{{- end }}

{{/*
affinity: the component's own, plus host anti-affinity (hostAntiAffinity: preferred | required | none) by
kubernetes.io/hostname over the component's pods, unless affinity already has a podAntiAffinity. Empty when neither.
*/}}
{{- define "ragsuite.gpu.affinity" -}}
{{- $v := index .ctx.Values .component }}
{{- $affinity := deepCopy ($v.affinity | default dict) }}
{{- $mode := get $v "hostAntiAffinity" | default "none" }}
{{- if and (ne $mode "none") (not (hasKey $affinity "podAntiAffinity")) }}
{{- $term := dict "topologyKey" "kubernetes.io/hostname" "labelSelector" (dict "matchLabels" (include "ragsuite.selectorLabels" . | fromYaml)) }}
{{- if eq $mode "required" }}
{{- $_ := set $affinity "podAntiAffinity" (dict "requiredDuringSchedulingIgnoredDuringExecution" (list $term)) }}
{{- else if eq $mode "preferred" }}
{{- $_ := set $affinity "podAntiAffinity" (dict "preferredDuringSchedulingIgnoredDuringExecution" (list (dict "weight" 100 "podAffinityTerm" $term))) }}
{{- else }}
{{- fail (printf "%s.hostAntiAffinity: '%s' is not preferred, required or none" .component $mode) }}
{{- end }}
{{- end }}
{{- with $affinity }}{{ toYaml . }}{{ end }}
{{- end }}

{{/*
The Deployment strategy: the component's own when set; on GPUs, replace one pod at a time without a surge pod. A
surge pod asks for a GPU that the old pods still hold, so on a full pool it stays Pending and the rollout never ends;
maxSurge 0 frees a GPU first. Empty = Kubernetes' default.
*/}}
{{- define "ragsuite.gpu.strategy" -}}
{{- $v := index .ctx.Values .component }}
{{- if get $v "strategy" }}
{{- toYaml $v.strategy }}
{{- else if include "ragsuite.gpu.on" . }}
{{- toYaml (dict "type" "RollingUpdate" "rollingUpdate" (dict "maxSurge" 0 "maxUnavailable" 1)) }}
{{- end }}
{{- end }}
