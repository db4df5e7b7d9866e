{# The headless Service that gives each pod a stable DNS name (<pod>.<headless>). #}
{% macro headless() %}
{{- include("common.fullname") ~ "-headless" -}}
{% endmacro %}

{# The Secret that holds the password. #}
{% macro secretName() %}
{{- tpl(Values.auth.existingSecret) if Values.auth.existingSecret else include("common.fullname") -}}
{% endmacro %}
