package cli

import "github.com/spf13/cobra"

// AddBuiltins adds cobra's help and completion commands at once (cobra would
// add them only when executing), with kubectl drunc examples, so they appear
// in the generated reference and follow the same conventions as the verbs.
func AddBuiltins(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		switch c.Name() {
		case "help":
			c.Example = "  kubectl drunc help ps"
		case "completion":
			c.Example = `  # kubectl drunc <TAB> (kubectl >= 1.26): put the kubectl_complete-drunc
  # shim from the release archive on your PATH, next to kubectl-drunc.

  # Completion for the kubectl-drunc command itself, in bash
  source <(kubectl drunc completion bash)`
			for _, sh := range c.Commands() {
				sh.Example = completionExamples[sh.Name()]
			}
		}
	}
}

var completionExamples = map[string]string{
	"bash": `  source <(kubectl drunc completion bash)
  kubectl drunc completion bash > /etc/bash_completion.d/kubectl-drunc`,
	"zsh":        `  kubectl drunc completion zsh > "${fpath[1]}/_kubectl-drunc"`,
	"fish":       `  kubectl drunc completion fish > ~/.config/fish/completions/kubectl-drunc.fish`,
	"powershell": `  kubectl drunc completion powershell | Out-String | Invoke-Expression`,
}
