{{/* Helpers whose output changes between includes of the same map: a map changed in
place since, a change the helper makes itself, a tpl text's own definition. */}}
{{- define "changes.x" -}}{{ .Values.d.x }}{{- end -}}
{{- define "changes.count" -}}{{ $_ := set .Values "n" (add1 .Values.n) }}{{ .Values.n }}{{- end -}}
{{- define "changes.merged" -}}{{ $_ := mergeOverwrite .Values.d (dict "y" .Template.Name) }}{{ .Values.d.y }}{{- end -}}
{{- define "changes.h" -}}helpers{{- end -}}
{{- define "changes.uses-h" -}}{{ include "changes.h" . }}{{- end -}}
{{- define "changes.fx" -}}{{ .m.x }}{{- end -}}
{{- define "changes.own" -}}{{ $d := dict }}{{ $_ := set $d "k" .context.Values.n }}{{ $d.k }}{{- end -}}
