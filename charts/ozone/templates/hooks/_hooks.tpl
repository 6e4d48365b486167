{{/* ozone.hook.annotations: the hook events and weight of a lifecycle hook resource; pass (dict "events" "pre-upgrade,pre-rollback" "weight" 0). */}}
{{- define "ozone.hook.annotations" -}}
helm.sh/hook: {{ .events }}
helm.sh/hook-weight: {{ .weight | quote }}
helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
{{- end -}}

{{/* ozone.hook.events: every phase the lifecycle hooks run in. */}}
{{- define "ozone.hook.allEvents" -}}pre-upgrade,pre-rollback,post-upgrade,post-rollback{{- end -}}

{{/* ozone.hook.name: the name of the hook ServiceAccount, Role and membership ConfigMap. */}}
{{- define "ozone.hook.name" -}}{{ include "ozone.om.name" . }}-lifecycle{{- end -}}

{{/* ozone.hook.enabled: hooks exist only when the ring can change size (persistence on). */}}
{{- define "ozone.hook.enabled" -}}{{ if .Values.om.persistence.enabled }}true{{ end }}{{- end -}}

{{/* ozone.hook.ozoneContainer: a hook container in the Ozone image running an om-lifecycle command; pass (dict "ctx" $ "name" "scale-in" "args" (list ...) "extraMounts" (list)). */}}
{{- define "ozone.hook.ozoneContainer" -}}
{{- $ctx := .ctx -}}
- name: {{ .name }}
  image: {{ include "ozone.image" .ctx }}
  imagePullPolicy: {{ .ctx.Values.image.pullPolicy }}
  args:
    {{- toYaml (concat (list (include "ozone.omLifecycle.bin" .ctx)) .args) | nindent 4 }}
  env:
    {{- include "ozone.pod.confEnv" .ctx | nindent 4 }}
    {{- include "ozone.pod.launcherEnv" .ctx | nindent 4 }}
    {{- include "ozone.pod.downwardEnv" .ctx | nindent 4 }}
    {{- /* The user's env reaches the hooks too: their `ozone admin` calls need the same settings (security, proxies) as the OMs. */}}
    {{- with (concat .ctx.Values.env .ctx.Values.om.env) }}
    {{- tpl (toYaml .) $ctx | nindent 4 }}
    {{- end }}
  {{- with (concat .ctx.Values.envFrom .ctx.Values.om.envFrom) }}
  envFrom:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- include "ozone.containerSecurityContext" (dict "ctx" .ctx "own" dict) | nindent 4 }}
  volumeMounts:
    {{- include "ozone.pod.volumeMounts" .ctx | nindent 4 }}
    - name: membership
      mountPath: {{ include "ozone.omLifecycle.membershipDir" .ctx }}
      readOnly: true
    - name: om-lifecycle
      mountPath: {{ include "ozone.omLifecycle.dir" .ctx }}
      readOnly: true
    {{- with .extraMounts }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}

{{/*
ozone.hook.job: a lifecycle hook Job whose containers run om-lifecycle in the Ozone image with the
hook membership document; pass (dict "ctx" $ "name" "scale-in" "events" "pre-upgrade,pre-rollback"
"weight" 0 "initContainers" (include ...) "containers" (include ...) "extraVolumes" (list ...)).
*/}}
{{- define "ozone.hook.job" -}}
{{- $ctx := .ctx -}}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ include "ozone.om.name" $ctx }}-{{ .name }}
  labels:
    {{- include "ozone.labels" (dict "ctx" $ctx "component" "om-lifecycle") | nindent 4 }}
  annotations:
    {{- include "ozone.hook.annotations" (dict "events" .events "weight" .weight) | nindent 4 }}
spec:
  backoffLimit: 2
  activeDeadlineSeconds: {{ int $ctx.Values.om.lifecycle.hookActiveDeadlineSeconds }}
  template:
    metadata:
      labels:
        {{- include "ozone.selectorLabels" (dict "ctx" $ctx "component" "om-lifecycle") | nindent 8 }}
    spec:
      serviceAccountName: {{ include "ozone.hook.name" $ctx }}
      restartPolicy: Never
      securityContext:
        {{- toYaml $ctx.Values.podSecurityContext | nindent 8 }}
      {{- with include "ozone.podScheduling" (dict "ctx" $ctx "c" $ctx.Values.om) }}
      {{- . | trim | nindent 6 }}
      {{- end }}
      initContainers:
        {{- include "ozone.pod.installHelper" $ctx | nindent 8 }}
        {{- with .initContainers }}
        {{- . | nindent 8 }}
        {{- end }}
      containers:
        {{- .containers | nindent 8 }}
      volumes:
        {{- include "ozone.pod.volumes" $ctx | nindent 8 }}
        - name: membership
          configMap:
            name: {{ include "ozone.hook.name" $ctx }}
        - name: om-lifecycle
          emptyDir: {}
        {{- with .extraVolumes }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
{{- end -}}
