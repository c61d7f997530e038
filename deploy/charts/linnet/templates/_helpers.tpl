{{/* The release's full name: "linnet" for a release named linnet (or linnet-something), else "<release>-linnet". */}}
{{- define "linnet.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "linnet.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels on every object of the chart. */}}
{{- define "linnet.commonLabels" -}}
helm.sh/chart: {{ include "linnet.chart" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: linnet
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{/* The controller's pod selector. */}}
{{- define "linnet.selectorLabels" -}}
app.kubernetes.io/name: linnet
app.kubernetes.io/component: controller
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels of the controller's objects (its RBAC included). */}}
{{- define "linnet.labels" -}}
{{ include "linnet.commonLabels" . }}
{{ include "linnet.selectorLabels" . }}
{{- end -}}

{{/* The test loader's pod selector. */}}
{{- define "linnet.testloaderSelectorLabels" -}}
app.kubernetes.io/name: testloader
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "linnet.testloaderLabels" -}}
{{ include "linnet.commonLabels" . }}
{{ include "linnet.testloaderSelectorLabels" . }}
{{- end -}}

{{- define "linnet.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "linnet.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "linnet.image" -}}
{{- printf "%s:%s" .image.repository (default .chart.AppVersion .image.tag) -}}
{{- end -}}
