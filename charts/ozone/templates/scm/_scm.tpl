{{/* ozone.scm.primordialNode: the SCM node id that initialises the SCM cluster (ordinal 0); the others bootstrap from it. */}}
{{- define "ozone.scm.primordialNode" -}}{{ include "ozone.scm.name" . }}-0{{- end -}}

{{/* ozone.scm.versionFile: the VERSION file an initialised or bootstrapped SCM has under ozone.metadata.dirs. */}}
{{- define "ozone.scm.versionFile" -}}{{ include "ozone.metadataDir" (dict "values" .Values.scm) }}/scm/current/VERSION{{- end -}}

{{/*
ozone.scm.startScript: the SCM container's start, a fixed text that takes every value from the
environment. The image's entrypoint.sh cannot do this for a StatefulSet: it tests
ENSURE_SCM_INITIALIZED and only in an `elif` ENSURE_SCM_BOOTSTRAPPED, so one pod template would
give every pod the same step. Here the pod named as primordial runs `ozone scm --init`, every other
one the one-shot `ozone scm --bootstrap`, each only while its VERSION is missing; then `ozone scm`.
*/}}
{{- define "ozone.scm.startScript" -}}
set -eu
if [ ! -f "$SCM_VERSION_FILE" ]; then
  if [ "$POD_NAME" = "$SCM_PRIMORDIAL_NODE" ]; then
    ozone scm --init
  else
    ozone scm --bootstrap
  fi
fi
exec "$@"
{{- end -}}

{{/* ozone.scm.env: the SCM container's own env: who it is and what decides its first start. */}}
{{- define "ozone.scm.env" -}}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: SCM_PRIMORDIAL_NODE
  value: {{ include "ozone.scm.primordialNode" . | quote }}
- name: SCM_VERSION_FILE
  value: {{ include "ozone.scm.versionFile" . | quote }}
{{- end -}}
