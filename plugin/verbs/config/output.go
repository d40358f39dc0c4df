package config

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"k8s.io/cli-runtime/pkg/printers"
	"sigs.k8s.io/yaml"
)

// checkOutput accepts the -o values these commands print.
func checkOutput(format string) error {
	switch format {
	case "", "wide", "json", "yaml", "name":
		return nil
	}
	return fmt.Errorf("--output %q is not supported; use wide, json, yaml or name", format)
}

// printData writes v as JSON or YAML (kubectl's indentation).
func printData(w io.Writer, format string, v any) error {
	if format == "yaml" {
		out, err := yaml.Marshal(v)
		if err != nil {
			return err
		}
		_, err = w.Write(out)
		return err
	}
	out, err := json.MarshalIndent(v, "", "    ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", out)
	return err
}

// printTable writes rows under headers with kubectl's column layout.
func printTable(w io.Writer, headers []string, rows [][]string) error {
	tw := printers.GetNewTabWriter(w)
	fmt.Fprintln(tw, strings.Join(headers, "\t"))
	for _, r := range rows {
		for i, cell := range r {
			if cell == "" {
				r[i] = "<none>"
			}
		}
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}
