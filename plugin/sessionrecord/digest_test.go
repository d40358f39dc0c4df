package sessionrecord

import (
	"testing"

	"github.com/google/uuid"

	"github.com/kubectl-drunc/kubectl-drunc/internal/dunesession"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/pmconfig"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// TestDigest: two renders of one configuration (other random uuids) have
// one digest; a changed argument, host or setting changes it.
func TestDigest(t *testing.T) {
	digest := func(edit func(*session.Session, *pmconfig.Settings)) string {
		s, st, err := dunesession.Session("demo", 60)
		if err != nil {
			t.Fatal(err)
		}
		if edit != nil {
			edit(s, st)
		}
		objs, err := podspec.Render(s, st, podspec.Options{UUID: uuid.NewString})
		if err != nil {
			t.Fatal(err)
		}
		return Digest(objs)
	}
	a, b := digest(nil), digest(nil)
	if a != b || len(a) != len("sha256:")+64 {
		t.Fatalf("one configuration, two digests: %s %s", a, b)
	}
	for name, edit := range map[string]func(*session.Session, *pmconfig.Settings){
		"an argument": func(s *session.Session, _ *pmconfig.Settings) { s.Processes[5].Executables[1].Args[0] = "-x" },
		"a host":      func(s *session.Session, _ *pmconfig.Settings) { s.Processes[5].Host = "np04-srv-499" },
		"the image":   func(_ *session.Session, st *pmconfig.Settings) { st.Image = "ghcr.io/dune-daq/alma9:v2" },
	} {
		if c := digest(edit); c == a {
			t.Errorf("another %s, same digest", name)
		}
	}
}
