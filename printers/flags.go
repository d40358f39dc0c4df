package printers

import (
	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/printers"
)

// Flags are kubectl get's output flags: -o (wide, json, yaml, name,
// jsonpath, custom-columns, go-template...), --no-headers, --show-labels,
// -L, --template. Sorting is the tree's, so --sort-by is not offered.
type Flags struct {
	get *getPrintFlags
}

// NewFlags returns the output flags with kubectl's defaults.
func NewFlags() *Flags { return &Flags{get: newGetPrintFlags()} }

// AddFlags binds the flags to a verb.
func (f *Flags) AddFlags(cmd *cobra.Command) { f.get.AddFlags(cmd) }

// Format is the -o value ("" for the default table).
func (f *Flags) Format() string {
	format := f.get.OutputFormat
	if format == "" && f.get.TemplateFlags.TemplateArgument != nil && *f.get.TemplateFlags.TemplateArgument != "" {
		return "go-template"
	}
	return format
}

// Human tells whether the output is the process table (default or wide).
func (f *Flags) Human() bool {
	format := f.Format()
	return format == "" || format == "wide"
}

// NeedsFullObjects tells whether the output may print any pod field, so
// the cache must not trim pods.
func (f *Flags) NeedsFullObjects() bool {
	return !f.Human() && f.Format() != "name"
}

// ToPrinter validates the flags and returns the printer.
func (f *Flags) ToPrinter() (printers.ResourcePrinter, error) { return f.get.ToPrinter() }

// ShowManagedFields tells whether --show-managed-fields asks for them.
func (f *Flags) ShowManagedFields() bool {
	return f.get.JSONYamlPrintFlags.ShowManagedFields
}
