{{- define "common.name" -}}
legacy-{{ .Chart.Name }}
{{- end -}}

{{- define "common.fullname" -}}
legacy-{{ .Release.Name }}-{{ .Chart.Name }}
{{- end -}}

{{- define "common.labels" -}}
legacy: "true"
{{- end -}}

{{- define "common.legacyOnly" -}}
only in common 0.9.0, seen from {{ .Chart.Name }}
{{- end -}}
