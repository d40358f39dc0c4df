package session

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/google/uuid"
	"k8s.io/apimachinery/pkg/util/validation"
)

var (
	treeIDPattern   = regexp.MustCompile(`^[0-9]+(\.[0-9]+)*$`)
	userPattern     = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]*$`)
	envNamePattern  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	imageNoSpaceRun = regexp.MustCompile(`\s`)
)

// Validate checks everything the renderer relies on and returns all
// problems at once (nil when the session is valid). Field paths are
// relative to the session: "name", "processes[3].host".
func (s *Session) Validate() error {
	var errs Errors
	if s.Name == "" {
		errs.Add("", "name", "the session has no name: give one in the file or with -n SESSION")
	}
	for _, msg := range validation.IsDNS1123Label(s.Name) {
		if s.Name != "" {
			errs.Add("", "name", "session name %q is not a valid namespace name: %s", s.Name, msg)
		}
	}
	if err := CheckUser(s.User); err != nil {
		errs.Add("", "user", "%v", err)
	}
	if len(s.Processes) == 0 {
		errs.Add("", "processes", "the session has no processes")
	}
	names := map[string]int{}
	trees := map[string]string{}
	lcs := ""
	for i := range s.Processes {
		p := &s.Processes[i]
		field := fmt.Sprintf("processes[%d]", i)
		p.validate(field, &errs)
		if j, dup := names[p.Name]; dup && p.Name != "" {
			errs.Add(p.Name, field+".name", "duplicate process name (also processes[%d]); each process is one pod and needs its own name", j)
		}
		names[p.Name] = i
		if other, dup := trees[p.TreeID]; dup && p.TreeID != "" {
			errs.Add(p.Name, field+".treeId", "tree id %q is also used by process %q; tree ids must be unique", p.TreeID, other)
		}
		trees[p.TreeID] = p.Name
		if p.IsLCS() && p.Role() == RoleInfrastructure {
			if lcs != "" {
				errs.Add(p.Name, field+".name", "a second local connection server (the first is %q); a session has at most one", lcs)
			}
			lcs = p.Name
		}
	}
	return errs.Err()
}

// EnvNameProblem says why name cannot be an environment variable's ("":
// it can): the one wording for a process's env and a boot file's spec.env.
func EnvNameProblem(name string) string {
	if envNamePattern.MatchString(name) {
		return ""
	}
	return fmt.Sprintf("%q is not a valid environment variable name (letters, digits, '_', not starting with a digit)", name)
}

func (p *Process) validate(field string, errs *Errors) {
	name := p.Name
	if name == "" {
		errs.Add("", field+".name", "required: the process (and pod) name")
	} else {
		// Pod names would allow dots, but the Service named like the pod
		// must be an RFC 1035 label, and the app label is at most 63.
		for _, msg := range validation.IsDNS1035Label(name) {
			errs.Add(name, field+".name", "%q is not a valid process name (used verbatim as pod and Service name): %s", name, msg)
		}
	}
	if p.Host == "" {
		errs.Add(name, field+".host", "required: the node the process runs on (its kubernetes.io/hostname)")
	} else {
		msgs := append(validation.IsDNS1123Subdomain(p.Host), validation.IsValidLabelValue(p.Host)...)
		if len(msgs) > 0 {
			errs.Add(name, field+".host", "%q is not a valid node name (a lower-case DNS name such as np02-srv-001, at most 63 characters)", p.Host)
		}
	}
	if p.TreeID != "" && !treeIDPattern.MatchString(p.TreeID) {
		errs.Add(name, field+".treeId", "%q is not a tree id: use dot-separated numbers such as 0, 0.1, 0.1.2 or 1", p.TreeID)
	}
	if len(p.Executables) == 0 {
		errs.Add(name, field+".executables", "required: at least one command to run")
	}
	for j, e := range p.Executables {
		efield := fmt.Sprintf("%s.executables[%d]", field, j)
		if strings.TrimSpace(e.Exec) == "" {
			errs.Add(name, efield+".exec", "required: the program to run")
		} else if strings.ContainsAny(e.Exec, " \t\n") {
			errs.Add(name, efield+".exec", "%q contains white space: put the program in exec and its arguments in args (or shell)", e.Exec)
		}
		if strings.ContainsRune(e.Shell, 0) {
			errs.Add(name, efield+".shell", "contains a NUL character")
		}
		for k, a := range e.Args {
			if strings.ContainsRune(a, 0) {
				errs.Add(name, fmt.Sprintf("%s.args[%d]", efield, k), "contains a NUL character, which no program argument can hold")
			}
		}
	}
	for k := range p.Env {
		if problem := EnvNameProblem(k); problem != "" {
			errs.Add(name, field+".env."+k, "%s", problem)
		}
	}
	if _, set := p.Env["POD_IP"]; set && p.Role() == RoleRootController {
		errs.Add(name, field+".env.POD_IP", "POD_IP is set for the root controller from the pod's IP; remove it")
	}
	checkPath(errs, name, field+".workingDir", p.WorkingDir, false)
	checkPath(errs, name, field+".logPath", p.LogPath, false)
	if p.LogPath != "" && strings.HasSuffix(p.LogPath, "/") {
		errs.Add(name, field+".logPath", "%q is a directory; give the log file path", p.LogPath)
	}
	checkPath(errs, name, field+".dataMount", p.DataMount, true)
	if p.DataMount == "." && p.WorkingDir == "" {
		errs.Add(name, field+".dataMount", `"." means the working directory, but workingDir is not set`)
	}
	if p.Image != "" && imageNoSpaceRun.MatchString(p.Image) {
		errs.Add(name, field+".image", "%q is not an image reference", p.Image)
	}
	if p.UUID != "" {
		if _, err := uuid.Parse(p.UUID); err != nil {
			errs.Add(name, field+".uuid", "%q is not a UUID", p.UUID)
		}
	}
}

// checkPath accepts "" or a clean absolute path (and "." when dotOK).
func checkPath(errs *Errors, process, field, p string, dotOK bool) {
	switch {
	case p == "" || (dotOK && p == "."):
	case !strings.HasPrefix(p, "/"):
		errs.Add(process, field, "%q must be an absolute path", p)
	case path.Clean(p) != strings.TrimSuffix(p, "/") && p != "/":
		errs.Add(process, field, "%q must be a clean path (no '.', '..' or '//')", p)
	case strings.ContainsAny(p, "\n\x00"):
		errs.Add(process, field, "%q contains a newline or NUL", p)
	}
}

// CheckUser accepts a POSIX-style user name: it becomes USER, part of HOME
// and of a volume path, so nothing that could escape a path is allowed.
func CheckUser(u string) error {
	switch {
	case u == "":
		return fmt.Errorf("the session has no user: give one in the file or with --user")
	case u == "." || u == "..", !userPattern.MatchString(u), len(u) > 63:
		return fmt.Errorf("%q is not a valid user name (letters, digits, '.', '_', '-'; at most 63)", u)
	}
	return nil
}
