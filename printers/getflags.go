// This file is a port of k8s.io/kubectl v0.37.2 pkg/cmd/get/get_flags.go,
// humanreadable_flags.go and customcolumn_flags.go (Copyright 2018 The
// Kubernetes Authors, Apache License 2.0): kubectl get's PrintFlags,
// HumanPrintFlags and CustomColumnsPrintFlags, without --sort-by and
// --show-kind (the process table's order is the control tree's). Importing
// that package cost every command ~50 ms at startup: its package variables
// load kubectl's translations and render its help as markdown. Keep the
// flags, their help and the printer chosen for each -o identical to it.

package printers

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/printers"
)

// getPrintFlags are kubectl get's output flags (get.PrintFlags).
type getPrintFlags struct {
	JSONYamlPrintFlags *genericclioptions.JSONYamlPrintFlags
	NamePrintFlags     *genericclioptions.NamePrintFlags
	TemplateFlags      *genericclioptions.KubeTemplatePrintFlags

	// ShowLabels and ColumnLabels are get.HumanPrintFlags' --show-labels and -L.
	ShowLabels   bool
	ColumnLabels []string

	NoHeaders    bool
	OutputFormat string
}

func newGetPrintFlags() *getPrintFlags {
	return &getPrintFlags{
		JSONYamlPrintFlags: genericclioptions.NewJSONYamlPrintFlags(),
		NamePrintFlags:     genericclioptions.NewNamePrintFlags(""),
		TemplateFlags:      genericclioptions.NewKubeTemplatePrintFlags(),
		ColumnLabels:       []string{},
	}
}

// customColumnsFormats are the -o values of the custom-columns printer.
var customColumnsFormats = []string{"custom-columns", "custom-columns-file"}

// AllowedFormats lists every -o value, in kubectl get's order.
func (f *getPrintFlags) AllowedFormats() []string {
	formats := f.JSONYamlPrintFlags.AllowedFormats()
	formats = append(formats, f.NamePrintFlags.AllowedFormats()...)
	formats = append(formats, f.TemplateFlags.AllowedFormats()...)
	formats = append(formats, customColumnsFormats...)
	return append(formats, "wide")
}

// ToPrinter returns the printer of the flags' format, trying the printers
// in kubectl get's order.
func (f *getPrintFlags) ToPrinter() (printers.ResourcePrinter, error) {
	outputFormat := f.OutputFormat
	// As kubectl get: --template alone means -o go-template.
	template := f.TemplateFlags.TemplateArgument
	if template != nil && len(*template) > 0 && len(outputFormat) == 0 {
		outputFormat = "go-template"
	}
	if p, err := f.TemplateFlags.ToPrinter(outputFormat); !genericclioptions.IsNoCompatiblePrinterError(err) {
		return p, err
	}
	if p, err := f.JSONYamlPrintFlags.ToPrinter(outputFormat); !genericclioptions.IsNoCompatiblePrinterError(err) {
		return p, err
	}
	if outputFormat == "" || outputFormat == "wide" {
		return printers.NewTablePrinter(printers.PrintOptions{
			NoHeaders:    f.NoHeaders,
			Wide:         outputFormat == "wide",
			ColumnLabels: f.ColumnLabels,
			ShowLabels:   f.ShowLabels,
		}), nil
	}
	templateArgument := ""
	if template != nil {
		templateArgument = *template
	}
	if p, err := customColumnsPrinter(outputFormat, templateArgument, f.NoHeaders); !genericclioptions.IsNoCompatiblePrinterError(err) {
		return p, err
	}
	if p, err := f.NamePrintFlags.ToPrinter(outputFormat); !genericclioptions.IsNoCompatiblePrinterError(err) {
		return p, err
	}
	return nil, genericclioptions.NoCompatiblePrinterError{OutputFormat: &outputFormat, AllowedFormats: f.AllowedFormats()}
}

// customColumnsPrinter is get.CustomColumnsPrintFlags.ToPrinter: the
// columns come from -o custom-columns=SPEC, -o custom-columns-file=FILE, or
// --template with either format.
func customColumnsPrinter(format, templateArgument string, noHeaders bool) (printers.ResourcePrinter, error) {
	if len(format) == 0 {
		return nil, genericclioptions.NoCompatiblePrinterError{}
	}
	value := templateArgument
	if len(value) == 0 {
		for _, known := range customColumnsFormats {
			if v, ok := strings.CutPrefix(format, known+"="); ok {
				format, value = known, v
				break
			}
		}
	}
	if !slices.Contains(customColumnsFormats, format) {
		return nil, genericclioptions.NoCompatiblePrinterError{OutputFormat: &format, AllowedFormats: customColumnsFormats}
	}
	if len(value) == 0 {
		return nil, fmt.Errorf("custom-columns format specified but no custom columns given")
	}
	if format == "custom-columns-file" {
		return customColumnsFromFile(value)
	}
	return NewCustomColumnsPrinterFromSpec(value, noHeaders)
}

// AddFlags binds the flags in kubectl get's order, with its help texts.
func (f *getPrintFlags) AddFlags(cmd *cobra.Command) {
	f.JSONYamlPrintFlags.AddFlags(cmd)
	f.NamePrintFlags.AddFlags(cmd)
	f.TemplateFlags.AddFlags(cmd)
	cmd.Flags().BoolVar(&f.ShowLabels, "show-labels", f.ShowLabels, "When printing, show all labels as the last column (default hide labels column)")
	cmd.Flags().StringSliceVarP(&f.ColumnLabels, "label-columns", "L", f.ColumnLabels, "Accepts a comma separated list of labels that are going to be presented as columns. Names are case-sensitive. You can also use multiple flag options like -L label1 -L label2...")
	cmd.Flags().StringVarP(&f.OutputFormat, "output", "o", f.OutputFormat, fmt.Sprintf(`Output format. One of: (%s). See custom columns [https://kubernetes.io/docs/reference/kubectl/#custom-columns], golang template [http://golang.org/pkg/text/template/#pkg-overview] and jsonpath template [https://kubernetes.io/docs/reference/kubectl/jsonpath/].`, strings.Join(f.AllowedFormats(), ", ")))
	if err := cmd.RegisterFlagCompletionFunc("output", func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		return f.completeOutput(toComplete), cobra.ShellCompDirectiveNoFileComp
	}); err != nil {
		panic(err) // only when -o is bound twice: a programming error
	}
	cmd.Flags().BoolVar(&f.NoHeaders, "no-headers", f.NoHeaders, "When using the default or custom-column output format, don't print headers (default print headers).")
}

// completeOutput is the -o values that start with what was typed.
func (f *getPrintFlags) completeOutput(toComplete string) []string {
	var comps []string
	for _, format := range f.AllowedFormats() {
		if strings.HasPrefix(format, toComplete) {
			comps = append(comps, format)
		}
	}
	return comps
}
