{{/*
One define per Kubernetes resource kind, shared by the components. Each file under
templates/<component>/ renders exactly one of these: (dict "ctx" $ "component" "<name>").
*/}}

{{- define "ragsuite.metadata" -}}
name: {{ get . "name" | default (include "ragsuite.componentName" .) }}
namespace: {{ .ctx.Release.Namespace }}
labels:
  {{- include "ragsuite.labels" . | nindent 2 }}
{{- end }}

{{- define "ragsuite.configMap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  {{- include "ragsuite.metadata" . | nindent 2 }}
data:
  {{- include "ragsuite.configData" . | nindent 2 }}
{{- end }}

{{- define "ragsuite.deployment" -}}
{{- $v := index .ctx.Values .component -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  {{- include "ragsuite.metadata" . | nindent 2 }}
spec:
  {{- if not $v.autoscaling.enabled }}
  replicas: {{ $v.replicas | int }}
  {{- end }}
  revisionHistoryLimit: 5
  {{- with include "ragsuite.gpu.strategy" . }}
  strategy:
    {{- . | nindent 4 }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "ragsuite.selectorLabels" . | nindent 6 }}
  template:
    {{- include "ragsuite.podTemplate" . | nindent 4 }}
{{- end }}

{{/*
ClusterIP Service: what people and Prometheus use. The ragsuite.io/job label names the scrape job
(ragsuite-<component>) whatever the release is called, so the rules and dashboards in files/ fit.
*/}}
{{- define "ragsuite.service" -}}
apiVersion: v1
kind: Service
metadata:
  {{- include "ragsuite.metadata" . | nindent 2 }}
    ragsuite.io/job: ragsuite-{{ .component }}
spec:
  type: ClusterIP
  selector:
    {{- include "ragsuite.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ .ctx.Values.ports.http | int }}
      targetPort: http
      protocol: TCP
    {{- if ne .component "gateway" }}
    - name: grpc
      port: {{ .ctx.Values.ports.grpc | int }}
      targetPort: grpc
      protocol: TCP
      appProtocol: grpc
    {{- end }}
{{- end }}

{{/*
Headless Service: DNS returns every ready pod, so the gateway's dns:/// gRPC client balances
per call (a ClusterIP would pin each long-lived HTTP/2 connection to one pod). gRPC port only,
and labelled so ServiceMonitors skip it.
*/}}
{{- define "ragsuite.headlessService" -}}
apiVersion: v1
kind: Service
metadata:
  {{- include "ragsuite.metadata" (merge (dict "name" (include "ragsuite.headlessName" .)) .) | nindent 2 }}
    ragsuite.io/headless: "true"
spec:
  clusterIP: None
  # Ready pods only (the default, stated): a starting, draining or failing pod leaves DNS, so the gateway's next
  # re-resolution (gateway.dnsRefreshInterval) stops sending it calls.
  publishNotReadyAddresses: false
  selector:
    {{- include "ragsuite.selectorLabels" . | nindent 4 }}
  ports:
    - name: grpc
      port: {{ .ctx.Values.ports.grpc | int }}
      targetPort: grpc
      protocol: TCP
      appProtocol: grpc
{{- end }}

{{- define "ragsuite.hpa" -}}
{{- $v := index .ctx.Values .component -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  {{- include "ragsuite.metadata" . | nindent 2 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "ragsuite.componentName" . }}
  minReplicas: {{ $v.autoscaling.minReplicas | int }}
  maxReplicas: {{ $v.autoscaling.maxReplicas | int }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $v.autoscaling.targetCPUUtilizationPercentage | int }}
{{- end }}

{{- define "ragsuite.pdb" -}}
{{- $pdb := (index .ctx.Values .component).podDisruptionBudget -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  {{- include "ragsuite.metadata" . | nindent 2 }}
spec:
  {{- if hasKey $pdb "minAvailable" }}
  minAvailable: {{ $pdb.minAvailable }}
  {{- else }}
  maxUnavailable: {{ $pdb.maxUnavailable | default 1 }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "ragsuite.selectorLabels" . | nindent 6 }}
{{- end }}

{{- define "ragsuite.serviceMonitor" -}}
{{- $sm := .ctx.Values.metrics.serviceMonitor -}}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  {{- include "ragsuite.metadata" . | nindent 2 }}
    {{- with $sm.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  jobLabel: ragsuite.io/job
  namespaceSelector:
    matchNames:
      - {{ .ctx.Release.Namespace }}
  selector:
    matchLabels:
      {{- include "ragsuite.selectorLabels" . | nindent 6 }}
    matchExpressions:
      - key: ragsuite.io/headless
        operator: DoesNotExist
  endpoints:
    - port: http
      path: /metrics
      interval: {{ $sm.interval }}
      scrapeTimeout: {{ $sm.scrapeTimeout }}
{{- end }}
