{{/* ozone.pod.volumeMounts: mounts every Ozone container has: writable conf dir, config files, /tmp and logs (the root filesystem is read-only). */}}
{{- define "ozone.pod.volumeMounts" -}}
- name: conf
  mountPath: {{ .Values.configuration.dir }}
{{- range $name, $_ := .Values.configuration.files }}
- name: config-files
  mountPath: {{ printf "%s/%s" $.Values.configuration.dir $name }}
  subPath: {{ $name }}
{{- end }}
- name: tmp
  mountPath: /tmp
- name: logs
  mountPath: /opt/hadoop/logs
{{- end -}}

{{/* ozone.pod.volumes: the volumes behind ozone.pod.volumeMounts. */}}
{{- define "ozone.pod.volumes" -}}
- name: conf
  emptyDir: {}
- name: config-files
  configMap:
    name: {{ include "ozone.fullname" . }}-config
- name: tmp
  emptyDir: {}
- name: logs
  emptyDir: {}
{{- end -}}

{{/* ozone.pod.installHelper: the init container that copies om-lifecycle from the helper image into /opt/om-lifecycle. */}}
{{- define "ozone.pod.installHelper" -}}
- name: install-om-lifecycle
  image: {{ include "ozone.helperImage" . }}
  imagePullPolicy: {{ .Values.helper.image.pullPolicy }}
  args: ["install", "--to", "/opt/om-lifecycle"]
  securityContext:
    {{- include "ozone.containerSecurityContext" (dict "ctx" . "own" dict) | nindent 4 }}
  volumeMounts:
    - name: om-lifecycle
      mountPath: /opt/om-lifecycle
{{- end -}}

{{/* ozone.pod.downwardEnv: who and where this pod is, for om-lifecycle. */}}
{{- define "ozone.pod.downwardEnv" -}}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: POD_IP
  valueFrom:
    fieldRef:
      fieldPath: status.podIP
- name: OM_LIFECYCLE_MEMBERSHIP
  value: /etc/om-lifecycle/membership.yaml
- name: OM_LIFECYCLE_RUN_DIR
  value: /tmp/om-lifecycle
{{- end -}}
