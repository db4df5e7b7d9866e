{{- define "lookup-fallback.secretName" -}}
{{- default (printf "%s-auth" .Release.Name) .Values.auth.existingSecret -}}
{{- end -}}

{{/*
Returns a password: the value given, else the one kept in the existing secret, else a
fallback (the shape of bitnami's common.secrets.passwords.manage).
*/}}
{{- define "lookup-fallback.password" -}}
{{- $secret := lookup "v1" "Secret" .Release.Namespace (include "lookup-fallback.secretName" .) -}}
{{- if .Values.auth.password -}}
{{- .Values.auth.password -}}
{{- else if $secret -}}
{{- index $secret.data "password" | b64dec -}}
{{- else -}}
{{- .Values.fallbackPassword -}}
{{- end -}}
{{- end -}}
