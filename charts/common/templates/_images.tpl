{#
Images and pull secrets, honouring the global values an umbrella chart sets.
#}

{# registry/repository:tag; the registry is image.registry, else global.imageRegistry. #}
{% macro image() %}
{% set registry = Values.image.registry | default(Values.global.imageRegistry) | default("") %}
{% set tag = Values.image.tag | default(Chart.AppVersion) %}
{{- (registry ~ "/" if registry else "") ~ Values.image.repository ~ ":" ~ tag -}}
{% endmacro %}

{# An imagePullSecrets block (global ones first, no repeats), or nothing. #}
{% macro imagePullSecrets() %}
{% set seen = namespace(names=[]) %}
{% for s in (Values.global.imagePullSecrets or []) + (Values.imagePullSecrets or []) %}
{% set n = s.name if s is mapping else s %}
{% if n not in seen.names %}{% set seen.names = seen.names + [n] %}{% endif %}
{% endfor %}
{% if seen.names %}
imagePullSecrets:
{% for n in seen.names %}
  - name: {{ n }}
{% endfor %}
{% endif %}
{%- endmacro %}
