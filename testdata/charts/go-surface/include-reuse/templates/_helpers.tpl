{{/* Helpers included again and again with the same maps: what each prints must
follow the template it runs in wherever it looks inside .Template. */}}
{{- define "reuse.name" -}}{{ .Template.Name }}{{- end -}}
{{- define "reuse.whole" -}}{{ .Template }}{{- end -}}
{{- define "reuse.ranged" -}}{{ range $k, $v := .Template }}{{ $k }}={{ $v }} {{ end }}{{- end -}}
{{- define "reuse.indexed" -}}{{ index . "Template" "BasePath" }}{{- end -}}
{{- define "reuse.nested" -}}{{ include "reuse.chart" . }}/{{ include "reuse.name" . }}{{- end -}}
{{- define "reuse.chart" -}}{{ .Chart.Name }}-{{ .Chart.Version }}{{- end -}}
{{- define "reuse.greeting" -}}{{ .greeting }}{{- end -}}
{{- define "reuse.keys" -}}{{ keys . | sortAlpha | join "," }}{{- end -}}
