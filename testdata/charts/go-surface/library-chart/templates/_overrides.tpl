{{/* Overrides common.labels.extra from the library: the parent's define wins. */}}
{{- define "common.labels.extra" -}}
tier: frontend
team: web
{{- end -}}

{{- define "library-chart.container" -}}
name: {{ .Chart.Name }}
image: {{ include "common.image" (dict "image" .Values.image "chart" .Chart) }}
ports:
  - containerPort: 8080
{{- end -}}
