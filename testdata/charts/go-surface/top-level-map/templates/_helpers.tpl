{{- define "top.name" -}}{{ .Template.Name }}: {{ .shared | default "unset" }}{{- end -}}
