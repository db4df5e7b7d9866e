# rendered by tpl
name={{ .Release.Name }}
namespace={{ .Release.Namespace }}
port={{ .Values.app.port }}
level={{ .Values.app.logLevel | upper }}
chart={{ include "files-methods.chart" . }}
{{- range $i, $line := .Files.Lines "conf/hosts.txt" }}
{{- if $line }}
host.{{ $i }}={{ $line }}
{{- end }}
{{- end }}
