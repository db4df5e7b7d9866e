{{- define "files-methods.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "files-methods.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end }}

{{/* The paths of a .Files.Glob result, joined with commas. */}}
{{- define "files-methods.paths" -}}
{{- $paths := list -}}
{{- range $path, $_ := . -}}
{{- $paths = append $paths $path -}}
{{- end -}}
{{- join "," $paths -}}
{{- end }}
