package process

import (
	"cmp"
	"sort"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// SortTree orders processes as the control tree reads: by session, then
// depth-first (a controller, then everything beneath it), siblings in
// tree-id order (the configuration's order, as config processes, boot,
// kill and restart list them; by name for equal ids). Top-level processes
// — tree ids without a parent ("0", "1"), and those whose parent is not
// listed (a filtered selection) — come in tree-id order too, so a selection
// keeps the order it has in the whole session; processes without a tree
// id come last, by name.
//
// Views that all carry a Rank (see Selected) keep the order of their ranks:
// what a filtered selection had in the whole session, whose parents a
// selection may not hold.
func SortTree(views []View) {
	if ranked(views) {
		sort.SliceStable(views, func(i, j int) bool { return views[i].Rank < views[j].Rank })
		return
	}
	bySession := map[string][]int{}
	var sessions []string
	for i := range views {
		s := views[i].Session
		if _, ok := bySession[s]; !ok {
			sessions = append(sessions, s)
		}
		bySession[s] = append(bySession[s], i)
	}
	sort.Strings(sessions)
	out := make([]View, 0, len(views))
	for _, s := range sessions {
		out = appendTree(out, views, bySession[s])
	}
	copy(views, out)
}

// Selected returns the views of the pods keep accepts, ranked in the order
// of all the pods (SortTree), so that printing the selection keeps the
// order it has in the whole session.
func Selected(pods []*corev1.Pod, keys session.LabelKeys, keep func(*corev1.Pod) bool) []View {
	all := make([]View, len(pods))
	for i, p := range pods {
		all[i] = FromPod(p, keys)
	}
	SortTree(all)
	out := make([]View, 0, len(all))
	for i := range all {
		if keep(all[i].Pod) {
			all[i].Rank = i + 1
			out = append(out, all[i])
		}
	}
	return out
}

func ranked(views []View) bool {
	for i := range views {
		if views[i].Rank == 0 {
			return false
		}
	}
	return len(views) > 0
}

// appendTree appends one session's processes in depth-first order.
func appendTree(out, views []View, idx []int) []View {
	present := make(map[string]bool, len(idx))
	for _, i := range idx {
		if views[i].TreeID != "" {
			present[views[i].TreeID] = true
		}
	}
	children := map[string][]int{}
	var roots []int
	for _, i := range idx {
		p := parent(views[i].TreeID)
		if p == "" || !present[p] {
			roots = append(roots, i)
			continue
		}
		children[p] = append(children[p], i)
	}
	sort.SliceStable(roots, func(a, b int) bool { return lessTop(&views[roots[a]], &views[roots[b]]) })
	var walk func(l []int)
	walk = func(l []int) {
		for _, i := range l {
			out = append(out, views[i])
			// A duplicated tree id would list its children twice: take
			// them once, under the first.
			if id := views[i].TreeID; id != "" {
				kids := children[id]
				delete(children, id)
				sort.SliceStable(kids, func(a, b int) bool { return lessTop(&views[kids[a]], &views[kids[b]]) })
				walk(kids)
			}
		}
	}
	walk(roots)
	return out
}

// lessTop orders top-level processes by tree id (numerically, component
// by component), then name; processes without a tree id go last.
func lessTop(a, b *View) bool {
	if (a.TreeID == "") != (b.TreeID == "") {
		return b.TreeID == ""
	}
	if c := compareTreeIDs(a.TreeID, b.TreeID); c != 0 {
		return c < 0
	}
	return a.Name < b.Name
}

// compareTreeIDs compares "0.10.2" and "0.9" component by component, as
// numbers when both are numbers. It allocates nothing: ps sorts every
// sibling of a 10,000-process session with it.
func compareTreeIDs(a, b string) int {
	for a != "" && b != "" {
		var ac, bc string
		ac, a, _ = strings.Cut(a, ".")
		bc, b, _ = strings.Cut(b, ".")
		ai, aerr := strconv.Atoi(ac)
		bi, berr := strconv.Atoi(bc)
		switch {
		case aerr == nil && berr == nil && ai != bi:
			return cmp.Compare(ai, bi)
		case (aerr != nil || berr != nil) && ac != bc:
			return strings.Compare(ac, bc)
		}
	}
	return cmp.Compare(len(a), len(b)) // the one with components left is deeper
}

// parent is the tree id one level up ("0.1.2" → "0.1", "0" → "").
func parent(treeID string) string {
	i := strings.LastIndexByte(treeID, '.')
	if i < 0 {
		return ""
	}
	return treeID[:i]
}
