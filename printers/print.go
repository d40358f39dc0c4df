package printers

import (
	"io"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/cli-runtime/pkg/printers"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
)

// Print writes the processes: the table for human formats, else a v1 List
// of their pods in tree order (what kubectl get prints for several pods).
func Print(w io.Writer, f *Flags, p printers.ResourcePrinter, views []process.View, o TableOptions) error {
	switch {
	case f.Human():
		return p.PrintObj(TableOf(views, o), w)
	case f.Format() == "name":
		// kubectl's name printer takes one object at a time.
		for _, item := range listOf(views, o.KeepOrder).Items {
			if err := p.PrintObj(item.Object, w); err != nil {
				return err
			}
		}
		return nil
	}
	return p.PrintObj(listOf(views, o.KeepOrder), w)
}

// ListOf is the pods of the views as a v1 List, in tree order.
func ListOf(views []process.View) *corev1.List { return listOf(views, false) }

func listOf(views []process.View, keepOrder bool) *corev1.List {
	ordered := append([]process.View(nil), views...)
	if !keepOrder {
		process.SortTree(ordered)
	}
	l := &corev1.List{Items: make([]runtime.RawExtension, len(ordered))}
	l.APIVersion, l.Kind = "v1", "List"
	for i := range ordered {
		l.Items[i] = runtime.RawExtension{Object: Typed(ordered[i].Pod)}
	}
	return l
}
