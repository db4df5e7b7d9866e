{% macro a() %}{{ include("a") }}{% endmacro %}
