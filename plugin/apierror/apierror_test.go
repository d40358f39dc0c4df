package apierror

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

func forbiddenErr(resource, msg string) error {
	return apierrors.NewForbidden(schema.GroupResource{Resource: resource}, "", errors.New(msg))
}

func TestExplain(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want []string
	}{
		{"namespaced list",
			forbiddenErr("pods", `User "alice" cannot list resource "pods" in API group "" in the namespace "run42"`),
			[]string{`you (alice) are not allowed to list pods in namespace "run42"`, "kubectl drunc rbac --user alice"}},
		{"cluster scope, wrapped",
			fmt.Errorf("boot run42: %w", forbiddenErr("namespaces", `User "ci" cannot create resource "namespaces" in API group "" at the cluster scope`)),
			[]string{"not allowed to create namespaces cluster-wide", "--user ci"}},
		{"subresource",
			forbiddenErr("pods", `User "bob" cannot get resource "pods/log" in API group "" in the namespace "s"`),
			[]string{"not allowed to get pods/log in namespace \"s\""}},
		{"service account",
			forbiddenErr("pods", `User "system:serviceaccount:ci:runner" cannot delete resource "pods" in API group "" in the namespace "s"`),
			[]string{"--serviceaccount ci:runner"}},
		{"API group",
			forbiddenErr("leases", `User "u" cannot get resource "leases" in API group "coordination.k8s.io" in the namespace "s"`),
			[]string{"get leases.coordination.k8s.io"}},
		{"unauthorized", apierrors.NewUnauthorized("Unauthorized"), []string{"did not accept your credentials"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Explain(c.err).Error()
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("Explain = %q, want it to contain %q", got, w)
				}
			}
			if strings.Contains(got, "is forbidden: User") {
				t.Errorf("Explain kept the API text: %q", got)
			}
		})
	}
}

func TestExplainKeepsOtherErrorsAndExitCodes(t *testing.T) {
	plain := errors.New("boom")
	if Explain(plain) != plain {
		t.Error("a plain error was rewritten")
	}
	if Explain(nil) != nil {
		t.Error("nil became an error")
	}
	notFound := apierrors.NewNotFound(schema.GroupResource{Resource: "pods"}, "x")
	if Explain(notFound) != error(notFound) {
		t.Error("NotFound was rewritten")
	}
	e := &codeError{code: 3, err: forbiddenErr("pods", `User "a" cannot watch resource "pods" in API group "" in the namespace "s"`)}
	var got *codeError
	if !errors.As(Explain(e), &got) || got.code != 3 {
		t.Errorf("the exit code carried by %v was lost", e)
	}
	if !apierrors.IsForbidden(Explain(e)) {
		t.Error("the API status was lost")
	}
}

type codeError struct {
	code int
	err  error
}

func (e *codeError) Error() string { return e.err.Error() }
func (e *codeError) Unwrap() error { return e.err }

// A refused connection says what to check: the kubeconfig when client-go
// fell back to localhost:8080 (none was found), else the server and context.
func TestMessageConnectionRefused(t *testing.T) {
	refused := func(url string) error {
		return fmt.Errorf("cannot list pods: Get %q: %w", url, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)})
	}
	for url, want := range map[string]string{
		"http://localhost:8080/api/v1/pods": "no kubeconfig was found, so the default http://localhost:8080 was tried; set KUBECONFIG or --kubeconfig",
		"https://10.0.0.1:6443/api/v1/pods": "nothing answers there; is the API server up, and is it the one your kubeconfig context names",
	} {
		if got := Message(refused(url)); !strings.Contains(got, want) || !strings.HasPrefix(got, "cannot list pods") {
			t.Errorf("Message(refused %s) = %q, want the error then %q", url, got, want)
		}
	}
}
