{{/* ozone.recon.address: Recon's RPC address (ozone.recon.address), where datanodes report. */}}
{{- define "ozone.recon.address" -}}
{{- printf "%s-0.%s-headless.%s.svc.%s:9891" (include "ozone.recon.name" .) (include "ozone.recon.name" .) .Release.Namespace .Values.clusterDomain -}}
{{- end -}}
