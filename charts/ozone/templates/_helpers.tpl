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

{{/* ozone.om.membershipConfigMap: the rendered membership document's ConfigMap (helper/README.md). */}}
{{- define "ozone.om.membershipConfigMap" -}}{{ include "ozone.om.name" . }}-membership{{- end -}}

{{/* ozone.om.ringConfigMap: the ring record om-lifecycle owns; the chart only reads it (lookup) and names it. */}}
{{- define "ozone.om.ringConfigMap" -}}{{ include "ozone.om.name" . }}-ring{{- end -}}

{{/* ozone.omLifecycle.dir: the emptyDir the helper image's init container copies om-lifecycle into. */}}
{{- define "ozone.omLifecycle.dir" -}}/opt/om-lifecycle{{- end -}}

{{/* ozone.omLifecycle.membershipDir: where the membership ConfigMap is mounted, as a directory (never subPath) so that updates arrive. */}}
{{- define "ozone.omLifecycle.membershipDir" -}}/etc/om-lifecycle{{- end -}}

{{/* ozone.omLifecycle.bin: om-lifecycle as the Ozone containers run it. */}}
{{- define "ozone.omLifecycle.bin" -}}{{ include "ozone.omLifecycle.dir" . }}/om-lifecycle{{- end -}}
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

{{/*
ozone.pod.host: the DNS name of pod .ordinal of StatefulSet .statefulSet, through the headless
Service every component has (<statefulSet>-headless, named in _component.tpl); pass
(dict "ctx" $ "statefulSet" "ozone-om" "ordinal" 0).
*/}}
{{- define "ozone.pod.host" -}}
{{- printf "%s-%d.%s-headless.%s.svc.%s" .statefulSet (int .ordinal) .statefulSet .ctx.Release.Namespace .ctx.Values.clusterDomain -}}
{{- end -}}

{{/* ozone.om.host: the host of OM ordinal .ordinal; pass (dict "ctx" $ "ordinal" 0). */}}
{{- define "ozone.om.host" -}}
{{- include "ozone.pod.host" (dict "ctx" .ctx "statefulSet" (include "ozone.om.name" .ctx) "ordinal" .ordinal) -}}
{{- end -}}

{{/* ozone.scm.host: the host of SCM ordinal .ordinal; pass (dict "ctx" $ "ordinal" 0). */}}
{{- define "ozone.scm.host" -}}
{{- include "ozone.pod.host" (dict "ctx" .ctx "statefulSet" (include "ozone.scm.name" .ctx) "ordinal" .ordinal) -}}
{{- end -}}

{{/* ozone.scm.hosts: the SCM hosts, comma separated. */}}
{{- define "ozone.scm.hosts" -}}
{{- $hosts := list -}}
{{- range $i := until (int .Values.scm.replicas) -}}
{{- $hosts = append $hosts (include "ozone.scm.host" (dict "ctx" $ "ordinal" $i)) -}}
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
{{- $ring := lookup "v1" "ConfigMap" .Release.Namespace (include "ozone.om.ringConfigMap" .) -}}
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
Neither does a node whose PVC no longer exists (deleted by hand).
*/}}
{{- define "ozone.om.wipeOrdinals" -}}
{{- $delta := include "ozone.om.delta" . | fromJson -}}
{{- $prefix := printf "%s-" (include "ozone.om.name" .) -}}
{{- $want := int .Values.om.replicas -}}
{{- $namespace := .Release.Namespace -}}
{{- $ordinals := list -}}
{{- range $id := concat $delta.leaving (include "ozone.om.pendingWipes" . | fromJsonArray) -}}
{{- $o := trimPrefix $prefix $id -}}
{{- if and (regexMatch "^[0-9]+$" $o) (ge (int $o) $want) -}}
{{- /* A pod naming a missing claim stays Pending (kube-scheduler VolumeBinding) and would hold the hook: a deleted PVC has nothing left to wipe. */ -}}
{{- if lookup "v1" "PersistentVolumeClaim" $namespace (printf "data-%s" $id) -}}{{- $ordinals = append $ordinals (int $o) -}}{{- end -}}
{{- end -}}
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
ringConfigMap: {{ include "ozone.om.ringConfigMap" . }}
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

{{/* ozone.dataDir: where a component's volume is mounted: its persistence.path, or /data for one without persistence settings; pass (dict "values" .Values.<component>). */}}
{{- define "ozone.dataDir" -}}{{ (.values.persistence).path | default "/data" }}{{- end -}}

{{/* ozone.metadataDir: a component's ozone.metadata.dirs, on its volume; pass (dict "values" .Values.<component>). */}}
{{- define "ozone.metadataDir" -}}{{ include "ozone.dataDir" . }}/metadata{{- end -}}

{{/*
ozone.commonEnv: static Ozone settings every component shares (never the OM membership), with the
data directories on the component's own volume; pass (dict "ctx" $ "values" .Values.<component>).
*/}}
{{- define "ozone.commonEnv" -}}
{{- $dataDir := include "ozone.dataDir" . -}}
{{- $ctx := .ctx -}}
{{- with $ctx -}}
{{ include "ozone.pod.confEnv" . }}
{{ include "ozone.pod.launcherEnv" . }}
- name: OZONE-SITE.XML_ozone.scm.names
  value: {{ include "ozone.scm.hosts" . | quote }}
- name: OZONE-SITE.XML_ozone.scm.client.address
  value: {{ include "ozone.scm.host" (dict "ctx" . "ordinal" 0) | quote }}
- name: OZONE-SITE.XML_ozone.scm.datanode.id.dir
  value: {{ $dataDir | quote }}
- name: OZONE-SITE.XML_ozone.metadata.dirs
  value: {{ printf "%s/metadata" $dataDir | quote }}
- name: OZONE-SITE.XML_hdds.datanode.dir
  value: {{ printf "%s/storage" $dataDir | quote }}
- name: OZONE-SITE.XML_ozone.network.flexible.fqdn.resolution.enabled
  value: "true"
{{- /* SCM keys datanodes by the host name they report, not by reverse DNS of a pod IP that changes on restart (SCMNodeManager: hdds.datanode.use.datanode.hostname decides whether a datanode is keyed by host name or IP, Ozone 2.1.0). */}}
- name: OZONE-SITE.XML_hdds.datanode.use.datanode.hostname
  value: "true"
{{- if .Values.recon.enabled }}
- name: OZONE-SITE.XML_ozone.recon.address
  value: {{ include "ozone.recon.address" . | quote }}
{{- end }}
{{- if gt (int .Values.scm.replicas) 1 }}
- name: OZONE-SITE.XML_ozone.scm.service.ids
  value: {{ include "ozone.clusterId" . | quote }}
- name: OZONE-SITE.XML_ozone.scm.nodes.{{ include "ozone.clusterId" . }}
  value: {{ include "ozone.scm.nodeIds" . | quote }}
{{- range $i := until (int .Values.scm.replicas) }}
- name: OZONE-SITE.XML_ozone.scm.address.{{ include "ozone.clusterId" $ctx }}.{{ include "ozone.scm.name" $ctx }}-{{ $i }}
  value: {{ include "ozone.scm.host" (dict "ctx" $ctx "ordinal" $i) | quote }}
{{- end }}
- name: OZONE-SITE.XML_ozone.scm.primordial.node.id
  value: {{ include "ozone.scm.primordialNode" . | quote }}
{{- end }}
{{- with .Values.env }}
{{ tpl (toYaml .) $ctx }}
{{- end }}
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

{{/*
ozone.persistent: "true" when a component keeps its data on PVCs; pass (dict "ctx" $ "values" .Values.scm).
Persistence is one decision for the cluster: om.persistence.enabled makes it, and SCM and the
datanodes follow unless they set their own switch (which validateValues then requires to agree).
Components without a persistence block (S3 gateway, Recon) never persist.
*/}}
{{- define "ozone.persistent" -}}
{{- with .values.persistence -}}
{{- if hasKey . "enabled" -}}{{ if .enabled }}true{{ end }}{{- else if $.ctx.Values.om.persistence.enabled -}}true{{- end -}}
{{- end -}}
{{- end -}}
