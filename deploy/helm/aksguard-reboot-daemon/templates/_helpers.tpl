{{/* The name every object carries, and the label the aksguard scanner recognises the daemon by. */}}
{{- define "aksguard-reboot-daemon.name" -}}aksguard-reboot-daemon{{- end -}}

{{- define "aksguard-reboot-daemon.labels" -}}
app.kubernetes.io/name: aksguard-reboot-daemon
app.kubernetes.io/part-of: aksguard
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* repository, then :tag and @digest when set (a digest pins the image; the tag is then only a label). */}}
{{- define "aksguard-reboot-daemon.image" -}}
{{- $ref := .Values.image.repository -}}
{{- with .Values.image.tag }}{{ $ref = printf "%s:%v" $ref . }}{{ end -}}
{{- with .Values.image.digest }}{{ $ref = printf "%s@%s" $ref . }}{{ end -}}
{{- $ref -}}
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
