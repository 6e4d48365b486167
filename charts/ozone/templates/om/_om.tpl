{{/* ozone.om.preStopSeconds: the longest run of the OM's preStop hook (transfer-leader --away-from-self): one Ozone call and the wait for the new leader, each bounded by timeouts.command (helper/Lifecycle/LeaderMover.cs). */}}
{{- define "ozone.om.preStopSeconds" -}}{{ mul 2 (int .Values.om.lifecycle.commandTimeout) }}{{- end -}}

{{/* ozone.om.terminationGracePeriodSeconds: the value, or the preStop hook's longest run plus 60 s for API calls, JMX probes and Ozone's own shutdown. */}}
{{- define "ozone.om.terminationGracePeriodSeconds" -}}
{{- if kindIs "invalid" .Values.om.terminationGracePeriodSeconds -}}
{{- add (include "ozone.om.preStopSeconds" . | int) 60 -}}
{{- else -}}
{{- int .Values.om.terminationGracePeriodSeconds -}}
{{- end -}}
{{- end -}}
