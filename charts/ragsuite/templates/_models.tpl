{{/*
Model files for the hosts that load models (embedder, reranker), from models.source:
  image       the folders baked into the service image (RagSuite__Models__Directory as the image sets it)
  pull        an init container from the CLI image runs `ragsuite models pull <name> --models <dir>` per name
  modelImage  an init container from a model image copies its folders in
For pull and modelImage a volume (emptyDir, or a shared claim) is written by the init containers and mounted read-only
at models.mountPath in the host, which RagSuite__Models__Directory points at. All take (dict "ctx" $ "component" "<name>").
*/}}

{{/* "true" when the component's models come from the models volume, else empty; fails on an unknown source. */}}
{{- define "ragsuite.models.fromVolume" -}}
{{- $m := .ctx.Values.models }}
{{- if has .component (list "embedder" "reranker") }}
{{- if has $m.source (list "pull" "modelImage") }}true
{{- else if ne $m.source "image" }}
{{- fail (printf "models.source: '%s' is not image, pull or modelImage" $m.source) }}
{{- end }}
{{- end }}
{{- end }}

{{/* Where the init containers see the volume (the host sees it read-only at models.mountPath). */}}
{{- define "ragsuite.models.target" -}}
/var/lib/ragsuite-models
{{- end }}

{{/* The models a host needs that a pull could not provide: a pull only fetches the names listed. */}}
{{- define "ragsuite.models.checkPull" -}}
{{- $v := .ctx.Values }}
{{- $needed := list }}
{{- if eq .component "embedder" }}
{{- $needed = list $v.embedder.model }}
{{- else }}
{{- $needed = list $v.reranker.crossEncoderModel $v.reranker.biEncoderModel }}
{{- end }}
{{- range $needed }}
{{- if and . (not (has . $v.models.pull.names)) }}
{{- fail (printf "models.source pull: %s needs the model '%s', which is not in models.pull.names %v; pull fetches catalogue models only (use-lite): ship others with models.source modelImage" $.component . $v.models.pull.names) }}
{{- end }}
{{- end }}
{{- end }}

{{- define "ragsuite.models.initContainers" -}}
{{- $ctx := .ctx }}
{{- $m := $ctx.Values.models }}
{{- $target := include "ragsuite.models.target" . }}
{{- if eq $m.source "pull" }}
{{- include "ragsuite.models.checkPull" . }}
{{- $tag := $m.pull.image.tag | default $ctx.Values.image.tag | default $ctx.Chart.AppVersion }}
{{- range $i, $name := $m.pull.names }}
- name: pull-{{ $name }}
  image: {{ printf "%s%s:%s" (ternary (printf "%s/" $ctx.Values.image.registry) "" (ne $ctx.Values.image.registry "")) $m.pull.image.repository $tag | quote }}
  imagePullPolicy: {{ $ctx.Values.image.pullPolicy }}
  # Fetches and converts the model in a folder beside the target and moves it into place, so a pod that dies halfway
  # (or a second pod on a shared claim) never leaves a half-written model; a model already there is kept.
  args: [models, pull, {{ $name | quote }}, --models, {{ $target | quote }}]
  env:
    # npm caches and logs under HOME: the root filesystem is read-only, /tmp is not.
    - {name: HOME, value: /tmp}
    - {name: npm_config_cache, value: /tmp/npm-cache}
    - {name: npm_config_update_notifier, value: "false"}
    {{- with $m.pull.npmRegistry }}
    - {name: npm_config_registry, value: {{ . | quote }}}
    {{- end }}
    {{- with $m.pull.extraEnv }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  resources:
    {{- toYaml $m.resources | nindent 4 }}
  securityContext:
    {{- toYaml $ctx.Values.securityContext | nindent 4 }}
  volumeMounts:
    - {name: models, mountPath: {{ $target }}}
    - {name: tmp, mountPath: /tmp}
{{- end }}
{{- else if eq $m.source "modelImage" }}
{{- $repository := required "models.modelImage.image.repository: set the model image (see Dockerfile.models) for models.source modelImage" $m.modelImage.image.repository }}
{{- $tag := required "models.modelImage.image.tag: pin the model image's tag for models.source modelImage" $m.modelImage.image.tag }}
- name: copy-models
  image: {{ printf "%s%s:%s" (ternary (printf "%s/" $ctx.Values.image.registry) "" (ne $ctx.Values.image.registry "")) $repository $tag | quote }}
  imagePullPolicy: {{ $ctx.Values.image.pullPolicy }}
  # Each folder is copied beside the target and renamed into place (a rename is atomic), so a host never sees half a
  # model; a folder already there (a shared claim) is kept.
  command:
    - /bin/sh
    - -c
    - |
      set -eu
      found=0
      for source in {{ $m.modelImage.path }}/*/; do
        [ -f "${source}ragsuite-model.json" ] || continue
        found=1
        name=$(basename "$source")
        if [ -e "{{ $target }}/$name" ]; then echo "$name: already present"; continue; fi
        stage="{{ $target }}/.copy-$name-$HOSTNAME"
        rm -rf "$stage"
        cp -R "$source" "$stage"
        mv -T "$stage" "{{ $target }}/$name" || { rm -rf "$stage"; [ -e "{{ $target }}/$name" ]; }
        echo "$name: copied"
      done
      [ "$found" = 1 ] || { echo "no model folders (with ragsuite-model.json) under {{ $m.modelImage.path }} in the model image" >&2; exit 1; }
  resources:
    {{- toYaml $m.resources | nindent 4 }}
  securityContext:
    {{- toYaml $ctx.Values.securityContext | nindent 4 }}
  volumeMounts:
    - {name: models, mountPath: {{ $target }}}
{{- end }}
{{- end }}

{{- define "ragsuite.models.volume" -}}
{{- $volume := .ctx.Values.models.volume -}}
- name: models
  {{- if $volume.existingClaim }}
  persistentVolumeClaim:
    claimName: {{ $volume.existingClaim }}
  {{- else }}
  emptyDir:
    sizeLimit: {{ $volume.sizeLimit }}
  {{- end }}
{{- end }}
