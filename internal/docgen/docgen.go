// Package docgen generates the files derived from code: the command
// reference (docs/commands, cobra/doc markdown) and deploy/rbac.yaml. The
// tests here fail when the checked-in copies are stale.
package docgen

import (
	"bytes"
	"os"
	"os/user"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
	"github.com/spf13/pflag"
	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/kubectl-drunc/kubectl-drunc/plugin"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/rbac"
)

// CommandsDir and RBACFile are relative to the repository root.
const (
	CommandsDir = "docs/commands"
	RBACFile    = "deploy/rbac.yaml"
)

// Files returns every generated file by its path from the repository root.
func Files() (map[string][]byte, error) {
	files := map[string][]byte{RBACFile: rbac.DeployManifest()}
	root := plugin.NewCmd(genericiooptions.NewTestIOStreamsDiscard())
	err := walk(root, func(c *cobra.Command) error {
		c.DisableAutoGenTag = true // no date: the output depends on the code only
		neutralDefaults(c.LocalFlags())
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = walk(root, func(c *cobra.Command) error {
		if !c.IsAvailableCommand() || c.IsAdditionalHelpTopicCommand() {
			return nil
		}
		var buf bytes.Buffer
		if err := doc.GenMarkdownCustom(c, &buf, func(s string) string { return s }); err != nil {
			return err
		}
		name := strings.ReplaceAll(c.CommandPath(), " ", "_") + ".md"
		files[filepath.ToSlash(filepath.Join(CommandsDir, name))] = buf.Bytes()
		return nil
	})
	return files, err
}

// Write writes the files under repo and removes stale pages of commands
// that no longer exist.
func Write(repo string) error {
	files, err := Files()
	if err != nil {
		return err
	}
	old, _ := filepath.Glob(filepath.Join(repo, CommandsDir, "*.md"))
	for _, p := range old {
		rel, _ := filepath.Rel(repo, p)
		if _, keep := files[filepath.ToSlash(rel)]; !keep {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
	}
	for rel, b := range files {
		p := filepath.Join(repo, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func walk(c *cobra.Command, fn func(*cobra.Command) error) error {
	if err := fn(c); err != nil {
		return err
	}
	for _, sub := range c.Commands() {
		if err := walk(sub, fn); err != nil {
			return err
		}
	}
	return nil
}

// neutralDefaults keeps the machine that generated the docs out of them:
// defaults computed from $HOME or the user (kubectl's --cache-dir, a
// --user filter) are shown as the variables they come from.
func neutralDefaults(fs *pflag.FlagSet) {
	home, _ := os.UserHomeDir()
	name := ""
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	fs.VisitAll(func(f *pflag.Flag) {
		switch {
		case home != "" && strings.HasPrefix(f.DefValue, home):
			f.DefValue = "$HOME" + strings.TrimPrefix(f.DefValue, home)
		case name != "" && f.DefValue == name:
			f.DefValue = "$USER"
		}
	})
}
