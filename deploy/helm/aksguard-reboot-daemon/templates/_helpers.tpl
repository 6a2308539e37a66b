{{/* The name every object carries, and the label the aksguard scanner recognises the daemon by. */}}
{{- define "aksguard-reboot-daemon.name" -}}aksguard-reboot-daemon{{- end -}}

{{- define "aksguard-reboot-daemon.labels" -}}
app.kubernetes.io/name: aksguard-reboot-daemon
app.kubernetes.io/part-of: aksguard
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* A digest reference is kept whole (repository@sha256:…); a tag is joined with ':'. */}}
{{- define "aksguard-reboot-daemon.image" -}}
{{- $tag := toString .Values.image.tag -}}
{{- if hasPrefix "@" $tag -}}{{ .Values.image.repository }}{{ $tag }}{{- else -}}{{ .Values.image.repository }}:{{ $tag }}{{- end -}}
{{- end -}}

{{/*
Every set daemon value as --name=value, as `aksguard deploy reboot-daemon` passes it: lists repeat the flag, empty
strings and empty lists are left out (the daemon's default applies).
*/}}
{{- define "aksguard-reboot-daemon.args" -}}
- reboot-daemon
{{- range $name, $value := .Values.daemon }}
{{- if kindIs "slice" $value }}
{{- range $value }}
- {{ printf "--%s=%v" $name . | quote }}
{{- end }}
{{- else if and (not (kindIs "invalid" $value)) (ne (toString $value) "") }}
- {{ printf "--%s=%v" $name $value | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
nsenter into PID 1's mount namespace (the reboot command, a sentinel command) needs a privileged container; the
signal method needs only CAP_KILL. Root either way: Kubernetes gives added capabilities to root only.
*/}}
{{- define "aksguard-reboot-daemon.securityContext" -}}
{{- if or (eq (toString (index .Values.daemon "reboot-method")) "command") (ne (toString (index .Values.daemon "reboot-sentinel-command")) "") }}
privileged: true
readOnlyRootFilesystem: true
runAsUser: 0
runAsNonRoot: false
{{- else }}
privileged: false
allowPrivilegeEscalation: false
capabilities:
  drop: [ALL]
  add: [KILL]
readOnlyRootFilesystem: true
runAsUser: 0
runAsNonRoot: false
{{- end }}
{{- end -}}
