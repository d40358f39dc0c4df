package okssession

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FileNote warns when the processes would not find --oks through their
// DUNEDAQ_DB_PATH, and names the file as they would.
func TestFileNote(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "config"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "config", "s.data.xml"), []byte("<oks-data/>"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join(root, "config"))
	for _, c := range []struct {
		name, file, dbPath, want string
	}{
		{"DB-path relative", "config/s.data.xml", root, ""},
		{"relative to here, inside the DB path", "s.data.xml", root, "processes get -d oksconflibs:s.data.xml and look it up in their DUNEDAQ_DB_PATH, where it is not: give --oks config/s.data.xml (its name under " + root + ")"},
		{"outside the DB path", "s.data.xml", t.TempDir(), "give --oks the file's name under a DUNEDAQ_DB_PATH directory, or a path absolute on every host"},
		{"absolute", filepath.Join(root, "config", "s.data.xml"), t.TempDir(), ""},
		{"no DB path", "s.data.xml", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("DUNEDAQ_DB_PATH", "")
			got := FileNote(Options{File: c.file, DBPath: c.dbPath})
			if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
				t.Errorf("FileNote(%s, %s) = %q, want %q", c.file, c.dbPath, got, c.want)
			}
		})
	}
}
