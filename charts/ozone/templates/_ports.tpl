{{/*
ozone.ports: the ports a component's container opens and its Services expose, one list for both,
as JSON; pass the component name: (include "ozone.ports" "scm" | fromJsonArray). Each is Ozone's
default (ozone-default.xml and the *ConfigKeys classes, 2.0.0 to 2.1.0); the chart never overrides
them. The OM's ports are values (om.ports) because the membership document carries them.
*/}}
{{- define "ozone.ports" -}}
{{- $ports := dict
  "scm" (list
    (dict "name" "http" "port" 9876)
    (dict "name" "client" "port" 9860)
    (dict "name" "block" "port" 9863)
    (dict "name" "datanode" "port" 9861)
    (dict "name" "ratis" "port" 9894)
    (dict "name" "grpc" "port" 9895))
  "datanode" (list
    (dict "name" "http" "port" 9882)
    (dict "name" "ratis" "port" 9858)
    (dict "name" "ipc" "port" 9859))
  "s3g" (list
    (dict "name" "rest" "port" 9878)
    (dict "name" "web" "port" 19878))
  "recon" (list
    (dict "name" "http" "port" 9888)
    (dict "name" "rpc" "port" 9891))
-}}
{{- get $ports . | toJson -}}
{{- end -}}
