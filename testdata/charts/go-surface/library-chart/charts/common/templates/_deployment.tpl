{{/* A whole Deployment: called with (list $ "name-of-container-define"). */}}
{{- define "common.deployment" -}}
{{- $top := first . -}}
{{- $container := index . 1 -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "common.fullname" $top }}
  labels:
    {{- include "common.labels" $top | nindent 4 }}
spec:
  replicas: {{ $top.Values.replicaCount }}
  selector:
    matchLabels:
      {{- include "common.selectorLabels" $top | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "common.selectorLabels" $top | nindent 8 }}
      annotations:
        checksum/config: {{ include "common.configmap" $top | sha256sum }}
    spec:
      containers:
        - {{- include $container $top | nindent 10 }}
{{- end -}}

{{- define "common.configmap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "common.fullname" . }}
  labels:
    {{- include "common.labels" . | nindent 4 }}
data:
  {{- range $key, $value := .Values.config }}
  {{ $key }}: {{ $value | quote }}
  {{- end }}
{{- end -}}
