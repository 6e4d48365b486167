{{/*
ozone.podScheduling: nodeSelector, affinity, topology spread and tolerations of a component, falling
back to the common ones; pass (dict "ctx" $ "c" .Values.om), and "component" "om" for the pods of a
component that has the spread presets (hook Jobs pass none: one short pod needs no spreading).
*/}}
{{- define "ozone.podScheduling" -}}
{{- with (default .ctx.Values.nodeSelector .c.nodeSelector) }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- $affinity := default .ctx.Values.affinity .c.affinity -}}
{{- if and (not $affinity) .component .c.podAntiAffinityPreset -}}
{{- $affinity = include "ozone.podAntiAffinityPreset" (dict "ctx" .ctx "component" .component "preset" .c.podAntiAffinityPreset) | fromYaml -}}
{{- end }}
{{- with $affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- $spread := list -}}
{{- if .component -}}{{- $spread = .c.topologySpreadConstraints | default list -}}{{- end -}}
{{- if and (not $spread) .component .c.zoneSpreadPreset -}}
{{- $spread = include "ozone.zoneSpreadPreset" (dict "ctx" .ctx "component" .component "preset" .c.zoneSpreadPreset) | fromYamlArray -}}
{{- end }}
{{- with $spread }}
topologySpreadConstraints:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with (default .ctx.Values.tolerations .c.tolerations) }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .ctx.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* ozone.podAntiAffinityPreset: a component's pods on distinct nodes, preferred (soft) or required (hard); pass (dict "ctx" $ "component" "om" "preset" "soft"). */}}
{{- define "ozone.podAntiAffinityPreset" -}}
{{- $term := dict "topologyKey" "kubernetes.io/hostname" "labelSelector" (dict "matchLabels" (include "ozone.selectorLabels" (dict "ctx" .ctx "component" .component) | fromYaml)) -}}
podAntiAffinity:
{{- if eq .preset "hard" }}
  requiredDuringSchedulingIgnoredDuringExecution:
    - {{- toYaml $term | nindent 6 }}
{{- else }}
  preferredDuringSchedulingIgnoredDuringExecution:
    - weight: 100
      podAffinityTerm:
        {{- toYaml $term | nindent 8 }}
{{- end }}
{{- end -}}

{{/* ozone.zoneSpreadPreset: a component's pods spread over zones, best effort (soft) or strict (hard), as a YAML list; pass (dict "ctx" $ "component" "om" "preset" "soft"). */}}
{{- define "ozone.zoneSpreadPreset" -}}
- maxSkew: 1
  topologyKey: topology.kubernetes.io/zone
  whenUnsatisfiable: {{ ternary "DoNotSchedule" "ScheduleAnyway" (eq .preset "hard") }}
  labelSelector:
    matchLabels:
      {{- include "ozone.selectorLabels" (dict "ctx" .ctx "component" .component) | nindent 6 }}
{{- end -}}
