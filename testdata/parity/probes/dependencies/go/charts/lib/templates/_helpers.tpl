{{- define "lib.hello" -}}hello from {{ .Chart.Name }} for {{ .Release.Name }}{{- end -}}
