package boot

import (
	"os"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// RenderSource loads a session from src and renders it as boot does; other
// verbs that need a configuration's objects (diff) use it too. adjust, when
// not nil, changes the loaded session before rendering.
func RenderSource(src Source, in LoadInput, opts podspec.Options, adjust func(*session.Session) error) (*podspec.Objects, error) {
	s, explain, err := src.Load(in)
	if err != nil {
		return nil, err
	}
	if adjust != nil {
		if err := adjust(s); err != nil {
			return nil, err
		}
	}
	objs, err := podspec.Render(s, in.Settings, opts)
	if err != nil {
		return nil, explain(err)
	}
	return objs, nil
}

// InvokingIDs are the uid and gid boot runs processes as by default.
func InvokingIDs() (uid, gid int64) { return int64(os.Getuid()), int64(os.Getgid()) }

// InvokingUser is drunc's default session user: whoever runs the plugin.
func InvokingUser() string { return invokingUser() }
