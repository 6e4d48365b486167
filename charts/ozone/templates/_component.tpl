{{/*
ozone.component.statefulset: a StatefulSet for SCM, datanodes or the S3 gateway, which share one
shape; pass (dict "ctx" $ "component" "scm" "values" .Values.scm "args" (list "ozone" "scm")
"env" "<extra env yaml>" "annotations" (dict) "ports" (list (dict "name" "http" "port" 9876)) "httpPort" "http"),
where httpPort names the port of the component's web server, which the probes ask.
*/}}
{{- define "ozone.component.statefulset" -}}
{{- $ctx := .ctx -}}
{{- $v := .values -}}
{{- $persistent := include "ozone.persistent" (dict "ctx" $ctx "values" $v) -}}
{{- $name := printf "%s-%s" (include "ozone.fullname" $ctx) .component -}}
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {{ $name }}
  labels:
    {{- include "ozone.labels" (dict "ctx" $ctx "component" .component) | nindent 4 }}
spec:
  replicas: {{ int $v.replicas }}
  serviceName: {{ $name }}-headless
  podManagementPolicy: {{ .policy | default "Parallel" }}
  selector:
    matchLabels:
      {{- include "ozone.selectorLabels" (dict "ctx" $ctx "component" .component) | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "ozone.labels" (dict "ctx" $ctx "component" .component) | nindent 8 }}
      annotations:
        checksum/config: {{ include (print $ctx.Template.BasePath "/configmap.yaml") $ctx | sha256sum }}
        {{- with (merge (dict) (.annotations | default dict) $v.podAnnotations $ctx.Values.podAnnotations) }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      securityContext:
        {{- toYaml $ctx.Values.podSecurityContext | nindent 8 }}
      {{- with include "ozone.podScheduling" (dict "ctx" $ctx "c" $v "component" .component) }}
      {{- . | trim | nindent 6 }}
      {{- end }}
      containers:
        - name: {{ .component }}
          image: {{ include "ozone.image" $ctx }}
          imagePullPolicy: {{ $ctx.Values.image.pullPolicy }}
          args:
            {{- toYaml .args | nindent 12 }}
          env:
            {{- include "ozone.commonEnv" (dict "ctx" $ctx "values" $v) | nindent 12 }}
            {{- with .env }}
            {{- . | nindent 12 }}
            {{- end }}
            {{- with $v.env }}
            {{- tpl (toYaml .) $ctx | nindent 12 }}
            {{- end }}
          {{- with (concat $ctx.Values.envFrom $v.envFrom) }}
          envFrom:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          ports:
            {{- range .ports }}
            - name: {{ .name }}
              containerPort: {{ .port }}
            {{- end }}
          {{- $probe := dict "httpGet" (dict "path" (include "ozone.pod.httpProbePath" $ctx) "port" .httpPort) }}
          # Up to 15 minutes to start: a joining SCM's one-shot bootstrap waits for the leader before the web server runs.
          startupProbe:
            {{- toYaml (merge (dict "periodSeconds" 10 "timeoutSeconds" 5 "failureThreshold" 90) $probe) | nindent 12 }}
          livenessProbe:
            {{- toYaml (merge (dict "periodSeconds" 30 "timeoutSeconds" 10 "failureThreshold" 6) $probe) | nindent 12 }}
          readinessProbe:
            {{- toYaml (merge (dict "periodSeconds" 10 "timeoutSeconds" 5) $probe) | nindent 12 }}
          {{- with $v.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          securityContext:
            {{- include "ozone.containerSecurityContext" (dict "ctx" $ctx "own" $v.securityContext) | nindent 12 }}
          volumeMounts:
            {{- include "ozone.pod.volumeMounts" $ctx | nindent 12 }}
            - name: data
              mountPath: {{ include "ozone.dataDir" (dict "values" $v) }}
      volumes:
        {{- include "ozone.pod.volumes" $ctx | nindent 8 }}
        {{- if not $persistent }}
        - name: data
          emptyDir: {}
        {{- end }}
  {{- if $persistent }}
  volumeClaimTemplates:
    - metadata:
        name: data
        labels:
          {{- include "ozone.selectorLabels" (dict "ctx" $ctx "component" .component) | nindent 10 }}
      spec:
        accessModes:
          {{- toYaml $v.persistence.accessModes | nindent 10 }}
        {{- with $v.persistence.storageClassName }}
        storageClassName: {{ . }}
        {{- end }}
        resources:
          requests:
            storage: {{ $v.persistence.size }}
  {{- end }}
{{- end -}}

{{/* ozone.component.services: a headless Service and a client Service for a component; pass (dict "ctx" $ "component" "scm" "service" .Values.scm.service "ports" (list ...)). */}}
{{- define "ozone.component.services" -}}
{{- $ctx := .ctx -}}
{{- $name := printf "%s-%s" (include "ozone.fullname" $ctx) .component -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}-headless
  labels:
    {{- include "ozone.labels" (dict "ctx" $ctx "component" .component) | nindent 4 }}
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector:
    {{- include "ozone.selectorLabels" (dict "ctx" $ctx "component" .component) | nindent 4 }}
  ports:
    {{- range .ports }}
    - name: {{ .name }}
      port: {{ .port }}
    {{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}
  labels:
    {{- include "ozone.labels" (dict "ctx" $ctx "component" .component) | nindent 4 }}
    {{- with .service.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with .service.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ .service.type }}
  selector:
    {{- include "ozone.selectorLabels" (dict "ctx" $ctx "component" .component) | nindent 4 }}
  ports:
    - name: {{ (first .ports).name }}
      port: {{ .service.port }}
      targetPort: {{ (first .ports).name }}
{{- end -}}
