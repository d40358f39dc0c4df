package cli

import (
	"context"

	"github.com/spf13/cobra"
)

// Verb is what every verb's Options implement, as in
// kubernetes/sample-cli-plugin: Complete reads the flags, arguments and
// factory; Validate checks them without calling the API; Run does the work.
type Verb interface {
	Complete(f *Factory, cmd *cobra.Command, args []string) error
	Validate() error
	Run(ctx context.Context) error
}

// Run is every verb's RunE: Complete, Validate, then Run with the command's
// context (made once by the root; it ends on Ctrl-C or SIGTERM).
func Run(v Verb, f *Factory, cmd *cobra.Command, args []string) error {
	if err := v.Complete(f, cmd, args); err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	ctx := cmd.Context()
	if ctx == nil { // a command executed without ExecuteContext
		ctx = context.Background()
	}
	return v.Run(ctx)
}
