package session

import (
	"sort"
	"strconv"
	"strings"
)

// Stage is a group of processes that may boot together once every earlier
// stage is Ready.
type Stage struct {
	Name      string
	Processes []Process
}

// The stage names, in boot order.
const (
	StageConnectionServer = "local-connection-server"
	StageInfrastructure   = "infrastructure-applications"
	StageRootController   = "root-controller"
	StageTree             = "applications"
)

// Stages returns the boot order as drunc boots a session: the local
// connection server first (everything resolves "localhost" to it), then the
// other infrastructure, then the root controller, then every other process
// in tree order. Processes inside the last stage do not depend on each
// other, so an executor may create them in parallel. Empty stages are left
// out.
func (s *Session) Stages() []Stage {
	var lcs, infra, root, rest []Process
	for _, p := range s.Processes {
		switch r := p.Role(); {
		case r == RoleInfrastructure && p.IsLCS():
			lcs = append(lcs, p)
		case r == RoleInfrastructure:
			infra = append(infra, p)
		case r == RoleRootController:
			root = append(root, p)
		default:
			rest = append(rest, p)
		}
	}
	sortByTree(infra)
	sortByTree(rest)
	var out []Stage
	for _, st := range []Stage{
		{StageConnectionServer, lcs}, {StageInfrastructure, infra},
		{StageRootController, root}, {StageTree, rest},
	} {
		if len(st.Processes) > 0 {
			out = append(out, st)
		}
	}
	return out
}

// Ordered returns the processes in boot order (Stages flattened).
func (s *Session) Ordered() []Process {
	var out []Process
	for _, st := range s.Stages() {
		out = append(out, st.Processes...)
	}
	return out
}

// sortByTree orders by tree id numerically, parents before children
// ("0.2" < "0.10", "0.1" < "0.1.0"); processes without a tree id go last,
// in file order.
func sortByTree(ps []Process) {
	sort.SliceStable(ps, func(i, j int) bool { return TreeLess(ps[i].TreeID, ps[j].TreeID) })
}

// TreeLess compares tree ids numerically component by component; an empty
// id sorts after every other.
func TreeLess(a, b string) bool {
	if a == "" || b == "" {
		return a != "" && b == ""
	}
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for k := 0; k < len(as) && k < len(bs); k++ {
		x, errx := strconv.Atoi(as[k])
		y, erry := strconv.Atoi(bs[k])
		if errx != nil || erry != nil {
			if as[k] != bs[k] {
				return as[k] < bs[k]
			}
			continue
		}
		if x != y {
			return x < y
		}
	}
	return len(as) < len(bs)
}
