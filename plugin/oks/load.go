package oks

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Options says where files are found.
type Options struct {
	// DBPath is the list of database roots (DUNEDAQ_DB_PATH, split on ':').
	// Includes are looked up in each, in order, then relative to the
	// including file's directory.
	DBPath []string
	// ReadFile reads a file; nil means os.ReadFile. Tests and fuzzing give an
	// in-memory one.
	ReadFile func(name string) ([]byte, error)
}

// SplitDBPath splits a DUNEDAQ_DB_PATH value, dropping empty entries.
func SplitDBPath(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ":") {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Load reads file (resolved as given, else against each DBPath entry) and
// every file it includes, transitively: each file once, include cycles
// tolerated. Every reference must resolve to a loaded object.
func Load(file string, opts Options) (*DB, error) {
	l := &loader{opts: opts, db: newDB(), seen: map[string]bool{}}
	if l.opts.ReadFile == nil {
		l.opts.ReadFile = os.ReadFile
	}
	path, data, err := l.findTop(file)
	if err != nil {
		return nil, err
	}
	if err := l.load(path, data); err != nil {
		return nil, err
	}
	if err := l.db.link(); err != nil {
		return nil, err
	}
	return l.db, nil
}

type loader struct {
	opts Options
	db   *DB
	seen map[string]bool
}

func (l *loader) findTop(file string) (string, []byte, error) {
	data, err := l.opts.ReadFile(file)
	if err == nil {
		return file, data, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", nil, errorf(file, 0, "cannot read the file: %v", unwrapPath(err))
	}
	tried := []string{file}
	if !filepath.IsAbs(file) {
		for _, root := range l.opts.DBPath {
			p := filepath.Join(root, file)
			if d, err := l.opts.ReadFile(p); err == nil {
				return p, d, nil
			}
			tried = append(tried, p)
		}
	}
	return "", nil, errorf(file, 0, "no such file (looked for %s%s)", strings.Join(tried, ", "), dbPathHint(l.opts.DBPath))
}

func dbPathHint(dbPath []string) string {
	if len(dbPath) == 0 {
		return "; DUNEDAQ_DB_PATH is not set: set it to your DUNE DAQ release's database directories"
	}
	return ""
}

// unwrapPath drops the *PathError prefix: the path is already in the message.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (l *loader) key(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return filepath.Clean(path)
}

func (l *loader) load(path string, data []byte) error {
	l.seen[l.key(path)] = true
	l.db.Files = append(l.db.Files, path)
	root, err := parseTree(path, data)
	if err != nil {
		return err
	}
	switch root.Name {
	case "oks-schema", "oks-data":
	default:
		return errorf(path, root.Line, "root element <%s> is neither <oks-schema> nor <oks-data>: not an OKS file", root.Name)
	}
	for _, n := range root.Children {
		if n.Name != "include" {
			continue
		}
		for _, f := range n.Children {
			if f.Name != "file" {
				continue
			}
			inc, _ := f.attr("path")
			if inc == "" {
				return errorf(path, f.Line, "<file> in <include> without a path")
			}
			incPath, incData, err := l.resolve(path, f.Line, inc)
			if err != nil {
				return err
			}
			if incData == nil {
				continue // already read: includes form a graph, not a tree
			}
			if err := l.load(incPath, incData); err != nil {
				return err
			}
		}
	}
	if root.Name == "oks-schema" {
		return l.db.parseSchema(path, root)
	}
	return l.db.parseData(path, root)
}

// resolve finds an include: in each DBPath entry, then next to the
// including file. It returns nil data for a file already read.
func (l *loader) resolve(from string, line int, inc string) (string, []byte, error) {
	var candidates []string
	if filepath.IsAbs(inc) {
		candidates = []string{inc}
	} else {
		for _, root := range l.opts.DBPath {
			candidates = append(candidates, filepath.Join(root, inc))
		}
		candidates = append(candidates, filepath.Join(filepath.Dir(from), inc))
	}
	for _, c := range candidates {
		if l.seen[l.key(c)] {
			return c, nil, nil
		}
		data, err := l.opts.ReadFile(c)
		if err == nil {
			return c, data, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", nil, errorf(from, line, "cannot read included file %s: %v", c, unwrapPath(err))
		}
	}
	return "", nil, errorf(from, line, "included file %q not found (looked for %s)%s", inc, strings.Join(candidates, ", "), dbPathHint(l.opts.DBPath))
}
