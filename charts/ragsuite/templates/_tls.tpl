{{/*
Mutual TLS between the pods (tls.*): where each pod's certificate files come from and what its certificate must name.
Component helpers take (dict "ctx" $ "component" "<name>").
*/}}

{{/* Every component: the gateway presents a client certificate, the four services serve and (the generator) call with one. */}}
{{- define "ragsuite.tlsComponents" -}}
gateway embedder retriever reranker generator
{{- end }}

{{/* Where the Secret's tls.crt, tls.key and ca.crt are mounted in every pod. */}}
{{- define "ragsuite.tlsDirectory" -}}
/var/run/secrets/ragsuite/tls
{{- end }}

{{/* The Secret a component's TLS files come from: its own Certificate's, or the one existing Secret every pod shares. */}}
{{- define "ragsuite.tlsSecretName" -}}
{{- $tls := .ctx.Values.tls }}
{{- if eq $tls.source "existingSecret" }}
{{- required "tls.existingSecret: name the Secret holding tls.crt, tls.key and ca.crt (tls.source is existingSecret)" $tls.existingSecret }}
{{- else }}
{{- printf "%s-tls" (include "ragsuite.componentName" .) }}
{{- end }}
{{- end }}

{{/*
The names a component's certificate must carry: every form a client may dial its ClusterIP and headless Services by
(short, namespaced, .svc and fully qualified; the gateway's clients dial the headless Service's fully qualified name,
which they also check the certificate against), and the per-pod names under the headless Service
(<pod>.<headless>.<namespace>.svc.<domain>, as a StatefulSet's pods have). The gateway has no gRPC port and needs only
its own Service's names, as an identity.
*/}}
{{- define "ragsuite.tlsDnsNames" -}}
{{- $ns := .ctx.Release.Namespace }}
{{- $domain := .ctx.Values.clusterDomain }}
{{- $services := list (include "ragsuite.componentName" .) }}
{{- if ne .component "gateway" }}
{{- $services = append $services (include "ragsuite.headlessName" .) }}
{{- end }}
{{- range $service := $services }}
- {{ $service }}
- {{ $service }}.{{ $ns }}
- {{ $service }}.{{ $ns }}.svc
- {{ $service }}.{{ $ns }}.svc.{{ $domain }}
{{- end }}
{{- if ne .component "gateway" }}
- "*.{{ include "ragsuite.headlessName" . }}.{{ $ns }}.svc.{{ $domain }}"
{{- end }}
{{- end }}

{{/* The settings that turn RagSuite:ServiceTls on with the mounted files. */}}
{{- define "ragsuite.tlsConfigData" -}}
{{- $dir := include "ragsuite.tlsDirectory" .ctx -}}
RagSuite__ServiceTls__Enabled: "true"
RagSuite__ServiceTls__CertificateFile: {{ printf "%s/tls.crt" $dir | quote }}
RagSuite__ServiceTls__KeyFile: {{ printf "%s/tls.key" $dir | quote }}
RagSuite__ServiceTls__CaFile: {{ printf "%s/ca.crt" $dir | quote }}
RagSuite__ServiceTls__ReloadSeconds: {{ .ctx.Values.tls.reloadSeconds | quote }}
{{- end }}
