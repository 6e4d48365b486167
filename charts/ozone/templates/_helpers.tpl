{{/* ozone.name: the chart name, or nameOverride. */}}
{{- define "ozone.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* ozone.fullname: the prefix of every resource; the release name when it already contains the chart name. */}}
{{- define "ozone.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains (include "ozone.name" .) .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "ozone.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* ozone.clusterId: the OM (and SCM) service id. */}}
{{- define "ozone.clusterId" -}}
{{- default (include "ozone.fullname" .) .Values.clusterId -}}
{{- end -}}

{{/* ozone.labels: labels of every object; pass (dict "ctx" $ "component" "om"). */}}
{{- define "ozone.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .ctx.Chart.Name .ctx.Chart.Version | replace "+" "_" }}
{{ include "ozone.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
{{- end -}}

{{/* ozone.selectorLabels: the minimal, immutable selector of a component. */}}
{{- define "ozone.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ozone.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* ozone.image: the Ozone image reference. */}}
{{- define "ozone.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* ozone.helperImage: the om-lifecycle image reference. */}}
{{- define "ozone.helperImage" -}}
{{- printf "%s:%s" .Values.helper.image.repository (default .Chart.Version .Values.helper.image.tag) -}}
{{- end -}}

{{/* ozone.om.name / scm / datanode / s3g / recon: object names of the components. */}}
{{- define "ozone.om.name" -}}{{ include "ozone.fullname" . }}-om{{- end -}}
{{- define "ozone.om.headless" -}}{{ include "ozone.fullname" . }}-om-headless{{- end -}}
{{- define "ozone.scm.name" -}}{{ include "ozone.fullname" . }}-scm{{- end -}}
{{- define "ozone.scm.headless" -}}{{ include "ozone.fullname" . }}-scm-headless{{- end -}}
{{- define "ozone.datanode.name" -}}{{ include "ozone.fullname" . }}-datanode{{- end -}}
{{- define "ozone.s3g.name" -}}{{ include "ozone.fullname" . }}-s3g{{- end -}}
{{- define "ozone.recon.name" -}}{{ include "ozone.fullname" . }}-recon{{- end -}}

{{/* ozone.om.hostPattern: an OM's host, with {id} for its node id (= pod name). */}}
{{- define "ozone.om.hostPattern" -}}
{{- printf "{id}.%s.%s.svc.%s" (include "ozone.om.headless" .) .Release.Namespace .Values.clusterDomain -}}
{{- end -}}

{{/* ozone.om.host: the host of OM ordinal .ordinal; pass (dict "ctx" $ "ordinal" 0). */}}
{{- define "ozone.om.host" -}}
{{- printf "%s-%d.%s.%s.svc.%s" (include "ozone.om.name" .ctx) (int .ordinal) (include "ozone.om.headless" .ctx) .ctx.Release.Namespace .ctx.Values.clusterDomain -}}
{{- end -}}

{{/* ozone.scm.hosts: the SCM hosts, comma separated. */}}
{{- define "ozone.scm.hosts" -}}
{{- $hosts := list -}}
{{- range $i := until (int .Values.scm.replicas) -}}
{{- $hosts = append $hosts (printf "%s-%d.%s.%s.svc.%s" (include "ozone.scm.name" $) $i (include "ozone.scm.headless" $) $.Release.Namespace $.Values.clusterDomain) -}}
{{- end -}}
{{- join "," $hosts -}}
{{- end -}}

{{/* ozone.liveReplicas: the size of the live StatefulSet .name from lookup, or "" when it does not exist or lookup is empty (helm template, Argo CD); pass (dict "ctx" $ "name" "..."). */}}
{{- define "ozone.liveReplicas" -}}
{{- $sts := lookup "apps/v1" "StatefulSet" .ctx.Release.Namespace .name -}}
{{- if $sts -}}{{ dig "spec" "replicas" 1 $sts }}{{- end -}}
{{- end -}}

{{/* ozone.om.previousReplicas: the live OM StatefulSet's size, or "" (see ozone.liveReplicas). */}}
{{- define "ozone.om.previousReplicas" -}}
{{- include "ozone.liveReplicas" (dict "ctx" . "name" (include "ozone.om.name" .)) -}}
{{- end -}}

{{/* ozone.datanode.delta: {"previous": N|null, "stopping": [...]} from the live datanode StatefulSet; stopping lists the pods a smaller size stops, highest ordinal first. */}}
{{- define "ozone.datanode.delta" -}}
{{- $prev := include "ozone.liveReplicas" (dict "ctx" . "name" (include "ozone.datanode.name" .)) -}}
{{- $stopping := list -}}
{{- if $prev -}}
{{- range $i := untilStep (sub (int $prev) 1 | int) (sub (int .Values.datanode.replicas) 1 | int) -1 -}}{{- $stopping = append $stopping (printf "%s-%d" (include "ozone.datanode.name" $) $i) -}}{{- end -}}
{{- end -}}
{{- toJson (dict "previous" (ternary (int $prev) nil (ne $prev "")) "stopping" $stopping) -}}
{{- end -}}

{{/* ozone.om.pendingWipes: nodes the tool-owned ring ConfigMap records as decommissioned but not wiped, as a JSON list. */}}
{{- define "ozone.om.pendingWipes" -}}
{{- $ring := lookup "v1" "ConfigMap" .Release.Namespace (printf "%s-ring" (include "ozone.om.name" .)) -}}
{{- $pending := list -}}
{{- if $ring -}}
{{- range $id := splitList "," (dig "data" "pendingWipe" "" $ring) -}}
{{- if $id -}}{{- $pending = append $pending (trim $id) -}}{{- end -}}
{{- end -}}
{{- end -}}
{{- toJson $pending -}}
{{- end -}}

{{/* ozone.om.delta: {"previous": N|null, "joining": [...], "leaving": [...]} from the lookup delta. */}}
{{- define "ozone.om.delta" -}}
{{- $prev := include "ozone.om.previousReplicas" . -}}
{{- $want := int .Values.om.replicas -}}
{{- $joining := list -}}
{{- $leaving := list -}}
{{- if $prev -}}
{{- range $i := untilStep (int $prev) $want 1 -}}{{- $joining = append $joining (printf "%s-%d" (include "ozone.om.name" $) $i) -}}{{- end -}}
{{- range $i := untilStep $want (int $prev) 1 -}}{{- $leaving = append $leaving (printf "%s-%d" (include "ozone.om.name" $) $i) -}}{{- end -}}
{{- end -}}
{{- toJson (dict "previous" (ternary (int $prev) nil (ne $prev "")) "joining" $joining "leaving" $leaving) -}}
{{- end -}}

{{/*
ozone.om.wipeOrdinals: ordinals that get a post-upgrade wipe Job (leaving now or pending in the ring
record), highest first, as a JSON list. An ordinal below om.replicas is desired again (say after a
rollback and a new scale-up): it gets no Job, since its own start wipes the stale data before it joins.
*/}}
{{- define "ozone.om.wipeOrdinals" -}}
{{- $delta := include "ozone.om.delta" . | fromJson -}}
{{- $prefix := printf "%s-" (include "ozone.om.name" .) -}}
{{- $want := int .Values.om.replicas -}}
{{- $ordinals := list -}}
{{- range $id := concat $delta.leaving (include "ozone.om.pendingWipes" . | fromJsonArray) -}}
{{- $o := trimPrefix $prefix $id -}}
{{- if and (regexMatch "^[0-9]+$" $o) (ge (int $o) $want) -}}{{- $ordinals = append $ordinals (int $o) -}}{{- end -}}
{{- end -}}
{{- $sorted := list -}}
{{- range $i := untilStep 99 -1 -1 -}}{{- if has $i $ordinals -}}{{- $sorted = append $sorted $i -}}{{- end -}}{{- end -}}
{{- toJson $sorted -}}
{{- end -}}

{{/*
ozone.om.retainedVolumes: on an install (no live OM StatefulSet), the ordinals of the OM PVCs
(data-<om>-<n>) an earlier install of this release left, as a sorted JSON list. `helm uninstall`
keeps the PVCs of volumeClaimTemplates (persistentVolumeClaimRetentionPolicy defaults to Retain),
and they still hold the old ring's data. Empty on an upgrade, without OM persistence (the OMs do not
mount them) and when lookup is empty.
*/}}
{{- define "ozone.om.retainedVolumes" -}}
{{- $ordinals := list -}}
{{- if and .Values.om.persistence.enabled (not (include "ozone.om.previousReplicas" .)) -}}
{{- $prefix := printf "data-%s-" (include "ozone.om.name" .) -}}
{{- range $pvc := (lookup "v1" "PersistentVolumeClaim" .Release.Namespace "").items | default list -}}
{{- $o := trimPrefix $prefix $pvc.metadata.name -}}
{{- if and (hasPrefix $prefix $pvc.metadata.name) (regexMatch "^[0-9]+$" $o) -}}{{- $ordinals = append $ordinals (int $o) -}}{{- end -}}
{{- end -}}
{{- end -}}
{{- $sorted := list -}}
{{- range $i := until 100 -}}{{- if has $i $ordinals -}}{{- $sorted = append $sorted $i -}}{{- end -}}{{- end -}}
{{- toJson $sorted -}}
{{- end -}}

{{/* ozone.om.membership: the membership document of helper/README.md for the desired replicas. */}}
{{- define "ozone.om.membership" -}}
{{- $delta := include "ozone.om.delta" . | fromJson -}}
version: 1
serviceId: {{ include "ozone.clusterId" . }}
release: {{ .Release.Name }}
namespace: {{ .Release.Namespace }}
statefulSet: {{ include "ozone.om.name" . }}
ringConfigMap: {{ include "ozone.om.name" . }}-ring
replicas: {{ int .Values.om.replicas }}
previousReplicas: {{ if kindIs "invalid" $delta.previous }}null{{ else }}{{ int $delta.previous }}{{ end }}
retainedVolumes: {{ include "ozone.om.retainedVolumes" . | fromJsonArray | len }}
nodeIdPrefix: {{ include "ozone.om.name" . }}-
hostPattern: {{ include "ozone.om.hostPattern" . | quote }}
headlessService: {{ include "ozone.om.headless" . }}
nodes:
{{- range $i := until (int .Values.om.replicas) }}
  - id: {{ include "ozone.om.name" $ }}-{{ $i }}
    host: {{ include "ozone.om.host" (dict "ctx" $ "ordinal" $i) }}
{{- end }}
joining: {{ $delta.joining | toJson }}
leaving: {{ $delta.leaving | toJson }}
ports: {rpc: {{ int .Values.om.ports.rpc }}, ratis: {{ int .Values.om.ports.ratis }}, http: {{ int .Values.om.ports.http }}}
paths:
  metadataDir: {{ .Values.om.persistence.path }}/metadata
timeouts:
  bootstrap: {{ int .Values.om.lifecycle.bootstrapTimeout }}
  waitForTurn: {{ int .Values.om.lifecycle.waitForTurnTimeout }}
  command: {{ int .Values.om.lifecycle.commandTimeout }}
  decommission: {{ int .Values.om.lifecycle.decommissionTimeout }}
{{- end -}}

{{/* ozone.metadataDir: ozone.metadata.dirs of every component. */}}
{{- define "ozone.metadataDir" -}}/data/metadata{{- end -}}

{{/* ozone.commonEnv: static Ozone settings every component shares (never the OM membership). */}}
{{- define "ozone.commonEnv" -}}
{{ include "ozone.pod.confEnv" . }}
{{ include "ozone.pod.launcherEnv" . }}
- name: OZONE-SITE.XML_ozone.scm.names
  value: {{ include "ozone.scm.hosts" . | quote }}
- name: OZONE-SITE.XML_ozone.scm.client.address
  value: {{ printf "%s-0.%s.%s.svc.%s" (include "ozone.scm.name" .) (include "ozone.scm.headless" .) .Release.Namespace .Values.clusterDomain | quote }}
- name: OZONE-SITE.XML_ozone.scm.datanode.id.dir
  value: "/data"
- name: OZONE-SITE.XML_ozone.metadata.dirs
  value: {{ include "ozone.metadataDir" . | quote }}
- name: OZONE-SITE.XML_hdds.datanode.dir
  value: "/data/storage"
- name: OZONE-SITE.XML_ozone.network.flexible.fqdn.resolution.enabled
  value: "true"
{{- if gt (int .Values.scm.replicas) 1 }}
- name: OZONE-SITE.XML_ozone.scm.service.ids
  value: {{ include "ozone.clusterId" . | quote }}
- name: OZONE-SITE.XML_ozone.scm.nodes.{{ include "ozone.clusterId" . }}
  value: {{ include "ozone.scm.nodeIds" . | quote }}
{{- range $i := until (int .Values.scm.replicas) }}
- name: OZONE-SITE.XML_ozone.scm.address.{{ include "ozone.clusterId" $ }}.{{ include "ozone.scm.name" $ }}-{{ $i }}
  value: {{ printf "%s-%d.%s.%s.svc.%s" (include "ozone.scm.name" $) $i (include "ozone.scm.headless" $) $.Release.Namespace $.Values.clusterDomain | quote }}
{{- end }}
- name: OZONE-SITE.XML_ozone.scm.primordial.node.id
  value: {{ include "ozone.scm.primordialNode" . | quote }}
{{- end }}
{{- with .Values.env }}
{{ tpl (toYaml .) $ }}
{{- end }}
{{- end -}}

{{/* ozone.scm.nodeIds: SCM node ids for SCM HA. */}}
{{- define "ozone.scm.nodeIds" -}}
{{- $ids := list -}}
{{- range $i := until (int .Values.scm.replicas) -}}{{- $ids = append $ids (printf "%s-%d" (include "ozone.scm.name" $) $i) -}}{{- end -}}
{{- join "," $ids -}}
{{- end -}}

{{/* ozone.omClientEnv: the OM ring as OM clients (S3 gateway, Recon) read it at start. */}}
{{- define "ozone.omClientEnv" -}}
{{- $svc := include "ozone.clusterId" . -}}
{{- $ids := list -}}
{{- range $i := until (int .Values.om.replicas) -}}{{- $ids = append $ids (printf "%s-%d" (include "ozone.om.name" $) $i) -}}{{- end -}}
- name: OZONE-SITE.XML_ozone.om.service.ids
  value: {{ $svc | quote }}
- name: OZONE-SITE.XML_ozone.om.nodes.{{ $svc }}
  value: {{ join "," $ids | quote }}
{{- range $i := until (int .Values.om.replicas) }}
- name: OZONE-SITE.XML_ozone.om.address.{{ $svc }}.{{ include "ozone.om.name" $ }}-{{ $i }}
  value: {{ printf "%s:%d" (include "ozone.om.host" (dict "ctx" $ "ordinal" $i)) (int $.Values.om.ports.rpc) | quote }}
{{- end }}
{{- end -}}

{{/* ozone.containerSecurityContext: the common container security context with a component's own merged over it; pass (dict "ctx" $ "own" .Values.om.securityContext). */}}
{{- define "ozone.containerSecurityContext" -}}
{{- toYaml (mergeOverwrite (deepCopy .ctx.Values.securityContext) (.own | default dict)) -}}
{{- end -}}

{{/* ozone.podScheduling: nodeSelector, affinity and tolerations of a component, falling back to the common ones; pass (dict "ctx" $ "c" .Values.om). */}}
{{- define "ozone.podScheduling" -}}
{{- with (default .ctx.Values.nodeSelector .c.nodeSelector) }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with (default .ctx.Values.affinity .c.affinity) }}
affinity:
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

{{/* ozone.validateValues: every value problem, reported at once (Bitnami's way). */}}
{{- define "ozone.validateValues" -}}
{{- $errors := list -}}
{{- $replicas := int .Values.om.replicas -}}
{{- if lt $replicas 1 -}}
{{- $errors = append $errors (printf "om.replicas is %d; an OM ring needs at least 1 node. Set om.replicas to 1, 3 or 5." $replicas) -}}
{{- end -}}
{{- if gt $replicas 99 -}}
{{- $errors = append $errors (printf "om.replicas is %d; at most 99 OMs are supported." $replicas) -}}
{{- end -}}
{{- if not (regexMatch "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$" (include "ozone.clusterId" .)) -}}
{{- $errors = append $errors (printf "clusterId '%s' is not a DNS label; use lower-case letters, digits and '-', starting and ending with a letter or digit." (include "ozone.clusterId" .)) -}}
{{- end -}}
{{- if gt (len (include "ozone.clusterId" .)) 63 -}}
{{- $errors = append $errors "clusterId is longer than 63 characters; shorten it." -}}
{{- end -}}
{{- $prev := include "ozone.om.previousReplicas" . -}}
{{- if and $prev (ne (int $prev) $replicas) (not .Values.om.persistence.enabled) -}}
{{- $errors = append $errors (printf "om.replicas changes from %s to %d but om.persistence.enabled is false: without volumes a restarted OM loses its Raft log and the ring cannot be changed safely. Set om.persistence.enabled=true (from install on), or keep om.replicas at %s." $prev $replicas $prev) -}}
{{- end -}}
{{- /* One decision for the cluster: OM volumes hold the cluster id and block locations that only SCM's and the datanodes' volumes keep, so a mix loses the cluster when an SCM or datanode pod moves. */ -}}
{{- $on := list -}}
{{- $off := list -}}
{{- range $c := list "om" "scm" "datanode" -}}
{{- if (index $.Values $c "persistence" "enabled") -}}{{- $on = append $on (printf "%s.persistence.enabled" $c) -}}{{- else -}}{{- $off = append $off (printf "%s.persistence.enabled" $c) -}}{{- end -}}
{{- end -}}
{{- if and $on $off -}}
{{- $errors = append $errors (printf "persistence is mixed (true: %s; false: %s), but it is one decision for the whole cluster. The OMs keep the cluster id and the block locations that only SCM's and the datanodes' volumes hold, so an SCM or datanode pod that moves onto an empty volume makes a cluster the OMs refuse, and its data is lost. Set om.persistence.enabled, scm.persistence.enabled and datanode.persistence.enabled all to true (production) or all to false (a throwaway cluster)." (join " and " $on) (join " and " $off)) -}}
{{- end -}}
{{- $retained := include "ozone.om.retainedVolumes" . | fromJsonArray -}}
{{- $above := list -}}
{{- range $o := $retained -}}{{- if ge (int $o) $replicas -}}{{- $above = append $above (printf "data-%s-%d" (include "ozone.om.name" $) (int $o)) -}}{{- end -}}{{- end -}}
{{- if $above -}}
{{- $errors = append $errors (printf "om.replicas is %d, but an earlier install of release %s left OM volumes at or above that ordinal (%s). They hold the old ring's data, and its Raft configuration may need those OMs for a majority. Reinstall with om.replicas=%d to bring the old ring back (then shrink it with helm upgrade), or, if you want a new, empty cluster, delete the release's PVCs first: kubectl -n %s delete pvc -l app.kubernetes.io/instance=%s." $replicas .Release.Name (join ", " $above) (add (last $retained) 1) .Release.Namespace .Release.Name) -}}
{{- end -}}
{{- if not (has (int .Values.scm.replicas) (list 1 3)) -}}
{{- $errors = append $errors (printf "scm.replicas is %d; use 1, or 3 for SCM HA." (int .Values.scm.replicas)) -}}
{{- end -}}
{{- $datanodes := int .Values.datanode.replicas -}}
{{- if lt $datanodes 3 -}}
{{- $errors = append $errors (printf "datanode.replicas is %d; Ozone keeps three replicas of each container (RATIS/THREE), so at least 3 datanodes are needed. Set datanode.replicas to 3 or more." $datanodes) -}}
{{- end -}}
{{- /* Stopping a datanode before SCM has moved its replicas away leaves them under-replicated; two at once can lose the last copies. */ -}}
{{- $dn := include "ozone.datanode.delta" . | fromJson -}}
{{- if and $dn.stopping (not .Values.datanode.allowScaleDown) -}}
{{- $errors = append $errors (printf "datanode.replicas goes from %d to %d, which stops %d datanode(s) at once (%s): their container replicas become under-replicated, SCM re-replicates only after it declares them dead 10 minutes later, and stopping two or more can lose data; first decommission them with `ozone admin datanode decommission <ip>` and wait until `ozone admin datanode list` shows them DECOMMISSIONED, then run this one upgrade with datanode.allowScaleDown=true (\"I have decommissioned these datanodes\")." (int $dn.previous) $datanodes (len $dn.stopping) (join ", " $dn.stopping)) -}}
{{- end -}}
{{- if not (hasPrefix "/" .Values.om.persistence.path) -}}
{{- $errors = append $errors (printf "om.persistence.path '%s' must be an absolute path, e.g. /data." .Values.om.persistence.path) -}}
{{- end -}}
{{- if $errors -}}
{{- fail (printf "\n\nInvalid values:\n  - %s" (join "\n  - " $errors)) -}}
{{- end -}}
{{- end -}}
