{{/*
The pod side shared by every component: ConfigMap data and the pod template.
All take (dict "ctx" $ "component" "<name>").
*/}}

{{/* Non-secret settings, as environment variables (envFrom). Secrets are files from mounted Secrets: only their paths are here. */}}
{{- define "ragsuite.configData" -}}
{{- $v := .ctx.Values -}}
{{- /* Every interface: outside a container the hosts bind 127.0.0.1 by default, and an image need not say it is one. */ -}}
RagSuite__Hosting__BindAddress: "0.0.0.0"
RagSuite__Hosting__HttpPort: {{ $v.ports.http | int | quote }}
{{- if ne .component "gateway" }}
RagSuite__Hosting__GrpcPort: {{ $v.ports.grpc | int | quote }}
{{- end }}
{{- with $v.otel.endpoint }}
OTEL_EXPORTER_OTLP_ENDPOINT: {{ . | quote }}
{{- end }}
{{- if $v.serviceToken.existingSecret }}
RagSuite__ServiceToken__File: {{ include "ragsuite.serviceTokenFile" .ctx | quote }}
{{- end }}
{{- if ne .component "gateway" }}
RagSuite__Hosting__GrpcReflection: {{ $v.grpc.reflection | quote }}
{{- end }}
{{- if $v.tls.enabled }}
{{ include "ragsuite.tlsConfigData" . }}
{{- end }}
{{- if eq .component "gateway" }}
RagSuite__Gateway__MaxRequestBytes: {{ $v.gateway.config.maxRequestBytes | int64 | quote }}
RagSuite__Gateway__DefaultTopK: {{ $v.gateway.config.defaultTopK | int | quote }}
RagSuite__Gateway__MaxTopK: {{ $v.gateway.config.maxTopK | int | quote }}
RagSuite__Gateway__QueryTimeout: {{ $v.gateway.config.queryTimeout | quote }}
RagSuite__Services__DnsRefreshInterval: {{ $v.gateway.dnsRefreshInterval | quote }}
{{- if $v.auth.existingSecret }}
RagSuite__Gateway__Auth__KeysFile: {{ include "ragsuite.apiKeysFile" .ctx | quote }}
{{- end }}
{{- range $i, $origin := $v.gateway.cors.allowedOrigins }}
RagSuite__Gateway__Cors__AllowedOrigins__{{ $i }}: {{ $origin | quote }}
{{- end }}
{{- range $role := list "embedder" "retriever" "reranker" "generator" }}
{{- $call := index $v.gateway.services $role }}
{{- $prefix := printf "RagSuite__Services__%s__" (title $role) }}
{{ $prefix }}Address: {{ include "ragsuite.serviceAddress" (dict "ctx" $.ctx "component" $role) | quote }}
{{ $prefix }}Timeout: {{ $call.timeout | quote }}
{{ $prefix }}MaxAttempts: {{ $call.maxAttempts | int | quote }}
{{- end }}
{{- end }}
{{- if and (eq .component "generator") $v.generator.grounding.embedder }}
{{- /* The generator judges groundedness with the embedder it reaches as the gateway does (same address and limits). */}}
RagSuite__Services__Embedder__Address: {{ include "ragsuite.serviceAddress" (dict "ctx" .ctx "component" "embedder") | quote }}
RagSuite__Services__Embedder__Timeout: {{ $v.gateway.services.embedder.timeout | quote }}
RagSuite__Services__Embedder__MaxAttempts: {{ $v.gateway.services.embedder.maxAttempts | int | quote }}
RagSuite__Services__DnsRefreshInterval: {{ $v.gateway.dnsRefreshInterval | quote }}
{{- end }}
{{- if eq .component "retriever" }}
RagSuite__Retriever__Store: {{ $v.retriever.store | quote }}
{{- if include "ragsuite.embeddedStore" .ctx }}
RagSuite__Retriever__DataDirectory: {{ $v.retriever.persistence.mountPath | quote }}
{{- else if eq $v.retriever.store "qdrant" }}
RagSuite__Qdrant__Url: {{ include "ragsuite.qdrantUrl" .ctx | quote }}
{{- if $v.qdrant.apiKey.existingSecret }}
RagSuite__Qdrant__ApiKeyFile: {{ include "ragsuite.qdrantApiKeyFile" .ctx | quote }}
{{- end }}
{{- range $setting, $value := dict "ShardNumber" $v.qdrant.shardNumber "ReplicationFactor" $v.qdrant.replicationFactor "WriteConsistencyFactor" $v.qdrant.writeConsistencyFactor }}
{{- if gt (int $value) 0 }}
RagSuite__Qdrant__{{ $setting }}: {{ $value | int | quote }}
{{- end }}
{{- end }}
{{- else }}
RagSuite__Pgvector__ConnectionStringFile: {{ include "ragsuite.pgvectorFile" .ctx | quote }}
{{- end }}
{{- end }}
{{- if eq .component "generator" }}
{{- include "ragsuite.generator.upstreamSettings" .ctx }}
{{- end }}
{{- if has .component (list "embedder" "reranker") }}
{{- $m := index $v .component }}
{{- $section := printf "RagSuite__%s__" (title .component) }}
RagSuite__Inference__ExecutionProvider: {{ ternary "Cuda" ($m.executionProvider | title) (eq (include "ragsuite.gpu.on" .) "true") | quote }}
{{- /* Models are put in place before the pod starts (image, init container); a host never fetches one itself. */}}
RagSuite__Models__AutoPull: "false"
{{- if include "ragsuite.models.fromVolume" . }}
RagSuite__Models__Directory: {{ $v.models.mountPath | quote }}
{{- end }}
{{ $section }}Batching__MaxBatchTokens: {{ $m.batching.maxBatchTokens | int | quote }}
{{ $section }}Batching__MaxBatchSize: {{ $m.batching.maxBatchSize | int | quote }}
{{ $section }}Batching__MaxQueuedTexts: {{ $m.batching.maxQueuedTexts | int | quote }}
{{- if eq .component "embedder" }}
RagSuite__Embedder__Model: {{ $m.model | quote }}
{{- else }}
RagSuite__Reranker__CrossEncoderModel: {{ $m.crossEncoderModel | quote }}
RagSuite__Reranker__BiEncoderModel: {{ $m.biEncoderModel | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/*
HTTP probe on the given path, or, for readiness with probes.grpc on (not the gateway), the native gRPC probe:
grpc.health.v1 reports the same checks as /readyz, drain state included, so startup and liveness stay on /healthz.
With tls.enabled always HTTP: the kubelet's gRPC probe speaks cleartext and presents no client certificate, so it could
not reach a TLS port.
*/}}
{{- define "ragsuite.probe" -}}
{{- $v := .ctx.Values }}
{{- if and $v.probes.grpc (ne .component "gateway") (eq .kind "readiness") (not $v.tls.enabled) -}}
grpc:
  port: {{ $v.ports.grpc | int }}
{{- else -}}
httpGet:
  path: {{ .path }}
  port: http
{{- end }}
{{ toYaml (index $v.probes .kind) }}
{{- end }}

{{/* The gateway's /readyz asks each service with 5 s of patience (RolesReadinessCheck); a probe must wait longer. */}}
{{- define "ragsuite.validateProbes" -}}
{{- $timeout := .Values.probes.readiness.timeoutSeconds | int }}
{{- if le $timeout 5 }}
{{- fail (printf "probes.readiness.timeoutSeconds: %d is too short; the gateway's /readyz waits up to 5 s for a slow service, so a probe timing out first makes the gateway unready (use 6 or more; the default is 8)" $timeout) }}
{{- end }}
{{- end }}

{{- define "ragsuite.podTemplate" -}}
{{- $ctx := .ctx }}
{{- $v := index $ctx.Values .component -}}
metadata:
  # Selector labels only: chart-version labels here would restart every pod on each chart release.
  labels:
    {{- include "ragsuite.selectorLabels" . | nindent 4 }}
    {{- with $v.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    # Rolls the pods when their settings change. Mounted Secrets update in place; a file read only at start-up
    # (an upstream's API key) needs a rollout restart.
    checksum/config: {{ include "ragsuite.configData" . | sha256sum }}
    {{- with $v.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "ragsuite.serviceAccountName" $ctx }}
  automountServiceAccountToken: false
  # No *_SERVICE_HOST/_PORT variables for every Service in the namespace: configuration is explicit.
  enableServiceLinks: false
  {{- with $ctx.Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- toYaml $ctx.Values.podSecurityContext | nindent 4 }}
  terminationGracePeriodSeconds: {{ $v.terminationGracePeriodSeconds | int }}
  {{- if include "ragsuite.models.fromVolume" . }}
  initContainers:
    {{- include "ragsuite.models.initContainers" . | trim | nindent 4 }}
  {{- end }}
  containers:
    - name: {{ .component }}
      image: {{ include (ternary "ragsuite.gpu.image" "ragsuite.image" (eq (include "ragsuite.gpu.on" .) "true")) . | quote }}
      imagePullPolicy: {{ $ctx.Values.image.pullPolicy }}
      {{- with $v.command }}
      command:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      ports:
        - name: http
          containerPort: {{ $ctx.Values.ports.http | int }}
          protocol: TCP
        {{- if ne .component "gateway" }}
        - name: grpc
          containerPort: {{ $ctx.Values.ports.grpc | int }}
          protocol: TCP
        {{- end }}
      # Settings from the ConfigMap (secrets only as file paths); extraEnv wins over it.
      envFrom:
        - configMapRef:
            name: {{ include "ragsuite.componentName" . }}
      {{- with $v.extraEnv }}
      env:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      startupProbe:
        {{- include "ragsuite.probe" (dict "ctx" $ctx "component" .component "path" "/healthz" "kind" "startup") | nindent 8 }}
      livenessProbe:
        {{- include "ragsuite.probe" (dict "ctx" $ctx "component" .component "path" "/healthz" "kind" "liveness") | nindent 8 }}
      readinessProbe:
        {{- include "ragsuite.probe" (dict "ctx" $ctx "component" .component "path" "/readyz" "kind" "readiness") | nindent 8 }}
      resources:
        {{- include "ragsuite.gpu.resources" . | nindent 8 }}
      securityContext:
        {{- toYaml $ctx.Values.securityContext | nindent 8 }}
      volumeMounts:
        - name: tmp
          mountPath: /tmp
        {{- if and (eq .component "retriever") (include "ragsuite.embeddedStore" $ctx) }}
        - name: data
          mountPath: {{ $v.persistence.mountPath }}
        {{- end }}
        {{- if and (eq .component "retriever") (eq $ctx.Values.retriever.store "qdrant") $ctx.Values.qdrant.apiKey.existingSecret }}
        - name: qdrant-api-key
          mountPath: {{ include "ragsuite.qdrantApiKeyDirectory" $ctx }}
          readOnly: true
        {{- end }}
        {{- if and (eq .component "retriever") (eq $ctx.Values.retriever.store "pgvector") }}
        - name: pgvector
          mountPath: {{ include "ragsuite.pgvectorDirectory" $ctx }}
          readOnly: true
        {{- end }}
        {{- if and (eq .component "gateway") $ctx.Values.auth.existingSecret }}
        - name: api-keys
          mountPath: {{ include "ragsuite.apiKeysDirectory" $ctx }}
          readOnly: true
        {{- end }}
        {{- if $ctx.Values.serviceToken.existingSecret }}
        - name: service-token
          mountPath: {{ include "ragsuite.serviceTokenDirectory" $ctx }}
          readOnly: true
        {{- end }}
        {{- if $v.existingSecret }}
        - name: extra-secret
          mountPath: {{ include "ragsuite.extraSecretDirectory" $ctx }}
          readOnly: true
        {{- end }}
        {{- if include "ragsuite.models.fromVolume" . }}
        - name: models
          mountPath: {{ $ctx.Values.models.mountPath }}
          readOnly: true
        {{- end }}
        {{- if eq .component "generator" }}
        {{- with include "ragsuite.generator.upstreamKeyMounts" $ctx }}{{ . | nindent 8 }}{{ end }}
        {{- end }}
        {{- if $ctx.Values.tls.enabled }}
        - name: service-tls
          mountPath: {{ include "ragsuite.tlsDirectory" $ctx }}
          readOnly: true
        {{- end }}
        {{- with $v.extraVolumeMounts }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
  volumes:
    # The only writable path besides volumes: the root filesystem is read-only.
    - name: tmp
      emptyDir:
        sizeLimit: 1Gi
    {{- if and (eq .component "retriever") (include "ragsuite.embeddedStore" $ctx) (not $v.persistence.enabled) }}
    - name: data
      emptyDir: {}
    {{- end }}
    {{- /* Whole-directory mounts, never subPath: kubelet updates a Secret's files in place only without one, and the hosts
    read the files again when they change, so a rotated key file or token needs no restart. */}}
    {{- if and (eq .component "gateway") $ctx.Values.auth.existingSecret }}
    - name: api-keys
      secret:
        secretName: {{ $ctx.Values.auth.existingSecret }}
        items:
          - key: {{ $ctx.Values.auth.secretKey }}
            path: {{ $ctx.Values.auth.secretKey }}
        defaultMode: 288  # 0440: the app user reads it through fsGroup
    {{- end }}
    {{- if $ctx.Values.serviceToken.existingSecret }}
    - name: service-token
      secret:
        secretName: {{ $ctx.Values.serviceToken.existingSecret }}
        items:
          - key: {{ $ctx.Values.serviceToken.secretKey }}
            path: {{ $ctx.Values.serviceToken.secretKey }}
        defaultMode: 288
    {{- end }}
    {{- if and (eq .component "retriever") (eq $ctx.Values.retriever.store "qdrant") $ctx.Values.qdrant.apiKey.existingSecret }}
    - name: qdrant-api-key
      secret:
        secretName: {{ $ctx.Values.qdrant.apiKey.existingSecret }}
        items:
          - key: {{ $ctx.Values.qdrant.apiKey.secretKey }}
            path: {{ $ctx.Values.qdrant.apiKey.secretKey }}
        defaultMode: 288
    {{- end }}
    {{- if and (eq .component "retriever") (eq $ctx.Values.retriever.store "pgvector") }}
    - name: pgvector
      secret:
        secretName: {{ $ctx.Values.pgvector.connectionString.existingSecret }}
        items:
          - key: {{ $ctx.Values.pgvector.connectionString.secretKey }}
            path: {{ $ctx.Values.pgvector.connectionString.secretKey }}
        defaultMode: 288
    {{- end }}
    {{- /* Files, not envFrom: an environment variable is readable in /proc by anything running as the app user, is
    inherited by child processes, lands in crash dumps and never changes without a restart. */}}
    {{- with $v.existingSecret }}
    - name: extra-secret
      secret:
        secretName: {{ . }}
        defaultMode: 288
    {{- end }}
    {{- if include "ragsuite.models.fromVolume" . }}
    {{- include "ragsuite.models.volume" . | nindent 4 }}
    {{- end }}
    {{- if eq .component "generator" }}
    {{- with include "ragsuite.generator.upstreamKeyVolumes" $ctx }}{{ . | nindent 4 }}{{ end }}
    {{- end }}
    {{- if $ctx.Values.tls.enabled }}
    - name: service-tls
      secret:
        secretName: {{ include "ragsuite.tlsSecretName" . }}
        items:
          - {key: tls.crt, path: tls.crt}
          - {key: tls.key, path: tls.key}
          - {key: ca.crt, path: ca.crt}
        defaultMode: 288
    {{- end }}
    {{- with $v.extraVolumes }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with include "ragsuite.gpu.nodeSelector" . }}
  nodeSelector:
    {{- . | nindent 4 }}
  {{- end }}
  {{- with include "ragsuite.gpu.tolerations" . }}
  tolerations:
    {{- . | nindent 4 }}
  {{- end }}
  {{- with include "ragsuite.gpu.affinity" . }}
  affinity:
    {{- . | nindent 4 }}
  {{- end }}
  {{- with $v.topologySpreadConstraints }}
  topologySpreadConstraints:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}

{{/* Where the API key file and the service token are mounted, and the files the hosts are pointed at. Take the root context. */}}
{{- define "ragsuite.apiKeysDirectory" -}}
/var/run/secrets/ragsuite/api-keys
{{- end }}

{{- define "ragsuite.apiKeysFile" -}}
{{ include "ragsuite.apiKeysDirectory" . }}/{{ .Values.auth.secretKey }}
{{- end }}

{{- define "ragsuite.serviceTokenDirectory" -}}
/var/run/secrets/ragsuite/service-token
{{- end }}

{{- define "ragsuite.serviceTokenFile" -}}
{{ include "ragsuite.serviceTokenDirectory" . }}/{{ .Values.serviceToken.secretKey }}
{{- end }}

{{/* <component>.existingSecret: every key a file here. */}}
{{- define "ragsuite.extraSecretDirectory" -}}
/var/run/secrets/ragsuite/extra
{{- end }}
