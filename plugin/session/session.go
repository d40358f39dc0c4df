// Package session is the model every verb starts from: a session (one
// namespace) of processes (one pod each), as drunc's process manager boots
// them. Boot files and OKS configurations are decoded into it; the renderer
// (plugin/podspec) turns it into Kubernetes objects.
package session

// Session is a named set of processes booted together for one user.
type Session struct {
	// Name is the session, and so the namespace (an RFC 1123 label).
	Name string `json:"name"`
	// User is the invoking user (drunc's `user`), written into env and labels.
	User string `json:"user"`
	// Processes in boot-file order; Ordered gives the order they boot in.
	Processes []Process `json:"processes"`
}

// Process is one DAQ process: exactly one pod (and one service).
type Process struct {
	// Name is the pod name, verbatim (RFC 1123 subdomain, ≤ 63 for the label).
	Name string `json:"name"`
	// Host is the node the pod is pinned to (kubernetes.io/hostname).
	Host string `json:"host"`
	// TreeID is the dot path in the control tree: "0", "0.1", "0.1.2", "1".
	TreeID string `json:"treeId"`
	// Executables run one after the other (`source rte.sh`, then the binary).
	Executables []Executable `json:"executables"`
	// Env is the process environment (USER/HOME/DOTDRUNC are added by the renderer).
	Env map[string]string `json:"env,omitempty"`
	// WorkingDir is the container's working directory, if set.
	WorkingDir string `json:"workingDir,omitempty"`
	// LogPath is a file the process output is appended to (tee -a), if set.
	LogPath string `json:"logPath,omitempty"`
	// DataMount is a host directory mounted at the same path, if set.
	DataMount string `json:"dataMount,omitempty"`
	// Image overrides the process manager's image for this process.
	Image string `json:"image,omitempty"`
	// UUID identifies the process across restarts; empty means "assign one".
	UUID string `json:"uuid,omitempty"`
}

// Executable is one command of a process's script.
type Executable struct {
	// Exec is the program (or a builtin such as `source`).
	Exec string `json:"exec"`
	// Args is an argument vector: each element reaches the program verbatim
	// (the renderer shell-quotes it).
	Args []string `json:"args,omitempty"`
	// Shell is text appended after Exec and Args unquoted, for bash to parse:
	// drunc passes every argument this way and DUNE configurations rely on it
	// (the connection server's `trap '...' EXIT; gunicorn ...`). Only text a
	// user explicitly marks as shell goes here.
	Shell string `json:"shell,omitempty"`
}
