{#
NocoBase's environment, split between the ConfigMap (plain settings) and the Secret
(passwords), so that nothing secret ever lands in a ConfigMap.
#}

{# Names that are secret wherever they come from, configMap.data included. #}
{% set secretKeys = ["DB_PASSWORD", "NOCOBASE_PKG_USERNAME", "NOCOBASE_PKG_PASSWORD"] %}

{# redis://<host>:<port>, with the host templated (an umbrella passes release-based names). #}
{% macro redisBase() %}
{{- "redis://" ~ tpl(Values.redis.host | string) ~ ":" ~ Values.redis.port -}}
{% endmacro %}

{# The ConfigMap's data, as YAML. #}
{% macro configData() %}
{% set data = {
  "TZ": Values.timezone | string,
  "CACHE_DEFAULT_STORE": "redis",
  "DB_DIALECT": Values.database.dialect | string,
  "DB_HOST": tpl(Values.database.host | string),
  "DB_PORT": printf("%v", Values.database.port),
  "DB_DATABASE": Values.database.database | string,
  "DB_USER": Values.database.user | string,
  "DB_UNDERSCORED": printf("%v", Values.database.underscored),
} %}
{% if not Values.redis.existingSecret %}
{% set data = mergeOverwrite(data, {
  "CACHE_REDIS_URL": Values.redis.cacheUrl or redisBase() ~ "/0",
  "PUBSUB_ADAPTER_REDIS_URL": Values.redis.pubsubUrl or redisBase() ~ "/1",
  "LOCK_ADAPTER_REDIS_URL": Values.redis.lockUrl or redisBase() ~ "/2",
}) %}
{% endif %}
{% set extra = namespace(data={}) %}
{% for key, value in (Values.configMap.data or {}) | items %}
{% if key not in secretKeys %}
{% set extra.data = mergeOverwrite(extra.data, dict(key, printf("%v", value))) %}
{% endif %}
{% endfor %}
{{- mergeOverwrite(data, extra.data) | toYaml -}}
{% endmacro %}

{# The Secret's data (base64), as YAML; empty when every secret comes from elsewhere. #}
{% macro secretData() %}
{% set plain = namespace(data={}) %}
{% if not Values.database.existingSecret %}
{% set plain.data = mergeOverwrite(plain.data, {"DB_PASSWORD": Values.database.password | string}) %}
{% endif %}
{% if not Values.pkg.existingSecret and Values.pkg.username %}
{% set plain.data = mergeOverwrite(plain.data, {
  "NOCOBASE_PKG_USERNAME": Values.pkg.username | string,
  "NOCOBASE_PKG_PASSWORD": Values.pkg.password | string,
}) %}
{% endif %}
{% for key, value in (Values.configMap.data or {}) | items %}
{% if key in secretKeys %}
{% set plain.data = mergeOverwrite(plain.data, dict(key, printf("%v", value))) %}
{% endif %}
{% endfor %}
{% set encoded = namespace(data={}) %}
{% for key, value in plain.data | items %}
{% set encoded.data = mergeOverwrite(encoded.data, dict(key, value | b64enc)) %}
{% endfor %}
{{- encoded.data | toYaml if encoded.data else "" -}}
{% endmacro %}
