{{/* ozone.om.preStopSeconds: the longest run of the OM's preStop hook (transfer-leader --away-from-self): one Ozone call and the wait for the new leader, each bounded by timeouts.command (helper/Lifecycle/LeaderMover.cs). */}}
{{- define "ozone.om.preStopSeconds" -}}{{ mul 2 (int .Values.om.lifecycle.commandTimeout) }}{{- end -}}

{{/*
ozone.om.livenessFailureThreshold: how many 30 s liveness periods in a row may fail. `probe started`
fails once start's heartbeat is 60 s old, and a joiner's start writes none while one Ozone call
(`ozone admin om roles`, up to om.lifecycle.commandTimeout) runs; liveness must outlast that call
plus 60 s for the loop's API calls: 60 + (n - 1) x 30 > commandTimeout + 60. At least 6.
*/}}
{{- define "ozone.om.livenessFailureThreshold" -}}
{{- max 6 (add (div (int .Values.om.lifecycle.commandTimeout) 30) 2) -}}
{{- end -}}

{{/* ozone.om.terminationGracePeriodSeconds: the value, or the preStop hook's longest run plus 60 s for API calls, JMX probes and Ozone's own shutdown. */}}
{{- define "ozone.om.terminationGracePeriodSeconds" -}}
{{- if kindIs "invalid" .Values.om.terminationGracePeriodSeconds -}}
{{- add (include "ozone.om.preStopSeconds" . | int) 60 -}}
{{- else -}}
{{- int .Values.om.terminationGracePeriodSeconds -}}
{{- end -}}
{{- end -}}
