package process

import (
	"sort"
	"strings"
)

// SortTree orders processes as the control tree reads: by session, then
// depth-first (a controller, then everything beneath it), siblings by name.
// Processes without a tree id, or whose parent is not listed, are roots.
func SortTree(views []View) {
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
	byName := func(l []int) {
		sort.SliceStable(l, func(a, b int) bool { return less(&views[l[a]], &views[l[b]]) })
	}
	var walk func(l []int)
	walk = func(l []int) {
		byName(l)
		for _, i := range l {
			out = append(out, views[i])
			// A duplicated tree id would list its children twice: take
			// them once, under the first.
			if id := views[i].TreeID; id != "" {
				kids := children[id]
				delete(children, id)
				walk(kids)
			}
		}
	}
	walk(roots)
	return out
}

// less orders siblings by name; processes without a tree id go last.
func less(a, b *View) bool {
	if (a.TreeID == "") != (b.TreeID == "") {
		return b.TreeID == ""
	}
	return a.Name < b.Name
}

// parent is the tree id one level up ("0.1.2" → "0.1", "0" → "").
func parent(treeID string) string {
	i := strings.LastIndexByte(treeID, '.')
	if i < 0 {
		return ""
	}
	return treeID[:i]
}
