// Package bootfile reads kubectl-drunc boot files: a Kubernetes-style YAML
// or JSON document (apiVersion drunc.daq/v1alpha1, kind BootFile) listing a
// session's processes. Decoding is strict: unknown fields and wrong types
// are errors, every problem is reported at once with its line, process and
// field.
package bootfile

import "github.com/kubectl-drunc/kubectl-drunc/plugin/session"

// The document's type.
const (
	APIVersion = "drunc.daq/v1alpha1"
	Kind       = "BootFile"
)

// Document is one boot file.
type Document struct {
	APIVersion string   `json:"apiVersion"`
	Kind       string   `json:"kind"`
	Metadata   Metadata `json:"metadata"`
	Spec       Spec     `json:"spec"`
}

// Metadata names the session.
type Metadata struct {
	// Name is the session name, which is the namespace (-n overrides it).
	Name string `json:"name"`
}

// Spec lists the processes.
type Spec struct {
	// User is the session's user (--user overrides it; default: the
	// invoking user).
	User string `json:"user,omitempty"`
	// Env is added to every process's env (a process's own value wins).
	Env map[string]string `json:"env,omitempty"`
	// Processes, each with the fields of session.Process: name, host,
	// treeId, executables [{exec, args, shell}], env, workingDir, logPath,
	// dataMount, image, uuid.
	Processes []session.Process `json:"processes"`
}
