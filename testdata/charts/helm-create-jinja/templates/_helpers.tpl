{#
Expand the name of the chart.
#}
{% macro name() %}
{{- Values.nameOverride | default(Chart.Name) | trunc(63) | trimSuffix("-") -}}
{% endmacro %}

{#
Create a default fully qualified app name.
We truncate at 63 chars because some Kubernetes name fields are limited to this (by the DNS naming spec).
If release name contains chart name it will be used as a full name.
#}
{% macro fullname() %}
{% if Values.fullnameOverride %}
{{- Values.fullnameOverride | trunc(63) | trimSuffix("-") -}}
{% else %}
{% set name = Values.nameOverride | default(Chart.Name) %}
{% if contains(name, Release.Name) %}
{{- Release.Name | trunc(63) | trimSuffix("-") -}}
{% else %}
{{- printf("%s-%s", Release.Name, name) | trunc(63) | trimSuffix("-") -}}
{% endif %}
{% endif %}
{% endmacro %}

{#
Create chart name and version as used by the chart label.
#}
{% macro chart() %}
{{- printf("%s-%s", Chart.Name, Chart.Version) | replace("+", "_") | trunc(63) | trimSuffix("-") -}}
{% endmacro %}

{#
Common labels
#}
{% macro labels() %}
helm.sh/chart: {{ include("chart") }}
{{ include("selectorLabels") }}
{% if Chart.AppVersion %}
app.kubernetes.io/version: {{ Chart.AppVersion | quote }}
{% endif %}
app.kubernetes.io/managed-by: {{ Release.Service }}
{%- endmacro %}

{#
Selector labels
#}
{% macro selectorLabels() %}
app.kubernetes.io/name: {{ include("name") }}
app.kubernetes.io/instance: {{ Release.Name }}
{%- endmacro %}

{#
Create the name of the service account to use
#}
{% macro serviceAccountName() %}
{% if Values.serviceAccount.create %}
{{- Values.serviceAccount.name | default(include("fullname")) -}}
{% else %}
{{- Values.serviceAccount.name | default("default") -}}
{% endif %}
{% endmacro %}
