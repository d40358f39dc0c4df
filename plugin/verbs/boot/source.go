package boot

import (
	"io"

	"github.com/spf13/pflag"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/bootfile"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/pmconfig"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// Source is one way to describe the session to boot. Each adds its flags;
// the one whose flags were given turns them into a validated session.
type Source interface {
	AddFlags(fs *pflag.FlagSet)
	// FlagNames names the source's main flags for messages ("-f/--filename").
	FlagNames() string
	// Given reports whether the command line chose this source.
	Given() bool
	// Load returns the validated session (with -n, --user and the invoking
	// user applied) and a function that rewrites later rendering errors
	// (session.Errors) so they point into the source, e.g. at file lines.
	Load(in LoadInput) (s *session.Session, explain func(error) error, err error)
	// Record names the source in the session record, which refuses a boot
	// of another source into the session.
	Record() sessionrecord.Source
}

// LoadInput is what a source needs besides its own flags.
type LoadInput struct {
	// SessionName is -n ("" when not given), User --user, DefaultUser the
	// invoking user.
	SessionName, User, DefaultUser string
	// Settings are the process-manager settings the session is rendered
	// with (what depends on them is checked with the rest).
	Settings *pmconfig.Settings
	// Stdin is read for "-f -".
	Stdin io.Reader
	// Warn receives the source's warnings, one line each; nil drops them.
	Warn io.Writer
}

// FileSource reads a boot file (-f FILE, "-" for standard input).
type FileSource struct {
	Filename string
}

func (fs *FileSource) AddFlags(flags *pflag.FlagSet) {
	flags.StringVarP(&fs.Filename, "filename", "f", "", `Boot file (YAML or JSON, kind BootFile) describing the session; "-" reads standard input`)
}

func (fs *FileSource) FlagNames() string { return "-f/--filename" }

func (fs *FileSource) Given() bool { return fs.Filename != "" }

func (fs *FileSource) Record() sessionrecord.Source {
	return sessionrecord.Source{BootFile: fs.Filename}
}

func (fs *FileSource) Load(in LoadInput) (*session.Session, func(error) error, error) {
	f, err := bootfile.Read(fs.Filename, in.Stdin)
	if f == nil {
		return nil, nil, err
	}
	// Every problem at once: decoding, validation, and what depends on the
	// process-manager settings.
	ov := bootfile.Overrides{Session: in.SessionName, User: in.User, DefaultUser: in.DefaultUser}
	s := f.Build(ov)
	problems := s.Validate()
	if errs := podspec.Check(s, in.Settings); len(errs) > 0 {
		all, _ := problems.(session.Errors)
		problems = append(all, errs...)
	}
	if err := f.Report(problems, ov); err != nil {
		return nil, nil, err
	}
	return s, func(err error) error { return f.Explain(err, ov) }, nil
}
