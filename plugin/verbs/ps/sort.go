package ps

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	dprinters "github.com/kubectl-drunc/kubectl-drunc/printers"
)

// columnOrders are the table columns --sort-by accepts by name, compared
// as shown (EXIT numerically, a process without one first; AGE as
// .metadata.creationTimestamp, oldest first).
var columnOrders = map[string]func(a, b *process.View) int{
	"NAME":     func(a, b *process.View) int { return strings.Compare(a.Name, b.Name) },
	"ROLE":     func(a, b *process.View) int { return strings.Compare(string(a.Role), string(b.Role)) },
	"HOST":     func(a, b *process.View) int { return strings.Compare(a.Host, b.Host) },
	"STATUS":   func(a, b *process.View) int { return strings.Compare(a.Status, b.Status) },
	"EXIT":     func(a, b *process.View) int { return cmp.Compare(exitOrder(a), exitOrder(b)) },
	"RESTARTS": func(a, b *process.View) int { return cmp.Compare(a.Restarts, b.Restarts) },
	"AGE":      func(a, b *process.View) int { return a.Created.Compare(b.Created) },
	"SESSION":  func(a, b *process.View) int { return strings.Compare(a.Session, b.Session) },
}

func exitOrder(v *process.View) int64 {
	if v.Exit == nil {
		return -1 << 40
	}
	return int64(*v.Exit)
}

// sortColumn returns the table column --sort-by names, nil when it is a
// JSONPath over the pod.
func sortColumn(sortBy string) func(a, b *process.View) int {
	return columnOrders[strings.ToUpper(sortBy)]
}

// sortViews orders the views by --sort-by, stably: a table column by what
// it shows, else a JSONPath over the pod as kubectl get --sort-by does
// (e.g. '{.spec.nodeName}' or .metadata.creationTimestamp).
func sortViews(views []process.View, sortBy string) error {
	if by := sortColumn(sortBy); by != nil {
		slices.SortStableFunc(views, func(a, b process.View) int { return by(&a, &b) })
		return nil
	}
	objs := make([]runtime.Object, len(views))
	for i := range views {
		u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(views[i].Pod)
		if err != nil {
			return err
		}
		objs[i] = &unstructured.Unstructured{Object: u}
	}
	order, err := dprinters.SortByJSONPath(objs, sortBy)
	if err != nil {
		return fmt.Errorf("--sort-by %q: %v; give a JSONPath over the pod (e.g. '{.spec.nodeName}') or a column: %s", sortBy, err, columnNames())
	}
	sorted := make([]process.View, len(views))
	for i, from := range order {
		sorted[i] = views[from]
	}
	copy(views, sorted)
	return nil
}

func columnNames() string { return strings.Join(sortColumnNames(), ", ") }

func sortColumnNames() []string {
	names := make([]string, 0, len(columnOrders))
	for n := range columnOrders {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
