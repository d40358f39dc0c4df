// Package apierror turns the API errors a user fixes without reading API
// text (Forbidden, Unauthorized, a refused connection) into one sentence
// naming the fix. The root
// command applies it once to whatever a verb returns; engines that report
// per-object failures in a table use Message.
package apierror

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"syscall"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

// forbiddenRE reads the RBAC authorizer's message, e.g.
//
//	pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "run42"
//	namespaces is forbidden: User "alice" cannot create resource "namespaces" in API group "" at the cluster scope
var forbiddenRE = regexp.MustCompile(`User "([^"]*)" cannot (\S+) resource "([^"]+)" in API group "([^"]*)"(?: in the namespace "([^"]*)"| at the cluster scope)`)

// Explain turns the API errors a user can fix without reading API text into
// one sentence naming the fix: Forbidden (which verb on which resource, and
// how to get the kubectl-drunc role) and Unauthorized. Other errors, and nil,
// come back unchanged. The original error stays in the chain (errors.As still finds an exit code).
func Explain(err error) error {
	if err == nil {
		return nil
	}
	msg := Message(err)
	if msg == err.Error() {
		return err
	}
	return &explained{msg: msg, err: err}
}

// explained keeps the original error in the chain, so whatever a caller
// reads from it (an exit code, the API status) survives the new wording.
type explained struct {
	msg string
	err error
}

func (e *explained) Error() string { return e.msg }
func (e *explained) Unwrap() error { return e.err }

// Message is Explain's text, for verbs that report per-object failures in
// a table or summary instead of returning them.
func Message(err error) string {
	switch {
	case err == nil:
		return ""
	case apierrors.IsForbidden(err):
		if m := forbiddenRE.FindStringSubmatch(err.Error()); m != nil {
			return forbidden(m[1], m[2], m[3], m[4], m[5])
		}
		return "the cluster refused the request: " + err.Error() + "; " + rbacHint("")
	case apierrors.IsUnauthorized(err):
		return "the cluster did not accept your credentials (401 Unauthorized): check the user and token of your kubeconfig context, or log in again"
	case errors.Is(err, syscall.ECONNREFUSED) && strings.Contains(err.Error(), "localhost:8080"):
		// client-go's last resort when no kubeconfig was found.
		return err.Error() + ": no kubeconfig was found, so the default http://localhost:8080 was tried; set KUBECONFIG or --kubeconfig (as for kubectl)"
	case errors.Is(err, syscall.ECONNREFUSED):
		return err.Error() + ": nothing answers there; is the API server up, and is it the one your kubeconfig context names (--context, --kubeconfig)?"
	}
	return err.Error()
}

func forbidden(user, verb, resource, group, namespace string) string {
	if group != "" {
		resource += "." + group
	}
	where := "cluster-wide"
	if namespace != "" {
		where = fmt.Sprintf("in namespace %q", namespace)
	}
	return fmt.Sprintf("you (%s) are not allowed to %s %s %s: %s", user, verb, resource, where, rbacHint(user))
}

// rbacHint says how an admin grants the role; the subject is filled in when
// the apiserver named the user.
func rbacHint(user string) string {
	subject := "--user NAME"
	if rest, ok := strings.CutPrefix(user, "system:serviceaccount:"); ok {
		subject = "--serviceaccount " + rest
	} else if user != "" {
		subject = "--user " + user
	}
	return fmt.Sprintf("ask your cluster admin to bind the kubectl-drunc role (kubectl drunc rbac %s | kubectl apply -f -)", subject)
}
