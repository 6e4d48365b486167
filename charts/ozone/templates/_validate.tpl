{{/*
ozone.isDataDirectory: "true" when the path may hold OM data that wipe deletes under; the rule of
helper/Membership/MembershipLimits.cs (IsDataDirectory), plus the chart's own writable mounts.
*/}}
{{- define "ozone.isDataDirectory" -}}
{{- $segments := splitList "/" (trimPrefix "/" .) -}}
{{- $systemDirectories := list "bin" "boot" "dev" "etc" "lib" "lib32" "lib64" "libx32" "proc" "run" "sbin" "sys" "usr" -}}
{{- $systemRoots := list "/var" "/home" "/root" "/tmp" "/opt" "/srv" "/mnt" "/media" -}}
{{- if and (hasPrefix "/" .) (le (len .) 4096) (not (regexMatch "[\\x00-\\x1f]" .)) (not (has "" $segments)) (not (has "." $segments)) (not (has ".." $segments)) (not (has (first $segments) $systemDirectories)) (not (has . $systemRoots)) (not (regexMatch "^/(tmp|var/log/hadoop|opt/om-lifecycle)(/|$)" .)) -}}true{{- end -}}
{{- end -}}

{{/*
ozone.nameErrors: object names over Kubernetes' limits, as a JSON list of messages. Services and
Jobs are DNS labels (63); a StatefulSet's pods carry controller-revision-hash=<name>-<10-character
hash>, a label value (63), so a StatefulSet name may have at most 52.
*/}}
{{- define "ozone.nameErrors" -}}
{{- $full := include "ozone.fullname" . -}}
{{- $longest := printf "%s-datanode" $full -}}
{{- $errors := list -}}
{{- if gt (len $longest) 52 -}}
{{- $room := sub 43 (len (printf "%s-%s" "" (include "ozone.name" .))) -}}
{{- $errors = append $errors (printf "The object names built from '%s' (%d characters) are too long for Kubernetes: StatefulSet '%s' has %d characters, but its pods' controller-revision-hash label adds 11 and labels stop at 63 (Services such as '%s-datanode-headless' are limited to 63 as well). Use a release name of at most %d characters (43 if it contains '%s'), or set fullnameOverride to a name of at most 43 characters." $full (len $full) $longest (len $longest) $full $room (include "ozone.name" .)) -}}
{{- end -}}
{{- $host := include "ozone.om.host" (dict "ctx" . "ordinal" (sub (int .Values.om.replicas) 1)) -}}
{{- if gt (len $host) 253 -}}
{{- $errors = append $errors (printf "The OM host names are too long: '%s' has %d characters and DNS allows 253 (om-lifecycle refuses it at pod start). Shorten clusterDomain, the namespace or the release name." $host (len $host)) -}}
{{- end -}}
{{- toJson $errors -}}
{{- end -}}

{{/*
ozone.generatedConfFiles: the files the image's entrypoint (envtoconf.py) writes in the conf dir at
every start, as a JSON list: ozone-site.xml (the chart always sets OZONE-SITE.XML_ variables) and
one per `<NAME>.<ext>_<key>` variable in the users' env, lower-cased (tests/ClusterTwin/Entrypoint.cs).
*/}}
{{- define "ozone.generatedConfFiles" -}}
{{- $files := list "ozone-site.xml" -}}
{{- range $e := concat .Values.env .Values.om.env .Values.scm.env .Values.datanode.env .Values.s3g.env .Values.recon.env -}}
{{- $match := regexFind "^[^_]+?\\.(xml|properties|yaml|yml|env|sh|cfg|conf)_" (lower (toString $e.name)) -}}
{{- if $match -}}{{- $files = append $files (trimSuffix "_" $match) -}}{{- end -}}
{{- end -}}
{{- toJson (uniq $files) -}}
{{- end -}}

{{/*
ozone.validateValues: every value problem, reported at once (Bitnami's way). Most rules span
several values, which the schema cannot express. A few repeat a schema rule on purpose: those whose
breach breaks the ring or every pod, because `--skip-schema-validation` renders without the schema
(tests/Chart.Tests/SchemaBackstopTests.cs).
*/}}
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
{{- if include "ozone.persistent" (dict "ctx" $ "values" (index $.Values $c)) -}}{{- $on = append $on (printf "%s.persistence.enabled" $c) -}}{{- else -}}{{- $off = append $off (printf "%s.persistence.enabled" $c) -}}{{- end -}}
{{- end -}}
{{- if and $on $off -}}
{{- $errors = append $errors (printf "persistence is mixed (true: %s; false: %s), but it is one decision for the whole cluster. The OMs keep the cluster id and the block locations that only SCM's and the datanodes' volumes hold, so an SCM or datanode pod that moves onto an empty volume makes a cluster the OMs refuse, and its data is lost. Decide with om.persistence.enabled alone (SCM and the datanodes follow it) and drop scm.persistence.enabled and datanode.persistence.enabled, or set the three all to true (production) or all to false (a throwaway cluster)." (join " and " $on) (join " and " $off)) -}}
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
{{- $errors = append $errors (printf "datanode.replicas goes from %d to %d, which stops %d datanode(s) at once (%s): their container replicas become under-replicated, SCM re-replicates only after it declares them dead 10 minutes later, and stopping two or more can lose data; first decommission them with `ozone admin datanode decommission <hostName>` (the host names `ozone admin datanode list` shows; SCM matches datanodes by host name here) and wait until `ozone admin datanode list` shows them DECOMMISSIONED, then run this one upgrade with datanode.allowScaleDown=true (\"I have decommissioned these datanodes\")." (int $dn.previous) $datanodes (len $dn.stopping) (join ", " $dn.stopping)) -}}
{{- end -}}
{{- if not (include "ozone.isDataDirectory" (toString .Values.om.persistence.path)) -}}
{{- $errors = append $errors (printf "om.persistence.path '%s' is not a safe data directory: om-lifecycle wipes the OM data under it, so it must be an absolute, normalized path (no '.', '..' or empty segment, no trailing '/') outside the system directories (/, /bin, /etc, /usr, /var, /tmp, /opt, /proc, ...) and the chart's own mounts (/tmp, /var/log/hadoop, /opt/om-lifecycle). Use a directory of its own, e.g. /data." (toString .Values.om.persistence.path)) -}}
{{- end -}}
{{- /* OM data moved out of ozone.metadata.dirs must stay on the OM volume: wipe empties these dirs (helper/Volume/OmDataLocations.cs refuses the same at run time). */ -}}
{{- $omVolume := toString .Values.om.persistence.path -}}
{{- range $e := concat .Values.env .Values.om.env -}}
{{- $key := trimPrefix "OZONE-SITE.XML_" (toString $e.name) -}}
{{- if and (hasPrefix "OZONE-SITE.XML_" (toString $e.name)) (has $key (list "ozone.om.db.dirs" "ozone.om.ratis.storage.dir" "ozone.om.ratis.snapshot.dir")) -}}
{{- $dir := trim (tpl (toString (default "" $e.value)) $) -}}
{{- if and $dir (or (contains "," $dir) (not (include "ozone.isDataDirectory" $dir)) (not (hasPrefix (printf "%s/" $omVolume) $dir))) -}}
{{- $errors = append $errors (printf "env %s is '%s', but it must be one directory inside the OM volume (om.persistence.path %s): om-lifecycle removes the OM data in it when it wipes a node, so a path elsewhere would reach another volume or the root filesystem, and the OM's data there would not persist. Set it to a directory of its own under %s, e.g. %s/%s, or drop the variable (the data then follows ozone.metadata.dirs)." (toString $e.name) $dir $omVolume $omVolume $omVolume (get (dict "ozone.om.db.dirs" "om-db" "ozone.om.ratis.storage.dir" "om-ratis" "ozone.om.ratis.snapshot.dir" "om-ratis-snapshot") $key)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- $generated := include "ozone.generatedConfFiles" . | fromJsonArray -}}
{{- range $file, $_ := .Values.configuration.files -}}
{{- if or (has $file $generated) (has (trimSuffix ".raw" $file) $generated) -}}
{{- $prefix := upper (trimSuffix ".raw" $file) -}}
{{- $errors = append $errors (printf "configuration.files has '%s', but the image's entrypoint writes that file in %s from the %s_<key> environment variables at every start, and a mounted file there is read-only, so the container would exit. Keep one source: remove it from configuration.files and set each property as an env entry (env: [{name: %s_<key>, value: <value>}]), or drop the %s_ variables." $file $.Values.configuration.dir $prefix $prefix $prefix) -}}
{{- end -}}
{{- end -}}
{{- if and .Values.fullnameOverride (not (regexMatch "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$" (toString .Values.fullnameOverride))) -}}
{{- $errors = append $errors (printf "fullnameOverride '%s' is not a DNS label, and every object name starts with it; use lower-case letters, digits and '-', starting and ending with a letter or digit." (toString .Values.fullnameOverride)) -}}
{{- end -}}
{{- $errors = concat $errors (include "ozone.nameErrors" . | fromJsonArray) -}}
{{- $errors = concat $errors (include "ozone.volumeTemplateErrors" . | fromJsonArray) -}}
{{- $omPorts := list (int .Values.om.ports.rpc) (int .Values.om.ports.ratis) (int .Values.om.ports.http) -}}
{{- if ne (len (uniq $omPorts)) 3 -}}
{{- $errors = append $errors (printf "om.ports has rpc %d, ratis %d and http %d: an OM binds each on its own, so the second bind would fail. Give the three ports different numbers (defaults 9862, 9872, 9874)." (int .Values.om.ports.rpc) (int .Values.om.ports.ratis) (int .Values.om.ports.http)) -}}
{{- end -}}
{{- if not (kindIs "invalid" .Values.om.terminationGracePeriodSeconds) -}}
{{- $preStop := include "ozone.om.preStopSeconds" . | int -}}
{{- if le (int .Values.om.terminationGracePeriodSeconds) $preStop -}}
{{- $errors = append $errors (printf "om.terminationGracePeriodSeconds is %d, but the OM's preStop hook (moving leadership away) may take up to %d s (2 x om.lifecycle.commandTimeout), and Kubernetes kills the OM when the grace period ends, possibly while it still leads. Set it above %d, or leave it empty to get %d (the hook's longest run plus 60 s)." (int .Values.om.terminationGracePeriodSeconds) $preStop $preStop (add $preStop 60)) -}}
{{- end -}}
{{- end -}}
{{- if $errors -}}
{{- fail (printf "\n\nInvalid values:\n  - %s" (join "\n  - " $errors)) -}}
{{- end -}}
{{- end -}}

{{/*
ozone.volumeTemplateErrors: Kubernetes forbids changing a StatefulSet's volumeClaimTemplates
(ValidateStatefulSetUpdate), so persistence switched on or off, or a new size, storage class or
access mode for a live OM, SCM or datanode StatefulSet would fail the upgrade half-applied. Read
from the live objects (lookup; nothing to compare under helm template). A JSON list of messages.
*/}}
{{- define "ozone.volumeTemplateErrors" -}}
{{- $errors := list -}}
{{- range $c := list "om" "scm" "datanode" -}}
{{- $name := include (printf "ozone.%s.name" $c) $ -}}
{{- $live := lookup "apps/v1" "StatefulSet" $.Release.Namespace $name -}}
{{- if $live -}}
{{- $v := index $.Values $c -}}
{{- $templates := dig "spec" "volumeClaimTemplates" list $live -}}
{{- $wanted := include "ozone.persistent" (dict "ctx" $ "values" $v) -}}
{{- if and $wanted (not $templates) -}}
{{- $errors = append $errors (printf "om.persistence.enabled is true, but the live StatefulSet %s was installed without volumes, and Kubernetes forbids adding volumeClaimTemplates to a StatefulSet. A cluster without persistence keeps its data in emptyDirs, which cannot be carried over: keep om.persistence.enabled=false, or uninstall and install again with it set to true (a new, empty cluster)." $name) -}}
{{- else if and (not $wanted) $templates -}}
{{- $errors = append $errors (printf "om.persistence.enabled is false, but the live StatefulSet %s keeps its data on volumes, and Kubernetes forbids removing volumeClaimTemplates from a StatefulSet (the data would not follow anyway). Keep om.persistence.enabled=true." $name) -}}
{{- else if $templates -}}
{{- $spec := (first $templates).spec | default dict -}}
{{- $liveSize := toString (dig "resources" "requests" "storage" "" $spec) -}}
{{- $size := toString $v.persistence.size -}}
{{- $liveBytes := include "ozone.quantityBytes" $liveSize -}}
{{- $bytes := include "ozone.quantityBytes" $size -}}
{{- if ternary (ne $liveBytes $bytes) (ne $liveSize $size) (and (ne $liveBytes "") (ne $bytes "")) -}}
{{- $errors = append $errors (printf "%s.persistence.size is %s, but the live StatefulSet %s asks %s for each volume, and Kubernetes forbids changing a StatefulSet's volumeClaimTemplates. Keep %s.persistence.size at %s. To grow the volumes, expand each PVC where its storage class allows it (kubectl -n %s patch pvc data-%s-<n> -p '{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"%s\"}}}}'); pods created later still ask %s." $c $size $name $liveSize $c $liveSize $.Release.Namespace $name $size $liveSize) -}}
{{- end -}}
{{- $liveClass := toString (dig "storageClassName" "" $spec) -}}
{{- if ne $liveClass (toString $v.persistence.storageClassName) -}}
{{- $errors = append $errors (printf "%s.persistence.storageClassName is '%s', but the live StatefulSet %s asks '%s', and Kubernetes forbids changing a StatefulSet's volumeClaimTemplates (the data would not move to the new class either). Keep %s.persistence.storageClassName at '%s'." $c (toString $v.persistence.storageClassName) $name $liveClass $c $liveClass) -}}
{{- end -}}
{{- $liveModes := dig "accessModes" list $spec -}}
{{- if ne (toJson $liveModes) (toJson $v.persistence.accessModes) -}}
{{- $errors = append $errors (printf "%s.persistence.accessModes is %s, but the live StatefulSet %s asks %s, and Kubernetes forbids changing a StatefulSet's volumeClaimTemplates. Keep %s.persistence.accessModes at %s." $c (toJson $v.persistence.accessModes) $name (toJson $liveModes) $c (toJson $liveModes)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- toJson $errors -}}
{{- end -}}

{{/* ozone.quantityBytes: a Kubernetes quantity with a binary or decimal suffix (or none) as a whole number of bytes, or "" for any other form. */}}
{{- define "ozone.quantityBytes" -}}
{{- $m := regexFindAll "^([0-9]+)(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$" . 1 -}}
{{- if $m -}}
{{- $number := regexReplaceAll "[^0-9]" . "" | int64 -}}
{{- $unit := regexReplaceAll "^[0-9]+" . "" -}}
{{- $factor := get (dict "" 1 "Ki" 1024 "Mi" 1048576 "Gi" 1073741824 "Ti" 1099511627776 "Pi" 1125899906842624 "k" 1000 "M" 1000000 "G" 1000000000 "T" 1000000000000 "P" 1000000000000000) $unit -}}
{{- mul $number $factor -}}
{{- end -}}
{{- end -}}
