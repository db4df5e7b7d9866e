listen={{ .Values.app.port | required "app.port is required by extra/required.tpl" }}
