package diff

import (
	"encoding/json"
	"io"

	"sigs.k8s.io/yaml"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessiondiff"
)

// write prints the report: for people ("") or as json or yaml.
func write(w io.Writer, rep *sessiondiff.Report, format string) error {
	switch format {
	case "json":
		b, err := json.MarshalIndent(rep, "", "    ")
		if err != nil {
			return err
		}
		_, err = w.Write(append(b, '\n'))
		return err
	case "yaml":
		b, err := yaml.Marshal(rep)
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	}
	return rep.WriteHuman(w)
}
