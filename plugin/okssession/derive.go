package okssession

import (
	"fmt"
	"os"
	"os/user"
	"strconv"
	"strings"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/oks"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// Derive returns the processes drunc boots for the Session opts names (see
// ChooseSession): the infrastructure applications, then the segment tree
// depth-first.
func Derive(db *oks.DB, opts Options) (*session.Session, error) {
	s, err := opts.ChooseSession(db)
	if err != nil {
		return nil, err
	}
	if opts.User == "" {
		opts.User = currentUser()
	}
	d := &deriver{db: db, opts: opts, sess: s, name: opts.sessionName(),
		disabled: map[*oks.Object]bool{}, names: map[string]string{}, inPath: map[*oks.Object]bool{}}
	for _, o := range s.RelAll("disabled") {
		d.disabled[o] = true
	}
	d.rte = s.String("rte_script")
	if opts.RTEScript != "" {
		d.rte = opts.RTEScript
	}
	d.env = map[string]string{"DUNEDAQ_SESSION": d.name}
	if db := opts.dbPath(); db != "" {
		d.env["DUNEDAQ_DB_PATH"] = db
	}
	if err := collectVariables(s.RelAll("environment"), d.env); err != nil {
		return nil, fmt.Errorf("%s: Session %q environment: %w", s.Where(), s.ID, err)
	}

	root := s.Rel("segment")
	if root == nil {
		return nil, fmt.Errorf("%s: Session %q has no segment: set its segment relationship to the root Segment", s.Where(), s.ID)
	}
	if err := d.segment(root, []int{0}); err != nil {
		return nil, err
	}
	apps := d.out
	d.out = nil
	if err := d.infrastructure(nextTreeRoot(apps)); err != nil {
		return nil, err
	}
	return &session.Session{Name: d.name, User: opts.User, Processes: append(d.out, apps...)}, nil
}

type deriver struct {
	db       *oks.DB
	opts     Options
	sess     *oks.Object
	name     string
	rte      string
	env      map[string]string // the Session's: every process starts from it
	disabled map[*oks.Object]bool
	names    map[string]string // process name -> tree id, to refuse duplicates
	inPath   map[*oks.Object]bool
	out      []session.Process
}

// segment adds a segment's controller, its enabled sub-segments and its
// enabled applications. A disabled sub-segment still takes its index, and
// applications count on from the number of sub-segments, as in drunc.
func (d *deriver) segment(seg *oks.Object, prefix []int) error {
	if d.inPath[seg] {
		return fmt.Errorf("%s: Segment %q contains itself through its segments relationship", seg.Where(), seg.ID)
	}
	d.inPath[seg] = true
	defer delete(d.inPath, seg)

	ctrl := seg.Rel("controller")
	if ctrl == nil {
		return fmt.Errorf("%s: Segment %q has no controller: set its controller relationship to an RCApplication", seg.Where(), seg.ID)
	}
	if err := d.add(ctrl, treeID(prefix), false); err != nil {
		return err
	}
	subs := seg.RelAll("segments")
	for i, sub := range subs {
		if d.disabled[sub] {
			continue
		}
		if err := d.segment(sub, append(append([]int(nil), prefix...), i)); err != nil {
			return err
		}
	}
	k := len(subs)
	for _, app := range seg.RelAll("applications") {
		if d.disabled[app] {
			continue
		}
		if err := d.add(app, treeID(append(append([]int(nil), prefix...), k)), false); err != nil {
			return err
		}
		k++
	}
	return nil
}

// infrastructure adds the Session's infrastructure applications, numbered
// from first by their position in the list: one skipped for its empty
// application_name still takes its number, as in drunc.
func (d *deriver) infrastructure(first int) error {
	for i, app := range d.sess.RelAll("infrastructure_applications") {
		if app.String("application_name") == "" {
			continue
		}
		if err := d.add(app, strconv.Itoa(first+i), true); err != nil {
			return err
		}
	}
	return nil
}

// nextTreeRoot is one more than the largest first tree id component used.
func nextTreeRoot(ps []session.Process) int {
	next := 0
	for _, p := range ps {
		first, _, _ := strings.Cut(p.TreeID, ".")
		if n, err := strconv.Atoi(first); err == nil && n+1 > next {
			next = n + 1
		}
	}
	return next
}

func treeID(path []int) string {
	parts := make([]string, len(path))
	for i, n := range path {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ".")
}

func currentUser() string {
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "drunc"
}
