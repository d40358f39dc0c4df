package okssession

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/oks"
)

// FileNote is a warning, or "": every controller and DAQ application gets
// -d oksconflibs:FILE with --oks as given (as drunc passes it), and looks a
// relative name up in its own DUNEDAQ_DB_PATH, the invoking one. A name
// found here only relative to the working directory (../config/x.data.xml)
// is not found there; the note gives the name under the DB path when the
// file lies in it. Without a DB path (the project's example) nothing is said.
func FileNote(opts Options) string {
	roots := oks.SplitDBPath(opts.dbPath())
	f := opts.File
	if f == "" || filepath.IsAbs(f) || len(roots) == 0 {
		return ""
	}
	read := opts.ReadFile
	if read == nil {
		read = os.ReadFile
	}
	for _, r := range roots {
		if _, err := read(filepath.Join(r, f)); err == nil {
			return ""
		}
	}
	what := fmt.Sprintf("processes get -d oksconflibs:%s and look it up in their DUNEDAQ_DB_PATH, where it is not", f)
	if abs, err := filepath.Abs(f); err == nil {
		for _, r := range roots {
			ra, err := filepath.Abs(r)
			if err != nil {
				continue
			}
			if rel, err := filepath.Rel(ra, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				return fmt.Sprintf("%s: give --oks %s (its name under %s)", what, rel, r)
			}
		}
	}
	return what + ": give --oks the file's name under a DUNEDAQ_DB_PATH directory, or a path absolute on every host"
}
