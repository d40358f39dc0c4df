// Package printers prints processes the way kubectl prints pods: a
// metav1.Table through cli-runtime's table printer for humans (so -o wide,
// --no-headers, --show-labels and -L behave as in kubectl), and the pods
// themselves for -o json|yaml|name|jsonpath|custom-columns|go-template.
package printers

import (
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/duration"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
)

// TableOptions choose the optional columns.
type TableOptions struct {
	// WithSession adds the SESSION column (ps -A).
	WithSession bool
	// WithRestarts adds RESTARTS; TableOf sets it when any process restarted.
	WithRestarts bool
	// Now is the time AGE is computed from (tests fix it).
	Now time.Time
	// KeepOrder prints the views in the order given (ps --sort-by)
	// instead of the control tree's, names not indented.
	KeepOrder bool
}

// none is what an empty cell shows, as kubectl does.
const none = "<none>"

// Columns are the process table's columns; priority 1 ones are -o wide's.
func Columns(o TableOptions) []metav1.TableColumnDefinition {
	var cols []metav1.TableColumnDefinition
	add := func(name, typ, desc string, priority int32) {
		cols = append(cols, metav1.TableColumnDefinition{Name: name, Type: typ, Description: desc, Priority: priority})
	}
	if o.WithSession {
		add("Session", "string", "The session (namespace) of the process.", 0)
	}
	add("Name", "string", "The process name, indented by its level in the control tree (not when sorted by --sort-by).", 0)
	add("Role", "string", "root-controller, segment-controller, application, infrastructure-applications or unknown.", 0)
	add("Host", "string", "The host the process is pinned to (else the node it runs on).", 0)
	add("Status", "string", "What kubectl get pods shows as STATUS, plus Unschedulable and NotReady.", 0)
	add("Exit", "string", "The exit code once the process terminated.", 0)
	if o.WithRestarts {
		add("Restarts", "integer", "How many times the container restarted.", 0)
	}
	add("Age", "string", "Time since the pod was created.", 0)
	add("UUID", "string", "The drunc process uuid.", 1)
	add("Tree-ID", "string", "The position in the control tree.", 1)
	add("User", "string", "The user who booted the process.", 1)
	add("IP", "string", "The pod IP.", 1)
	add("Executable", "string", "The program the process runs.", 1)
	return cols
}

// TableOf builds the table of views, in tree order, and decides the
// RESTARTS column from them.
func TableOf(views []process.View, o TableOptions) *metav1.Table {
	ordered := append([]process.View(nil), views...)
	if !o.KeepOrder {
		process.SortTree(ordered)
	}
	for i := range ordered {
		if ordered[i].Restarts > 0 {
			o.WithRestarts = true
		}
	}
	t := &metav1.Table{ColumnDefinitions: Columns(o)}
	t.Rows = make([]metav1.TableRow, len(ordered))
	for i := range ordered {
		t.Rows[i] = Row(&ordered[i], o)
	}
	return t
}

// Row is one process. Its Object is the pod (with apiVersion/kind), which
// --show-labels and -L read.
func Row(v *process.View, o TableOptions) metav1.TableRow {
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	var cells []any
	if o.WithSession {
		cells = append(cells, v.Session)
	}
	exit := none
	if v.Exit != nil {
		exit = strconv.Itoa(int(*v.Exit))
	}
	name := strings.Repeat("  ", v.Depth()) + v.Name
	if o.KeepOrder { // sorted rows are no tree: an indent would read as a parent above
		name = v.Name
	}
	cells = append(cells, name, string(v.Role), orNone(v.Host), v.Status, exit)
	if o.WithRestarts {
		cells = append(cells, int64(v.Restarts))
	}
	cells = append(cells, age(v.Created, now),
		orNone(v.UUID), orNone(v.TreeID), orNone(v.User), orNone(v.IP), orNone(v.Executable))
	return metav1.TableRow{Cells: cells, Object: runtime.RawExtension{Object: Typed(v.Pod)}}
}

// Typed returns the pod with apiVersion and kind set, as printers require
// of typed objects. It copies only the top level: cached pods are shared.
func Typed(pod *corev1.Pod) *corev1.Pod {
	if pod == nil {
		return nil
	}
	p := *pod
	p.APIVersion, p.Kind = "v1", "Pod"
	return &p
}

func orNone(s string) string {
	if s == "" {
		return none
	}
	return s
}

// age is kubectl's AGE: a short human duration.
func age(created, now time.Time) string {
	if created.IsZero() {
		return "<unknown>"
	}
	return duration.HumanDuration(now.Sub(created))
}
