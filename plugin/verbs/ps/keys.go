package ps

import "github.com/kubectl-drunc/kubectl-drunc/plugin/session"

// keys are drunc's default label keys (settings.labels.drunc_label).
func keys() session.LabelKeys { return session.Keys("") }
