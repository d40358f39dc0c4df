package boot

import (
	"io"

	"k8s.io/apimachinery/pkg/runtime"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	dprinters "github.com/kubectl-drunc/kubectl-drunc/printers"
)

// Print writes the objects of a dry run in creation order, the namespace,
// then each process's pod and service in boot order, through printers/
// (kubectl's yaml, json and name printers; the default is kubectl's
// "created (dry run)").
func Print(w io.Writer, objs *podspec.Objects, format string) error {
	list := []runtime.Object{objs.Namespace}
	for _, p := range objs.Processes {
		list = append(list, p.Pod, p.Service)
	}
	return dprinters.PrintObjects(w, list, format, "created (dry run)")
}
