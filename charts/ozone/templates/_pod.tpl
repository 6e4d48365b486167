{{/* ozone.pod.logDir: $OZONE_LOG_DIR of every Ozone container, the image's own (apache/ozone-docker-runner sets it); an emptyDir is mounted there. */}}
{{- define "ozone.pod.logDir" -}}/var/log/hadoop{{- end -}}

{{/*
ozone.pod.httpProbePath: what the HTTP probes of SCM, datanodes, S3G and Recon ask. Each web server
is a BaseHttpServer (StorageContainerManagerHttpServer 9876, HddsDatanodeHttpServer 9882,
S3GatewayWebAdminServer 19878, ReconHttpServer 9888) on hadoop-hdds/framework's HttpServer2, whose
addDefaultServlets registers /jmx. S3G's 19878 is ozone.s3g.webadmin.http-address in 2.0.0 and 2.1.0
(ozone-default.xml, S3GatewayConfigKeys); 9878 is its S3 REST API. One small bean keeps the answer short. The probes send no credentials: with SPNEGO on the web UIs they would fail.
*/}}
{{- define "ozone.pod.httpProbePath" -}}/jmx?qry=java.lang:type=Runtime{{- end -}}

{{/* ozone.pod.pidDir: $OZONE_PID_DIR of every Ozone container, the launcher's default, on the /tmp emptyDir. */}}
{{- define "ozone.pod.pidDir" -}}/tmp{{- end -}}

{{/*
ozone.pod.launcherEnv: the dirs the `ozone` launcher checks before any daemon or --init starts
(ozone-functions.sh exits 1 with "Unable to write in <dir>" when one is not writable), set
explicitly on writable mounts because the root filesystem is read-only.
*/}}
{{- define "ozone.pod.launcherEnv" -}}
- name: OZONE_LOG_DIR
  value: {{ include "ozone.pod.logDir" . | quote }}
- name: OZONE_PID_DIR
  value: {{ include "ozone.pod.pidDir" . | quote }}
{{- end -}}

{{/*
ozone.pod.confEnv: where Ozone reads its configuration and where the image's entrypoint writes it.
The entrypoint runs envtoconf into ${HADOOP_CONF_DIR:-/opt/hadoop/etc/hadoop} at every start and
exits before Ozone starts when it cannot write there; the image sets OZONE_CONF_DIR but not
HADOOP_CONF_DIR, so both point at the writable conf emptyDir.
*/}}
{{- define "ozone.pod.confEnv" -}}
- name: OZONE_CONF_DIR
  value: {{ .Values.configuration.dir | quote }}
- name: HADOOP_CONF_DIR
  value: {{ .Values.configuration.dir | quote }}
{{- end -}}

{{/* ozone.pod.volumeMounts: mounts every Ozone container has: writable conf dir, config files, /tmp (pid dir) and the log dir (the root filesystem is read-only). */}}
{{- define "ozone.pod.volumeMounts" -}}
- name: conf
  mountPath: {{ .Values.configuration.dir }}
{{- range $name, $_ := .Values.configuration.files }}
- name: config-files
  mountPath: {{ printf "%s/%s" $.Values.configuration.dir $name }}
  subPath: {{ $name }}
{{- end }}
- name: tmp
  mountPath: {{ include "ozone.pod.pidDir" . }}
- name: logs
  mountPath: {{ include "ozone.pod.logDir" . }}
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

{{/* ozone.pod.installHelper: the init container that copies om-lifecycle from the helper image into ozone.omLifecycle.dir. */}}
{{- define "ozone.pod.installHelper" -}}
- name: install-om-lifecycle
  image: {{ include "ozone.helperImage" . }}
  imagePullPolicy: {{ .Values.helper.image.pullPolicy }}
  args: ["install", "--to", {{ include "ozone.omLifecycle.dir" . | quote }}]
  securityContext:
    {{- include "ozone.containerSecurityContext" (dict "ctx" . "own" dict) | nindent 4 }}
  volumeMounts:
    - name: om-lifecycle
      mountPath: {{ include "ozone.omLifecycle.dir" . }}
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
  value: {{ include "ozone.omLifecycle.membershipDir" . }}/membership.yaml
- name: OM_LIFECYCLE_RUN_DIR
  value: /tmp/om-lifecycle
{{- end -}}
