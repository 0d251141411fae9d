{{/*
NetworkPolicies: which pods may open connections to which. Ingress rules only (see networkPolicy in values.yaml for
why not egress). Ports are numbers, not names, so CNIs without named-port support enforce them too.
*/}}

{{/* A peer selecting this release's pods of one component: the labels ragsuite.selectorLabels puts on them. */}}
{{- define "ragsuite.networkPolicy.componentPeer" -}}
- podSelector:
    matchLabels:
      {{- include "ragsuite.selectorLabels" . | nindent 6 }}
{{- end }}

{{/* The Prometheus that scrapes /metrics: one peer, namespace and pod selectors together. */}}
{{- define "ragsuite.networkPolicy.prometheusPeer" -}}
{{- $p := .Values.networkPolicy.prometheus -}}
- namespaceSelector:
    {{- toYaml $p.namespaceSelector | nindent 4 }}
  podSelector:
    {{- toYaml $p.podSelector | nindent 4 }}
{{- end }}

{{/* Whether the generator calls the embedder: grounding.embedder, or an embedder address of its own in extraEnv. */}}
{{- define "ragsuite.generatorCallsEmbedder" -}}
{{- $own := false }}
{{- range .Values.generator.extraEnv }}
{{- if eq .name "RagSuite__Services__Embedder__Address" }}{{ $own = true }}{{ end }}
{{- end }}
{{- if or .Values.generator.grounding.embedder $own }}true{{ end }}
{{- end }}

{{/* The components that call a gRPC service, space-separated. Takes (dict "ctx" $ "component" "<service>"). */}}
{{- define "ragsuite.networkPolicy.callers" -}}
gateway
{{- if and (eq .component "embedder") (include "ragsuite.generatorCallsEmbedder" .ctx) }} generator{{ end }}
{{- end }}

{{/*
One component's policy. The gateway admits its HTTP port from networkPolicy.gatewayFrom (empty = anyone), the
release's own pods (helm test, the smoke test) and Prometheus; a gRPC service admits its callers on the gRPC port and
Prometheus on the HTTP port. Takes (dict "ctx" $ "component" "<name>").
*/}}
{{- define "ragsuite.networkPolicy" -}}
{{- $v := .ctx.Values -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  {{- include "ragsuite.metadata" . | nindent 2 }}
spec:
  podSelector:
    matchLabels:
      {{- include "ragsuite.selectorLabels" . | nindent 6 }}
  policyTypes: [Ingress]
  ingress:
    {{- if eq .component "gateway" }}
    - ports:
        - port: {{ $v.ports.http | int }}
          protocol: TCP
      {{- with $v.networkPolicy.gatewayFrom }}
      from:
        {{- toYaml . | nindent 8 }}
        {{- include "ragsuite.networkPolicy.componentPeer" (dict "ctx" $.ctx) | nindent 8 }}
        {{- include "ragsuite.networkPolicy.prometheusPeer" $.ctx | nindent 8 }}
      {{- end }}
    {{- else }}
    - ports:
        - port: {{ $v.ports.grpc | int }}
          protocol: TCP
      from:
        {{- range (include "ragsuite.networkPolicy.callers" . | splitList " ") }}
        {{- include "ragsuite.networkPolicy.componentPeer" (dict "ctx" $.ctx "component" .) | nindent 8 }}
        {{- end }}
    - ports:
        - port: {{ $v.ports.http | int }}
          protocol: TCP
      from:
        {{- include "ragsuite.networkPolicy.prometheusPeer" .ctx | nindent 8 }}
    {{- end }}
{{- end }}

{{/* Checks of the networkPolicy values that the schema cannot express. Takes the root context. */}}
{{- define "ragsuite.networkPolicy.validate" -}}
{{- $np := .Values.networkPolicy }}
{{- range $i, $peer := $np.gatewayFrom }}
{{- if not (or (hasKey $peer "namespaceSelector") (hasKey $peer "podSelector") (hasKey $peer "ipBlock")) }}
{{- fail (printf "networkPolicy.gatewayFrom[%d]: a peer needs namespaceSelector, podSelector or ipBlock (an empty peer would admit nothing)" $i) }}
{{- end }}
{{- end }}
{{- if not $np.qdrant.podLabels }}
{{- fail "networkPolicy.qdrant.podLabels: empty labels would select every pod in the namespace; give Qdrant's pod labels" }}
{{- end }}
{{- end }}
