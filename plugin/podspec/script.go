package podspec

import (
	"strings"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/shell"
)

// PodIPVar is the variable the root controller's grpc:// addresses are
// rewritten to; the pod gets it from the Downward API (status.podIP).
const PodIPVar = "POD_IP"

// lcsTrap keeps gunicorn under a shell that stops it promptly on TERM/QUIT,
// as drunc wraps the connection server.
const lcsTrap = "trap 'kill -KILL $child; wait $child; exit 0' TERM QUIT; "

// Script is the bash program of a process's container, as drunc builds it:
// executables joined with " && ", the last one exec'ed (so the DAQ program
// is PID 1 and gets the pod's signals) unless it is `source` or the process
// is the connection server; output appended to the log file through tee.
// Unlike drunc, every argument is shell-quoted so it reaches the program
// verbatim; Executable.Shell text is appended unquoted, as drunc does with
// everything. For the root controller, grpc://HOST:PORT becomes
// grpc://${POD_IP}:PORT (HOST is the node; the pod is not on the host
// network), left expandable.
func Script(p *session.Process) string {
	root := p.Role() == session.RoleRootController
	lcs := isLCS(p)
	parts := make([]string, 0, len(p.Executables))
	for i, e := range p.Executables {
		var b strings.Builder
		if i == len(p.Executables)-1 && !isSource(e.Exec) && !lcs {
			b.WriteString("exec ")
		}
		b.WriteString(shell.QuoteCommand(e.Exec))
		for _, a := range e.Args {
			b.WriteByte(' ')
			if root {
				b.WriteString(quoteWithPodIP(a))
			} else {
				b.WriteString(shell.Quote(a))
			}
		}
		if e.Shell != "" {
			text := e.Shell
			if root {
				text = grpcAddress.ReplaceAllString(text, "${1}$${"+PodIPVar+"}${3}")
			}
			b.WriteString(" " + text)
		}
		parts = append(parts, b.String())
	}
	chain := strings.Join(parts, " && ")
	redirect := ""
	if p.LogPath != "" {
		redirect = "exec > >(tee -a " + shell.Quote(p.LogPath) + ") 2>&1; "
	}
	if lcs {
		return redirect + lcsTrap + chain + " & child=$!; wait $child"
	}
	return redirect + chain
}

func isSource(exec string) bool { return exec == "source" || exec == "." }

// quoteWithPodIP quotes an argument as one word in which every
// grpc://HOST:PORT has HOST replaced by an expansion of ${POD_IP}.
func quoteWithPodIP(a string) string {
	matches := grpcAddress.FindAllStringSubmatchIndex(a, -1)
	if matches == nil {
		return shell.Quote(a)
	}
	var b strings.Builder
	last := 0
	for _, m := range matches {
		// m[3] ends "grpc://", m[6] starts ":PORT".
		if lit := a[last:m[3]]; lit != "" {
			b.WriteString(shell.Quote(lit))
		}
		b.WriteString(shell.Var(PodIPVar))
		last = m[6]
	}
	if lit := a[last:]; lit != "" {
		b.WriteString(shell.Quote(lit))
	}
	return b.String()
}
