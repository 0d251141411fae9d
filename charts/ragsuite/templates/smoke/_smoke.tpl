{{/*
The pod that runs files/smoke-test.sh against the gateway, shared by the helm test pod (tests/test-query.yaml)
and the post-sync smoke-test Job (smoke/job.yaml), so the checks exist once.
Takes (dict "ctx" $ "component" "<component>" "prefix" "<collection prefix>" "resources" <resources>).
*/}}
{{- define "ragsuite.smokeTest.podSpec" -}}
{{- $ctx := .ctx -}}
{{- $tests := $ctx.Values.tests -}}
{{- if and $ctx.Values.auth.existingSecret (not $tests.apiKey.existingSecret) }}
{{- fail "the smoke test calls the gateway, which has API keys on (auth.existingSecret): set tests.apiKey.existingSecret to a Secret holding an admin key, or turn smokeTest.enabled off" }}
{{- end -}}
{{- $script := $ctx.Files.Get "files/smoke-test.sh" | required "files/smoke-test.sh is missing from the chart" -}}
restartPolicy: Never
automountServiceAccountToken: false
{{- with $ctx.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml $ctx.Values.podSecurityContext | nindent 2 }}
containers:
  - name: smoke-test
    image: "{{ $tests.image.repository }}:{{ $tests.image.tag }}"
    imagePullPolicy: {{ $tests.image.pullPolicy }}
    command: [/bin/sh, -c]
    args:
      - |
        {{- $script | nindent 8 }}
    env:
      - name: GATEWAY
        value: "http://{{ include "ragsuite.componentName" (dict "ctx" $ctx "component" "gateway") }}.{{ $ctx.Release.Namespace }}.svc.{{ $ctx.Values.clusterDomain }}:{{ $ctx.Values.ports.http | int }}"
      - name: COLLECTION_PREFIX
        value: {{ .prefix | quote }}
      - name: READY_TIMEOUT
        value: {{ $ctx.Values.smokeTest.readyTimeoutSeconds | int | quote }}
      {{- if $tests.apiKey.existingSecret }}
      - name: API_KEY_FILE
        value: /var/run/secrets/ragsuite/smoke-test/{{ $tests.apiKey.secretKey }}
      {{- end }}
    resources:
      {{- toYaml .resources | nindent 6 }}
    securityContext:
      {{- toYaml $ctx.Values.securityContext | nindent 6 }}
    volumeMounts:
      # curl writes its config and the response bodies here; the root filesystem stays read-only.
      - name: tmp
        mountPath: /tmp
      {{- if $tests.apiKey.existingSecret }}
      - name: api-key
        mountPath: /var/run/secrets/ragsuite/smoke-test
        readOnly: true
      {{- end }}
volumes:
  - name: tmp
    emptyDir:
      sizeLimit: 16Mi
  {{- if $tests.apiKey.existingSecret }}
  - name: api-key
    secret:
      secretName: {{ $tests.apiKey.existingSecret }}
      defaultMode: 0440
  {{- end }}
{{- end }}
