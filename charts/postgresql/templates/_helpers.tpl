{# The headless Service that gives the pod its stable DNS name. #}
{% macro headless() %}
{{- include("common.fullname") ~ "-headless" -}}
{% endmacro %}

{# The Secret that holds the password. #}
{% macro secretName() %}
{{- tpl(Values.auth.existingSecret) if Values.auth.existingSecret else include("common.fullname") -}}
{% endmacro %}
