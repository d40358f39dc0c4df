package cli

// Build information, injected with -ldflags -X by the Makefile
// (github.com/kubectl-drunc/kubectl-drunc/plugin/cli.Version=v1.2.3 ...).
var (
	Version = "v0.0.0-dev"
	Commit  = "unknown"
	Date    = "unknown"
)

// UserAgent is what every request of the plugin carries, so apiserver audit
// logs tell kubectl-drunc apart from kubectl.
func UserAgent() string { return "kubectl-drunc/" + Version }
