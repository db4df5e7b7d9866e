{% macro a() %}{{ tpl(Values.again) }}{% endmacro %}
