{{/* ozone.recon.address: Recon's RPC address (ozone.recon.address), where datanodes report. */}}
{{- define "ozone.recon.address" -}}
{{- include "ozone.pod.host" (dict "ctx" . "statefulSet" (include "ozone.recon.name" .) "ordinal" 0) -}}:9891
{{- end -}}
