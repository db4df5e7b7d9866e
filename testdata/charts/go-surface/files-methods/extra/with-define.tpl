{{- define "extra.greeting" -}}
{{ .Values.app.greeting | title }}, {{ .Release.Name }} ({{ .Template.Name }})
{{- end -}}
greeting={{ include "extra.greeting" . }}
helpers={{ include "files-methods.fullname" . }}
