{{/*
The edge (Ingress, HTTPRoute) follows the gateway's own limits: a proxy that cuts a body the gateway accepts, buffers an
answer it streams, or times out a query it is still allowed to answer breaks what the gateway promises.
*/}}

{{/*
Whole seconds (rounded up) of a .NET TimeSpan "[d.]hh:mm:ss[.fffffff]", the form the schema allows. Takes
(list "<value's path>" <value>) so a malformed one fails naming the value.
*/}}
{{- define "ragsuite.timeSpanSeconds" -}}
{{- $name := index . 0 }}
{{- $value := index . 1 | toString }}
{{- if not (regexMatch "^([0-9]+\\.)?[0-9]{1,2}:[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,7})?$" $value) }}
{{- fail (printf "%s: %q is not a .NET TimeSpan ([d.]hh:mm:ss[.fffffff], e.g. 00:02:00)" $name $value) }}
{{- end }}
{{- $parts := splitList ":" $value }}
{{- $days := 0 }}
{{- $hours := index $parts 0 }}
{{- if contains "." $hours }}
{{- $dayHours := splitList "." $hours }}
{{- $days = index $dayHours 0 | atoi }}
{{- $hours = index $dayHours 1 }}
{{- end }}
{{- $secondParts := splitList "." (index $parts 2) }}
{{- /* atoi, not int: int reads "08" as a bad octal number. */}}
{{- $seconds := add (mul $days 86400) (mul ($hours | atoi) 3600) (mul (index $parts 1 | atoi) 60) (index $secondParts 0 | atoi) }}
{{- if and (gt (len $secondParts) 1) (gt (index $secondParts 1 | atoi) 0) }}{{ $seconds = add1 $seconds }}{{ end }}
{{- $seconds }}
{{- end }}

{{/*
How long the edge waits for the gateway, in seconds: the longest the gateway itself may take on a query (its query
timeout, or the generator's timeout if that is longer) plus 30 s, so the gateway's own deadline, with its clear error,
always comes first. Takes the root context.
*/}}
{{- define "ragsuite.edgeTimeoutSeconds" -}}
{{- $g := .Values.gateway }}
{{- $query := include "ragsuite.timeSpanSeconds" (list "gateway.config.queryTimeout" $g.config.queryTimeout) | atoi }}
{{- $generator := include "ragsuite.timeSpanSeconds" (list "gateway.services.generator.timeout" $g.services.generator.timeout) | atoi }}
{{- add (max $query $generator) 30 }}
{{- end }}

{{/* nginx's size syntax for gateway.config.maxRequestBytes: whole MiB as "32m", whole KiB as "k", else bytes. */}}
{{- define "ragsuite.nginxBodySize" -}}
{{- $bytes := .Values.gateway.config.maxRequestBytes | int64 }}
{{- if eq (mod $bytes 1048576) 0 }}{{ printf "%dm" (div $bytes 1048576) }}
{{- else if eq (mod $bytes 1024) 0 }}{{ printf "%dk" (div $bytes 1024) }}
{{- else }}{{ $bytes }}
{{- end }}
{{- end }}

{{/* The Ingress's annotations: the derived ingress-nginx ones (gateway.ingress.nginxAnnotations), then the user's, which win. */}}
{{- define "ragsuite.ingressAnnotations" -}}
{{- $ing := .Values.gateway.ingress }}
{{- $derived := dict }}
{{- if $ing.nginxAnnotations }}
{{- $timeout := include "ragsuite.edgeTimeoutSeconds" . }}
{{- $derived = dict
  "nginx.ingress.kubernetes.io/proxy-buffering" "off"
  "nginx.ingress.kubernetes.io/proxy-body-size" (include "ragsuite.nginxBodySize" .)
  "nginx.ingress.kubernetes.io/proxy-read-timeout" $timeout
  "nginx.ingress.kubernetes.io/proxy-send-timeout" $timeout }}
{{- end }}
{{- toYaml (merge (dict) ($ing.annotations | default dict) $derived) }}
{{- end }}
