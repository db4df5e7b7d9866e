{#
Names and labels, read from the calling chart's context (include passes it on).
#}

{# The chart name, or nameOverride, cut to the 63 characters of a DNS label. #}
{% macro name() %}
{{- Values.nameOverride | default(Chart.Name) | trunc(63) | trimSuffix("-") -}}
{% endmacro %}

{# <release>-<chart>, or the release name alone when it already holds the chart name. #}
{% macro fullname() %}
{% if Values.fullnameOverride %}
{{- Values.fullnameOverride | trunc(63) | trimSuffix("-") -}}
{% else %}
{% set n = Values.nameOverride | default(Chart.Name) %}
{% if contains(n, Release.Name) %}
{{- Release.Name | trunc(63) | trimSuffix("-") -}}
{% else %}
{{- printf("%s-%s", Release.Name, n) | trunc(63) | trimSuffix("-") -}}
{% endif %}
{% endif %}
{% endmacro %}

{# The helm.sh/chart label value. #}
{% macro chart() %}
{{- printf("%s-%s", Chart.Name, Chart.Version) | replace("+", "_") | trunc(63) | trimSuffix("-") -}}
{% endmacro %}

{# Labels that select the pods of this release and chart. #}
{% macro selectorLabels() %}
app.kubernetes.io/name: {{ name() }}
app.kubernetes.io/instance: {{ Release.Name }}
{%- endmacro %}

{# The standard labels of every object. #}
{% macro labels() %}
helm.sh/chart: {{ chart() }}
{{ selectorLabels() }}
{% if Chart.AppVersion %}
app.kubernetes.io/version: {{ Chart.AppVersion | quote }}
{% endif %}
app.kubernetes.io/managed-by: {{ Release.Service }}
{%- endmacro %}
