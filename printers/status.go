package printers

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/cli-runtime/pkg/printers"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/health"
)

// PrintStatus writes `kubectl drunc status`'s screen: one line per session
// with all (-A), else the session's problems first, then its hosts with
// problems, the processes that restarted, and counts by state and role.
// Every section is a metav1.Table printed by kubectl's table printer.
func PrintStatus(w io.Writer, r *health.Report, all bool, now time.Time) error {
	p := printers.NewTablePrinter(printers.PrintOptions{})
	if all {
		return p.PrintObj(sessionsTable(r), w)
	}
	for i := range r.Sessions {
		s := &r.Sessions[i]
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w, headline(s))
		for _, t := range []*metav1.Table{problemsTable(s, now), hostsTable(s), restartedTable(s, now), statesTable(s), rolesTable(s)} {
			if len(t.Rows) == 0 {
				continue
			}
			fmt.Fprintln(w)
			if err := printers.NewTablePrinter(printers.PrintOptions{}).PrintObj(t, w); err != nil {
				return err
			}
		}
	}
	return nil
}

func headline(s *health.Session) string {
	if s.Healthy {
		return fmt.Sprintf("Session %s: healthy, %d of %d processes Ready", s.Name, s.Ready, s.Processes)
	}
	return fmt.Sprintf("Session %s: UNHEALTHY, %d of %d processes not Ready", s.Name, s.Processes-s.Ready, s.Processes)
}

func table(cols ...string) *metav1.Table {
	t := &metav1.Table{}
	for _, c := range cols {
		t.ColumnDefinitions = append(t.ColumnDefinitions, metav1.TableColumnDefinition{Name: c, Type: "string"})
	}
	return t
}

func row(t *metav1.Table, cells ...any) { t.Rows = append(t.Rows, metav1.TableRow{Cells: cells}) }

func sessionsTable(r *health.Report) *metav1.Table {
	t := table("Session", "Health", "Processes", "Ready", "Problems", "Hosts")
	for i := range r.Sessions {
		s := &r.Sessions[i]
		health := "Healthy"
		if !s.Healthy {
			health = "Unhealthy"
		}
		var problems []string
		for _, c := range s.States {
			if !c.State.Healthy() {
				problems = append(problems, fmt.Sprintf("%s=%d", StateLabel(c.State, c.ExitCode), c.Count))
			}
		}
		var hosts []string
		for _, h := range s.Hosts {
			hosts = append(hosts, fmt.Sprintf("%s(%s)", h.Name, h.String()))
		}
		row(t, s.Name, health, int64(s.Processes), int64(s.Ready), joinOrNone(problems), joinOrNone(hosts))
	}
	return t
}

// StateLabel is the state as counted: Exited(3) for an exit code.
func StateLabel(s health.State, exit *int32) string {
	if s == health.Exited && exit != nil {
		return fmt.Sprintf("Exited(%d)", *exit)
	}
	return string(s)
}

func problemsTable(s *health.Session, now time.Time) *metav1.Table {
	t := table("Process", "Role", "Host", "State", "Exit", "Restarts", "Reason")
	for _, p := range s.Problems {
		row(t, p.Name, p.Role, orNone(p.Host), string(p.State), exitCell(p.ExitCode), restartsCell(&p, now), why(&p))
	}
	return t
}

// why is the reason, its message, and the last Warning event when it adds
// something.
func why(p *health.Process) string {
	parts := []string{}
	if p.Reason != "" {
		s := p.Reason
		if p.Message != "" {
			s += ": " + p.Message
		}
		parts = append(parts, s)
	}
	if ev := p.LastWarning; ev != nil && ev.Reason != p.Reason && ev.Message != p.Message {
		parts = append(parts, fmt.Sprintf("last warning %s: %s", ev.Reason, ev.Message))
	}
	return joinOrNone(parts)
}

func hostsTable(s *health.Session) *metav1.Table {
	t := table("Host", "Problems", "Processes", "Message")
	for i := range s.Hosts {
		h := &s.Hosts[i]
		row(t, h.Name, h.String(), int64(h.Processes), orNone(h.Message))
	}
	return t
}

func restartedTable(s *health.Session, now time.Time) *metav1.Table {
	t := table("Restarted", "Role", "Host", "Restarts", "Last-Exit")
	for _, p := range s.Restarted {
		row(t, p.Name, p.Role, orNone(p.Host), restartsCell(&p, now), exitCell(p.LastExitCode))
	}
	return t
}

func statesTable(s *health.Session) *metav1.Table {
	t := table("State", "Processes")
	for _, c := range s.States {
		row(t, StateLabel(c.State, c.ExitCode), int64(c.Count))
	}
	return t
}

func rolesTable(s *health.Session) *metav1.Table {
	t := table("Role", "Processes", "Ready")
	for _, c := range s.Roles {
		row(t, orNone(c.Role), int64(c.Processes), int64(c.Ready))
	}
	return t
}

// restartsCell is kubectl get pods' RESTARTS: "2 (5m ago)".
func restartsCell(p *health.Process, now time.Time) string {
	n := strconv.Itoa(int(p.Restarts))
	if p.Restarts > 0 && p.LastRestart != nil {
		n += fmt.Sprintf(" (%s ago)", age(p.LastRestart.Time, now))
	}
	return n
}

func exitCell(code *int32) string {
	if code == nil {
		return none
	}
	return strconv.Itoa(int(*code))
}

func joinOrNone(s []string) string {
	if len(s) == 0 {
		return none
	}
	return strings.Join(s, "; ")
}
