package selector

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/client-go/kubernetes"
)

// noneFound opens every message about an empty selection.
const noneFound = "No processes found"

// SessionNotFoundError says that the session (namespace) does not exist.
type SessionNotFoundError struct{ Session string }

func (e *SessionNotFoundError) Error() string {
	return fmt.Sprintf("session %q not found: there is no namespace %q (`kubectl drunc ps -A` lists every session)", e.Session, e.Session)
}

// SessionExists fails with a SessionNotFoundError when the namespace does
// not exist. A user who may not read namespaces (Forbidden) is given the
// benefit of the doubt: the selection just found nothing.
func SessionExists(ctx context.Context, c kubernetes.Interface, name string) error {
	_, err := c.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		return &SessionNotFoundError{Session: name}
	case apierrors.IsForbidden(err):
		return nil
	}
	return err
}

// explainEmpty runs when nothing is selected: a session that does not
// exist is an error; otherwise it prepares NoneFound's hint.
func (t *Target) explainEmpty(ctx context.Context) error {
	s := t.sel
	if s.Namespace != "" {
		if err := SessionExists(ctx, t.Client, s.Namespace); err != nil {
			return err
		}
	}
	if s.NamespaceFlag || s.AllNamespaces {
		return nil
	}
	// `ps demo` meant session demo? Only names that can be namespaces are
	// asked about, and only when nothing was found.
	for _, n := range s.Names {
		if len(validation.IsDNS1123Label(n)) > 0 || n == s.Namespace {
			continue
		}
		if _, err := t.Client.CoreV1().Namespaces().Get(ctx, n, metav1.GetOptions{}); err == nil {
			t.hint = n
			return nil
		}
	}
	return nil
}

// NoneFound is the message of every verb whose selection found nothing:
// "No processes found in session "x"." (or "in any session"), with a hint
// to use -n NAME when a positional argument is the name of a session.
func (t *Target) NoneFound() string {
	msg := noneFound + " in any session."
	if t.sel.Namespace != "" {
		msg = fmt.Sprintf("%s in session %q.", noneFound, t.sel.Namespace)
	}
	return msg + t.Hint()
}

// Hint is "" or, when nothing was selected and a positional argument is
// the name of a session while -n was not given, a sentence (with a leading
// space) saying to give -n NAME. NoneFound includes it; verbs with their
// own message append it.
func (t *Target) Hint() string {
	if t.hint == "" {
		return ""
	}
	return fmt.Sprintf(" %q is a session: to select it, give -n %s.", t.hint, t.hint)
}

// NoneSelected is the error of the verbs that act on processes (kill,
// restart, flush) when nothing is selected: NoneFound's opening, then the
// ps command that shows what there is.
func (t *Target) NoneSelected() error {
	if t.sel.Namespace == "" {
		return fmt.Errorf("%s: no process in any session matches the selection; `kubectl drunc ps -A` lists them all.%s", noneFound, t.Hint())
	}
	ns := t.sel.Namespace
	return fmt.Errorf("%s: no process in session %q matches the selection; `kubectl drunc ps -n %s` lists its processes.%s", noneFound, ns, ns, t.Hint())
}
