package cli

import (
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// LabelDomainFlag names drunc's settings.labels.drunc_label on the command
// line: a site whose process manager labels pods creator.<its domain>
// passes it to every verb, or they see no processes.
const LabelDomainFlag = "drunc-label"

// AddLabelDomainFlag registers --drunc-label.
func AddLabelDomainFlag(fs *pflag.FlagSet, domain *string) {
	fs.StringVar(domain, LabelDomainFlag, session.DefaultLabelDomain,
		"drunc's label domain (settings.labels.drunc_label of its process-manager configuration): processes are the pods labelled creator.<domain>")
}

// CheckLabelDomainFlag checks the value given to --drunc-label; the error
// names the flag.
func CheckLabelDomainFlag(domain string) error {
	if err := session.CheckLabelDomain(domain); err != nil {
		return fmt.Errorf("--%s: %v", LabelDomainFlag, err)
	}
	return nil
}

// labelKeys are the keys of the command's --drunc-label (the default where
// the command has none or it is invalid: completion never fails loudly).
func labelKeys(cmd *cobra.Command) session.LabelKeys {
	if fl := cmd.Flags().Lookup(LabelDomainFlag); fl != nil && session.CheckLabelDomain(fl.Value.String()) == nil {
		return session.Keys(fl.Value.String())
	}
	return session.Keys("")
}
