{% macro hello() %}hello from {{ Chart.Name }} for {{ Release.Name }}{% endmacro %}
